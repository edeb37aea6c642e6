package dev.wabridge.agent;

import dev.wabridge.store.Dialect;
import dev.wabridge.store.Ids;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The durable list of agent calls still to make, one per inbound message. A conversation's turns are taken
 * strictly oldest first and one at a time: only the conversation's oldest row can be claimed, and it stays
 * the oldest while it runs.
 */
public final class TurnQueue {
  /** A claimed turn; {@code id} is the delivery id the agent sees on every attempt. */
  record Claim(long seq, String id, String conversationId, String messageId, int attempts) {
  }

  private final Dialect dialect;

  public TurnQueue(Dialect dialect) {
    this.dialect = dialect;
  }

  public void add(Handle h, String conversationId, String messageId, long now) {
    h.createUpdate("INSERT INTO turns(id, conversation_id, message_id, state, attempts, not_before, created_at) "
            + "VALUES (:id, :c, :m, 'pending', 0, :now, :now)")
        .bind("id", Ids.newId("dlv")).bind("c", conversationId).bind("m", messageId).bind("now", now).execute();
  }

  List<Claim> claim(Handle h, long now, long leaseUntil, int limit) {
    List<Claim> claims = h.createQuery("SELECT t.seq, t.id, t.conversation_id, t.message_id, t.attempts FROM turns t "
            + "WHERE t.state = 'pending' AND t.not_before <= :now "
            + "AND t.seq = (SELECT MIN(p.seq) FROM turns p WHERE p.conversation_id = t.conversation_id) "
            + "ORDER BY t.seq LIMIT :limit" + dialect.skipLocked())
        .bind("now", now).bind("limit", limit)
        .map((rs, ctx) -> new Claim(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
        .list();
    if (!claims.isEmpty()) {
      var batch = h.prepareBatch("UPDATE turns SET state = 'running', lease_until = :lease WHERE seq = :seq");
      for (Claim c : claims) {
        batch.bind("lease", leaseUntil).bind("seq", c.seq()).add();
      }
      batch.execute();
    }
    return claims;
  }

  void done(Handle h, long seq) {
    h.createUpdate("DELETE FROM turns WHERE seq = :seq").bind("seq", seq).execute();
  }

  void retryLater(Handle h, long seq, long notBefore) {
    h.createUpdate("UPDATE turns SET state = 'pending', attempts = attempts + 1, not_before = :nb, lease_until = NULL "
        + "WHERE seq = :seq").bind("nb", notBefore).bind("seq", seq).execute();
  }

  int releaseExpired(Handle h, long now) {
    return h.createUpdate("UPDATE turns SET state = 'pending', lease_until = NULL WHERE state = 'running' "
        + "AND lease_until < :now").bind("now", now).execute();
  }

  /** At start on SQLite (one node by definition) every running turn belongs to the previous, dead process. */
  int releaseAll(Handle h) {
    return h.createUpdate("UPDATE turns SET state = 'pending', lease_until = NULL WHERE state = 'running'").execute();
  }
}
