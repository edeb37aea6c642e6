package dev.wabridge.status;

import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.inbound.WebhookEvent.StatusUpdate;
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
    if (updated == 0 && h.createQuery("SELECT 1 FROM messages WHERE wamid = :w").bind("w", s.wamid())
        .mapTo(Integer.class).findOne().isEmpty()) {
      h.createUpdate("INSERT INTO early_statuses(wamid, status, error_code, error_message, received_at) "
              + "VALUES (:w, :s, :code, :msg, :now) ON CONFLICT (wamid, status) DO NOTHING")
          .bind("w", s.wamid()).bind("s", status.wire()).bind("code", s.errorCode()).bind("msg", s.errorMessage())
          .bind("now", now).execute();
    }
  }

  /** Called in the transaction that records a send's wamid. */
  public void applyEarly(Handle h, String wamid, long now) {
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
      return h.createUpdate("UPDATE messages SET status = 'failed', status_rank = :r, error_code = :code, "
              + "error_message = :msg, updated_at = :now WHERE wamid = :w AND status_rank < :r")
          .bind("r", status.rank()).bind("code", code == null ? "failed" : code)
          .bind("msg", message == null ? "Meta reported the message as failed" : message).bind("now", now)
          .bind("w", wamid).execute();
    }
    return h.createUpdate("UPDATE messages SET status = :s, status_rank = :r, updated_at = :now "
            + "WHERE wamid = :w AND status_rank < :r")
        .bind("s", status.wire()).bind("r", status.rank()).bind("now", now).bind("w", wamid).execute();
  }
}
