package dev.wabridge.conversation;

import dev.wabridge.db.Sql;
import dev.wabridge.support.Ids;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes on messages after the customer's are recorded ({@link InboundRecorder}): the business's messages stored as
 * queued, failed or suppressed, and what becomes of a message since: sent (with Meta's wamid), failed, an error noted,
 * held for want of an agent, its media downloaded. Each runs in the caller's transaction; a write whose outcome
 * nothing reads takes the caller's {@link Sql.Later}, so it goes in the same group commit as the queue rows.
 */
public final class MessageWrites {
  /** Why an agent's reply was suppressed. */
  public static final String HANDED_OFF = "a person took over this conversation; the agent's reply was not sent";

  /**
   * A condition to append to a statement that queues an agent's send: true unless a person has taken over the
   * conversation. Its one parameter is the conversation's id.
   */
  public static final String NOT_HANDED_OFF =
      " AND NOT EXISTS (SELECT 1 FROM conversations WHERE id = ? AND handoff = 1)";

  /**
   * Stores an outbound message as queued; the caller enqueues its send and moves the conversation's activity
   * ({@link ConversationWrites#touch}) in the same transaction.
   */
  public String insertOutbound(Sql.Later later, Conversation c, Author author, String type, String text,
                               String content, long now) {
    return insert(later, c, author, type, text, content, MessageStatus.QUEUED, null, null, now);
  }

  /**
   * Stores an outbound message that was not queued: failed before it could be (invalid content, window closed), or
   * suppressed (an agent's reply after a person took over).
   */
  public String insertUnsentOutbound(Sql.Later later, Conversation c, Author author, String type, String text,
                                     String content, MessageStatus status, String errorCode, String errorMessage,
                                     long now) {
    return insert(later, c, author, type, text, content, status, errorCode, errorMessage, now);
  }

  private static String insert(Sql.Later later, Conversation c, Author author, String type, String text,
                               String content, MessageStatus status, String errorCode, String errorMessage, long now) {
    String id = Ids.newId("msg");
    later.insert("messages", "INSERT INTO messages(id, workspace_id, conversation_id, direction, type, text, content, media, "
        + "status, status_rank, error_code, error_message, created_at, updated_at, author) VALUES (?, ?, ?, "
        + "'outbound', ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)", id, c.workspaceId(), c.id(), type, text, content,
        status.wire(), status.rank(), errorCode, errorMessage, now, now, author.wire());
    return id;
  }

  /**
   * Marks an agent's message just stored as suppressed if a person has taken over the conversation (its handoff
   * committed after the caller read the conversation).
   */
  public void suppressIfHandedOff(Sql.Later later, String messageId, String conversationId, long now) {
    later.update("UPDATE messages SET status = ?, status_rank = ?, error_code = 'handed_off', error_message = ?, "
        + "updated_at = ? WHERE id = ? AND EXISTS (SELECT 1 FROM conversations WHERE id = ? AND handoff = 1)",
        MessageStatus.SUPPRESSED.wire(), MessageStatus.SUPPRESSED.rank(), HANDED_OFF, now, messageId, conversationId);
  }

  /**
   * Meta accepted the message as {@code wamid}: it is sent, unless a status webhook moved it further first.
   *
   * @param media what the message's media was sent as, or null to keep it
   */
  public void markSent(Sql.Later later, String messageId, String wamid, String media, long now) {
    later.update("UPDATE messages SET wamid = ?, status = CASE WHEN status_rank < 1 THEN 'sent' ELSE status END, "
        + "status_rank = CASE WHEN status_rank < 1 THEN 1 ELSE status_rank END, media = COALESCE(?, media), "
        + "updated_at = ? WHERE id = ?", wamid, media, now, messageId);
  }

  /** Marks a message failed (terminal), keeping the code and message for the Conversations API. */
  public void fail(Handle h, String messageId, String code, String message, long now) {
    h.createUpdate("UPDATE messages SET status = :status, status_rank = :rank, error_code = :code, "
            + "error_message = :msg, updated_at = :now WHERE id = :id")
        .bind("status", MessageStatus.FAILED.wire()).bind("rank", MessageStatus.FAILED.rank()).bind("code", code).bind("msg", message).bind("now", now)
        .bind("id", messageId).execute();
  }

  /**
   * Records an error on a message without changing its status: an inbound message whose agent call failed, an
   * outbound one whose send is retried.
   */
  public void noteError(Handle h, String messageId, String code, String message, long now) {
    h.createUpdate("UPDATE messages SET error_code = :code, error_message = :msg, updated_at = :now WHERE id = :id")
        .bind("code", code).bind("msg", message).bind("now", now).bind("id", messageId).execute();
  }

  /** Marks customer's messages as waiting unanswered: no agent was called for them, for the reason given. */
  public void hold(Handle h, List<String> messageIds, Held why, long now) {
    Sql.batch(h, "UPDATE messages SET held = ?, updated_at = ? WHERE id = ?", messageIds,
        id -> List.of(why.wire(), now, id));
  }

  /** Keeps a customer's media as downloaded, unless it was kept already. */
  public void setMedia(Handle h, String messageId, String mediaJson) {
    Sql.update(h, "UPDATE messages SET media = ? WHERE id = ? AND media IS NULL", mediaJson, messageId);
  }
}
