package dev.wabridge.conversation;

/**
 * The states of a message and their order. Updates only move up the ranks (sent &lt; delivered &lt; read), and
 * failed is terminal, whatever order Meta's status webhooks arrive in.
 */
public enum MessageStatus {
  RECEIVED(0), QUEUED(0), SENT(1), DELIVERED(2), READ(3), FAILED(10),
  /** An agent's reply that was not sent because a person had taken over the conversation (terminal). */
  SUPPRESSED(10);

  private final int rank;

  MessageStatus(int rank) {
    this.rank = rank;
  }

  public int rank() {
    return rank;
  }

  /** As stored in {@code messages.status} and shown by the APIs. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The status as stored ({@link #wire()}). */
  public static MessageStatus fromWire(String s) {
    return valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }

  /** Meta's status word; "played" (a voice note was played) counts as read. Null for unknown words. */
  public static MessageStatus fromMeta(String s) {
    if (s == null) {
      return null;
    }
    return switch (s) {
      case "sent" -> SENT;
      case "delivered" -> DELIVERED;
      case "read", "played" -> READ;
      case "failed" -> FAILED;
      default -> null;
    };
  }
}
