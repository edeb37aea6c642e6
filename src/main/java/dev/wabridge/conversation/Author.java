package dev.wabridge.conversation;

/** Who wrote a message: the customer, the agent, a person as the business, or wabridge on the business's behalf. */
public enum Author {
  /** The customer (or, in a group, one of its members). */
  CUSTOMER,
  /** The agent, in its answer or through its reply_callback. */
  AGENT,
  /** A person sending as the business through the API or the console. */
  BUSINESS,
  /** The agent's fallback message, sent when the agent could not answer. */
  FALLBACK,
  /** The number's away message, sent while no agent answers. */
  AWAY,
  /** Meta's system notices (a customer changed number) and wabridge's own notes. */
  SYSTEM;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Author fromWire(String s) {
    return s == null ? AGENT : valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }
}
