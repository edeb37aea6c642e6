package dev.wabridge.conversation;

/**
 * A message in a conversation, either way. {@code content} is the normalised JSON object (for outbound, the
 * type and type object Meta receives); {@code media} is JSON or null. {@code author} says who wrote it;
 * {@code held} is why a customer's message waits unanswered (null once an agent was called for it, or never held);
 * {@code sender} is JSON naming the group member who wrote, or null.
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
    long updatedAt,
    Author author,
    Held held,
    String sender) {

  public static final String INBOUND = "inbound";
  public static final String OUTBOUND = "outbound";

  /** The same message with its media as downloaded. */
  public Message withMedia(String mediaJson) {
    return new Message(seq, id, workspaceId, conversationId, direction, type, text, content, mediaJson, status,
        errorCode, errorMessage, wamid, replyTo, createdAt, updatedAt, author, held, sender);
  }
}
