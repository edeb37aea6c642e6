package dev.wabridge.conversation;

/**
 * A message in a conversation, either way. {@code content} is the normalised JSON object (for outbound, the
 * type and type object Meta receives); {@code media} is JSON or null.
 */
public record Message(
    long seq,
    String id,
    String workspaceId,
    String conversationId,
    String direction,
    String type,
    String text,
    String content,
    String media,
    String status,
    String errorCode,
    String errorMessage,
    String wamid,
    String replyTo,
    long createdAt,
    long updatedAt) {

  public static final String INBOUND = "inbound";
  public static final String OUTBOUND = "outbound";
}
