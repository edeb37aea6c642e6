package dev.wabridge.conversation;

/**
 * A message in a conversation, either way. {@code content} is the normalised JSON object (for outbound, the
 * type and type object Meta receives); {@code media} is JSON or null. {@code author} says who wrote it;
 * {@code held} is why a customer's message waits unanswered (null once an agent was called for it, or never held);
 * {@code sender} is JSON naming the group member who wrote, or null.
 *
 * <p>{@code type} stays a string: it is Meta's message type for what a customer wrote (a set Meta grows, read as
 * "unsupported" when unknown) and wabridge's reply type for what was sent ("text", "buttons", "list", "contact", ...,
 * a set the {@code reply} package owns and grows); rows written by earlier versions keep theirs. An enum here would
 * duplicate both lists and fail on a row it does not know.
 */
public record Message(
    long seq,
    String id,
    String workspaceId,
    String conversationId,
    Direction direction,
    String type,
    String text,
    String content,
    String media,
    MessageStatus status,
    String errorCode,
    String errorMessage,
    String wamid,
    String replyTo,
    long createdAt,
    long updatedAt,
    Author author,
    Held held,
    String sender) {

  /** The same message with its media as downloaded. */
  public Message withMedia(String mediaJson) {
    return new Message(seq, id, workspaceId, conversationId, direction, type, text, content, mediaJson, status,
        errorCode, errorMessage, wamid, replyTo, createdAt, updatedAt, author, held, sender);
  }
}
