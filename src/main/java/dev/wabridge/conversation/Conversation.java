package dev.wabridge.conversation;

/** One customer talking to one agent. The service window is 24 h from the customer's last message. */
public record Conversation(
    String id,
    String workspaceId,
    String agentId,
    String numberId,
    String phoneNumber,
    String customerName,
    Long lastInboundAt,
    long lastMessageAt,
    boolean handoff,
    long createdAt) {

  public static final long WINDOW_MILLIS = 24L * 3600 * 1000;

  /** Null when the customer never wrote. */
  public Long windowExpiresAt() {
    return lastInboundAt == null ? null : lastInboundAt + WINDOW_MILLIS;
  }

  public boolean windowOpen(long now) {
    return windowOpen(lastInboundAt, now);
  }

  /** The customer service window: open for 24 h after the customer's last message. */
  public static boolean windowOpen(Long lastInboundAt, long now) {
    return lastInboundAt != null && now < lastInboundAt + WINDOW_MILLIS;
  }
}
