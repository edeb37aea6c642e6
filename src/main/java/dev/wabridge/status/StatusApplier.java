package dev.wabridge.status;

import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.inbound.WebhookEvent.StatusUpdate;
import dev.wabridge.store.Sql;
import org.jdbi.v3.core.Handle;

/**
 * Applies Meta's status webhooks to our messages monotonically: sent &lt; delivered &lt; read, failed terminal,
 * whatever order they arrive in. A status for a wamid we have not recorded yet (Meta can report "sent" before
 * our send call has returned) is kept and applied when the send is recorded.
 */
public final class StatusApplier {
  public void apply(Handle h, StatusUpdate s, long now) {
    MessageStatus status = MessageStatus.fromMeta(s.status());
    if (status == null || s.wamid() == null) {
      return;
    }
    int updated = update(h, s.wamid(), status, s.errorCode(), s.errorMessage(), now);
    if (updated == 0 && Sql.queryString(h, "SELECT id FROM messages WHERE wamid = ?", s.wamid()) == null) {
      Sql.update(h, "INSERT INTO early_statuses(wamid, status, error_code, error_message, received_at) "
          + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (wamid, status) DO NOTHING", s.wamid(), status.wire(), s.errorCode(),
          s.errorMessage(), now);
    }
  }

  /** Called in the transaction that records a send's wamid. */
  public void applyEarly(Handle h, String wamid, long now) {
    if (Sql.queryString(h, "SELECT status FROM early_statuses WHERE wamid = ?", wamid) == null) {
      return;
    }
    var early = h.createQuery("SELECT status, error_code, error_message FROM early_statuses WHERE wamid = :w")
        .bind("w", wamid)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).list();
    if (early.isEmpty()) {
      return;
    }
    for (String[] e : early) {
      update(h, wamid, MessageStatus.valueOf(e[0].toUpperCase()), e[1], e[2], now);
    }
    h.createUpdate("DELETE FROM early_statuses WHERE wamid = :w").bind("w", wamid).execute();
  }

  private static int update(Handle h, String wamid, MessageStatus status, String code, String message, long now) {
    if (status == MessageStatus.FAILED) {
      return Sql.update(h, "UPDATE messages SET status = 'failed', status_rank = ?, error_code = ?, error_message = ?, "
          + "updated_at = ? WHERE wamid = ? AND status_rank < ?", status.rank(), code == null ? "failed" : code,
          message == null ? "Meta reported the message as failed" : message, now, wamid, status.rank());
    }
    return Sql.update(h, "UPDATE messages SET status = ?, status_rank = ?, updated_at = ? WHERE wamid = ? "
        + "AND status_rank < ?", status.wire(), status.rank(), now, wamid, status.rank());
  }
}
