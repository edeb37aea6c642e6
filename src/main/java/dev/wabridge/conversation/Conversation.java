package dev.wabridge.conversation;

import dev.wabridge.whatsapp.Customer;

/**
 * One customer (or group) talking to one agent. The service window is 24 h from the customer's last message.
 * {@code agentId} is null for a conversation on a number no agent answers yet; {@code customerKey} is
 * {@link Customer#key()} as stored.
 */
public record Conversation(
    String id,
    String workspaceId,
    String agentId,
    String numberId,
    String customerKey,
    String phoneNumber,
    String userId,
    String username,
    String groupId,
    String customerName,
    Long lastInboundAt,
    long lastMessageAt,
    boolean handoff,
    Long awaySentAt,
    long createdAt) {

  public static final long WINDOW_MILLIS = 24L * 3600 * 1000;

  public Customer customer() {
    return new Customer(phoneNumber, userId, username, groupId);
  }

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
