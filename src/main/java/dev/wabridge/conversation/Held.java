package dev.wabridge.conversation;

/**
 * Why a customer's message waits unanswered: it was stored, and no agent was called for it. Held messages go to
 * the agent when it is deployed or resumed (if still inside their window); a handed-off conversation's stay with
 * the person who took over.
 */
public enum Held {
  /** No agent answers the number: none is deployed on it. */
  NO_AGENT,
  /** The number's agent is paused (or still a draft). */
  AGENT_PAUSED,
  /** A person took over the conversation. */
  HANDOFF;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Null for null (the message is not held). */
  public static Held fromWire(String s) {
    return s == null ? null : valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }
}
