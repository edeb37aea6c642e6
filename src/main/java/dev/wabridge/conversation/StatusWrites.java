package dev.wabridge.conversation;

import dev.wabridge.db.Sql;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Meta's status webhooks as they change our messages: monotonically (sent &lt; delivered &lt; read, failed terminal)
 * and only for a message of the number the webhook came for. The {@code status} package decides what to apply and
 * keeps statuses whose message is not recorded yet; on PostgreSQL it sends {@link #SET_STATUS} and its keeping in one
 * statement (one round trip per status), which is why the statement and its condition are given as text.
 */
public final class StatusWrites {
  /**
   * One statement for every status; a failure also records its code (the others leave the columns as they are).
   * Its parameters are {@link Change#parameters()}; the last is the number the status came for.
   */
  public static final String SET_STATUS = "UPDATE messages SET status = ?, status_rank = ?, "
      + "error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message), updated_at = ? "
      + "WHERE wamid = ? AND status_rank < ? "
      + "AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = messages.conversation_id AND c.number_id = ?)";

  /** A subquery with a row when a message with the wamid (its one parameter) is recorded. */
  public static final String MESSAGE_WITH_WAMID = "SELECT 1 FROM messages WHERE wamid = ?";

  /** The same, for a statement on early_statuses aliased {@code e}: no parameter, the wamid is {@code e.wamid}. */
  public static final String MESSAGE_OF_EARLY_STATUS = "SELECT 1 FROM messages m WHERE m.wamid = e.wamid";

  /** A status for the message with {@code wamid}, from {@code numberId} (our number's id). */
  public record Change(String wamid, String numberId, MessageStatus status, String errorCode, String errorMessage,
                       long at) {
    /**
     * {@link #SET_STATUS}'s parameters, in order. A failure without Meta's code or message still says it failed.
     */
    public List<Object> parameters() {
      boolean failed = status == MessageStatus.FAILED;
      return Arrays.asList(status.wire(), status.rank(), failed && errorCode == null ? "failed" : errorCode,
          failed && errorMessage == null ? "Meta reported the message as failed" : errorMessage, at, wamid,
          status.rank(), numberId);
    }
  }

  /** Applies the status if it moves the message on; returns whether it did (false also for an unknown wamid). */
  public boolean apply(Handle h, Change c) {
    return Sql.updateWith(h, SET_STATUS, c.parameters()) > 0;
  }
}
