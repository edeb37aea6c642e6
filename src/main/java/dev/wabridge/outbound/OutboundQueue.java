package dev.wabridge.outbound;

import dev.wabridge.Json;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.reply.Draft;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import dev.wabridge.store.Dialect;
import dev.wabridge.store.LeasedQueue;
import dev.wabridge.store.Sql;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable send queue. A reply's messages are stored and queued in the caller's transaction, so an accepted
 * reply survives a crash. Rows leave the queue oldest first, one in flight per conversation ({@link SendWorker}).
 */
public final class OutboundQueue implements LeasedQueue<OutboundQueue.Claim> {
  /** One queued or failed message, as the callback and send APIs report it. */
  public record Queued(String id, String status) {
  }

  /** A claimed send. */
  public record Claim(long seq, String messageId, String conversationId, String numberId, int attempts, long deadline) {
  }

  private final ConversationStore conversations;
  private final Dialect dialect;

  public OutboundQueue(ConversationStore conversations, Dialect dialect) {
    this.conversations = conversations;
    this.dialect = dialect;
  }

  /**
   * Stores each draft as an outbound message and queues the valid ones, in order. Outside the 24-hour window
   * everything but templates fails at once with {@code window_closed}; invalid drafts fail with the reason.
   *
   * @param answeringWamid the customer's message being answered (a reaction without message_id targets it)
   */
  public List<Queued> enqueue(org.jdbi.v3.core.Handle h, Conversation c, List<Draft> drafts, String answeringWamid,
                              long now) {
    List<Queued> out = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      out.add(enqueueOne(h, c, d, answeringWamid, now));
    }
    return out;
  }

  private Queued enqueueOne(org.jdbi.v3.core.Handle h, Conversation c, Draft d, String answeringWamid, long now) {
    if (d instanceof Invalid inv) {
      String id = conversations.insertFailedOutbound(h, c, inv.type(), null, null, "invalid_content", inv.message(),
          now);
      return new Queued(id, "failed");
    }
    Outgoing o = (Outgoing) d;
    ObjectNode message = o.message();
    if (o.type().equals("reaction")) {
      ObjectNode r = message.withObject("reaction");
      if (!r.has("message_id")) {
        if (answeringWamid == null) {
          String id = conversations.insertFailedOutbound(h, c, "reaction", o.text(), Json.string(message),
              "invalid_content", "message_id: is required (there is no customer message to react to)", now);
          return new Queued(id, "failed");
        }
        r.put("message_id", answeringWamid);
      }
    }
    String content = Json.string(message);
    boolean template = o.type().equals("template");
    if (!template && !c.windowOpen(now)) {
      String id = conversations.insertFailedOutbound(h, c, o.type(), o.text(), content, "window_closed",
          "the customer last wrote more than 24 hours ago; outside the service window only a template can be sent",
          now);
      return new Queued(id, "failed");
    }
    // The window is checked again before each attempt (it moves when the customer writes again), so the
    // deadline only bounds retries: a day, as for templates.
    long deadline = now + Conversation.WINDOW_MILLIS;
    String id = conversations.insertOutbound(h, c, o.type(), o.text(), content, null, now);
    Sql.update(h, "INSERT INTO outbox(message_id, conversation_id, number_id, state, attempts, not_before, deadline, "
        + "created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)", id, c.id(), c.numberId(), now, deadline, now);
    return new Queued(id, "queued");
  }

  /** Claims up to {@code limit} conversation heads that are due, leasing them until {@code leaseUntil}. */
  @Override
  public List<Claim> claim(org.jdbi.v3.core.Handle h, long now, long leaseUntil, int limit) {
    List<Claim> claims = Sql.list(h, "SELECT o.seq, o.message_id, o.conversation_id, o.number_id, o.attempts, "
            + "o.deadline FROM outbox o WHERE o.state = 'pending' AND o.not_before <= ? "
            + "AND o.seq = (SELECT MIN(p.seq) FROM outbox p WHERE p.conversation_id = o.conversation_id) "
            + "ORDER BY o.seq LIMIT ?" + dialect.skipLocked(),
        rs -> new Claim(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getLong(6)),
        now, limit);
    List<Object[]> leased = new ArrayList<>(claims.size());
    for (Claim c : claims) {
      leased.add(new Object[] {leaseUntil, c.seq()});
    }
    Sql.batch(h, "UPDATE outbox SET state = 'sending', lease_until = ? WHERE seq = ?", leased);
    return claims;
  }

  public void done(org.jdbi.v3.core.Handle h, long seq) {
    Sql.update(h, "DELETE FROM outbox WHERE seq = ?", seq);
  }

  @Override
  public int attempts(Claim c) {
    return c.attempts();
  }

  @Override
  public List<Long> rows(Claim c) {
    return List.of(c.seq());
  }

  @Override
  public void retryLater(org.jdbi.v3.core.Handle h, Claim c, long notBefore) {
    h.createUpdate("UPDATE outbox SET state = 'pending', attempts = attempts + 1, not_before = :nb, lease_until = NULL "
        + "WHERE seq = :seq").bind("nb", notBefore).bind("seq", c.seq()).execute();
  }

  /** Puts a send back for later without counting an attempt (pacing). */
  void delay(org.jdbi.v3.core.Handle h, long seq, long notBefore) {
    h.createUpdate("UPDATE outbox SET state = 'pending', not_before = :nb, lease_until = NULL WHERE seq = :seq")
        .bind("nb", notBefore).bind("seq", seq).execute();
  }

  /** Puts sends whose lease ran out (their node died mid-send) back in the queue. */
  @Override
  public int releaseExpired(org.jdbi.v3.core.Handle h, long now) {
    return h.createUpdate("UPDATE outbox SET state = 'pending', lease_until = NULL WHERE state = 'sending' "
        + "AND lease_until < :now").bind("now", now).execute();
  }

  /** At start on SQLite (one node by definition) every lease belongs to the previous, dead process. */
  @Override
  public int releaseAll(org.jdbi.v3.core.Handle h) {
    return h.createUpdate("UPDATE outbox SET state = 'pending', lease_until = NULL WHERE state = 'sending'").execute();
  }

}
