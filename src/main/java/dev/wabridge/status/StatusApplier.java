package dev.wabridge.status;

import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.conversation.StatusWrites;
import dev.wabridge.whatsapp.WebhookEvent.StatusUpdate;
import dev.wabridge.db.Dialect;
import dev.wabridge.db.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Applies Meta's status webhooks to our messages monotonically: sent &lt; delivered &lt; read, failed terminal,
 * whatever order they arrive in. A status changes a message only when the message belongs to the number the
 * webhook named (its conversation's number): a tenant signing for its own number cannot touch another's messages.
 * A status for a wamid we have not recorded yet (Meta can report "sent" before our send call has returned) is kept
 * with its number and applied when the send is recorded, again only to a message of that number.
 *
 * <p>Every message gets three of these, so they cost as few round trips as possible: on PostgreSQL the update and
 * the keeping-for-later are one statement, and a webhook's statuses go as one JDBC batch. The number is checked
 * by a primary-key probe of the message's conversation after the wamid's unique index found the message.
 */
public final class StatusApplier {
  /**
   * Keeps a status for later unless its message is known (then the update, {@link StatusWrites#SET_STATUS}, applied
   * it, or it was older, or the message is another number's and the status is dropped).
   */
  private static final String KEEP_EARLY = "INSERT INTO early_statuses(wamid, number_id, status, error_code, "
      + "error_message, received_at) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (" + StatusWrites.MESSAGE_WITH_WAMID + ") "
      + "ON CONFLICT (wamid, number_id, status) DO NOTHING";
  /**
   * PostgreSQL: both in one statement. The NOT EXISTS sees the statement's snapshot, from before the update: the
   * message exists or not either way.
   */
  private static final String SET_OR_KEEP = "WITH applied AS (" + StatusWrites.SET_STATUS + " RETURNING 1) " + KEEP_EARLY;
  private static final String KEPT_COLUMNS = " RETURNING wamid, number_id, status, error_code, error_message";

  /** A status kept for later, as its row is removed. */
  private record Kept(String wamid, String numberId, String status, String errorCode, String errorMessage) {
  }

  private final Dialect dialect;
  private final StatusWrites messages = new StatusWrites();

  public StatusApplier(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Applies a webhook's statuses in order; on PostgreSQL in one round trip (each still sees those before it).
   * {@code numberIds} gives our number id for a status's {@code phone_number_id}, or null when it is not ours: such a
   * status is dropped.
   */
  public void applyAll(Handle h, List<StatusUpdate> statuses, Function<String, String> numberIds, long now) {
    List<StatusWrites.Change> setOrKeep = new ArrayList<>(statuses.size());
    for (StatusUpdate s : statuses) {
      MessageStatus status = MessageStatus.fromMeta(s.status());
      String numberId = s.phoneNumberId() == null ? null : numberIds.apply(s.phoneNumberId());
      if (status == null || s.wamid() == null || numberId == null) {
        continue;
      }
      StatusWrites.Change set = new StatusWrites.Change(s.wamid(), numberId, status, s.errorCode(), s.errorMessage(),
          now);
      if (dialect.combinesStatements()) {
        setOrKeep.add(set);
      } else if (!messages.apply(h, set)) {
        Sql.updateWith(h, KEEP_EARLY, keepParameters(set));
      }
    }
    Sql.batch(h, SET_OR_KEEP, setOrKeep, StatusApplier::setOrKeepParameters);
  }

  /** {@link #KEEP_EARLY}'s parameters: the status as Meta reported it, kept for the message's wamid. */
  private static List<Object> keepParameters(StatusWrites.Change c) {
    return Arrays.asList(c.wamid(), c.numberId(), c.status().wire(), c.errorCode(), c.errorMessage(), c.at(),
        c.wamid());
  }

  /** {@link #SET_OR_KEEP}'s parameters: the update's, then the keeping's. */
  private static List<Object> setOrKeepParameters(StatusWrites.Change c) {
    List<Object> both = new ArrayList<>(c.parameters());
    both.addAll(keepParameters(c));
    return both;
  }

  /**
   * Called in the transaction that records a send's wamid, with that write in {@code later}: applies what arrived
   * before it, usually nothing. On PostgreSQL the lookup goes in the same statement as the writes held.
   */
  public void applyEarly(Sql.Later later, String wamid, long now) {
    applyKept(later.handle(), later.list("DELETE FROM early_statuses WHERE wamid = ?" + KEPT_COLUMNS,
        StatusApplier::kept, wamid), now);
  }

  /**
   * Applies kept statuses whose message has been recorded since, and removes them. Normally {@link #applyEarly}
   * did that in the transaction that recorded the wamid; this catches a status kept concurrently with that
   * transaction, on another node. Returns how many it removed (at most 500 a call); one kept for another number
   * than its message's is removed without effect.
   */
  public int applyLate(Handle h, long now) {
    List<Kept> late = Sql.list(h, "DELETE FROM early_statuses WHERE (wamid, number_id, status) IN (SELECT "
        + "e.wamid, e.number_id, e.status FROM early_statuses e WHERE EXISTS ("
        + StatusWrites.MESSAGE_OF_EARLY_STATUS + ") LIMIT 500)" + KEPT_COLUMNS, StatusApplier::kept);
    applyKept(h, late, now);
    return late.size();
  }

  private static Kept kept(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Kept(rs.getString("wamid"), rs.getString("number_id"), rs.getString("status"),
        rs.getString("error_code"), rs.getString("error_message"));
  }

  /** Kept statuses whose message is recorded now. */
  private void applyKept(Handle h, List<Kept> kept, long now) {
    for (Kept k : kept) {
      messages.apply(h, new StatusWrites.Change(k.wamid(), k.numberId(), MessageStatus.fromWire(k.status()),
          k.errorCode(), k.errorMessage(), now));
    }
  }
}
