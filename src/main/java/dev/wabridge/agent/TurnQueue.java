package dev.wabridge.agent;

import dev.wabridge.config.Tuning;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationFollower;
import dev.wabridge.db.Dialect;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.support.Ids;
import dev.wabridge.queue.LeasedQueue;
import static dev.wabridge.queue.QueueState.PENDING;
import static dev.wabridge.queue.QueueState.RUNNING;
import dev.wabridge.db.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The durable list of agent calls still to make, one row per inbound message. A conversation's turns are taken
 * strictly oldest first and one call at a time: only the conversation's oldest row can be claimed, and it
 * stays the oldest while it runs.
 *
 * <p>Debounce is in the data too: a new message in a conversation whose agent has {@code debounce_ms} pushes
 * every pending turn of that conversation to "now + debounce", so the head becomes due only after a quiet gap;
 * claiming it then takes the conversation's other pending turns with it, to be answered in one call.
 */
public final class TurnQueue implements LeasedQueue<TurnQueue.Claim>, ConversationFollower {
  /**
   * A claimed turn; {@code id} is the delivery id the agent sees on every attempt. {@code messageIds} are the
   * messages answered by this call, oldest first (one, or several merged by debounce); {@code seqs} their rows.
   * {@code replayed}: the message waited for the agent and was released when it was deployed ({@link HeldMessages}).
   */
  public record Claim(long seq, String id, String conversationId, List<String> messageIds, List<Long> seqs,
                      int attempts, boolean replayed) {
    public Claim(long seq, String id, String conversationId, List<String> messageIds, List<Long> seqs, int attempts) {
      this(seq, id, conversationId, messageIds, seqs, attempts, false);
    }

    String lastMessageId() {
      return messageIds.getLast();
    }
  }

  private static final String DEBOUNCE = "UPDATE turns SET not_before = ? WHERE conversation_id = ? AND state = "
      + PENDING.sql() + " AND debounce_ms > 0 AND attempts = 0";
  private static final String INSERT_STARTED = "INSERT INTO turns(id, conversation_id, message_id, state, attempts, "
      + "not_before, lease_until, debounce_ms, created_at) SELECT ?, ?, ?, " + RUNNING.sql() + ", 0, ?, ?, 0, ? WHERE "
      + LeasedQueue.conversationIsEmpty("turns") + " RETURNING seq";
  private static final String INSERT_PENDING = "INSERT INTO turns(id, conversation_id, message_id, state, attempts, "
      + "not_before, debounce_ms, created_at) VALUES (?, ?, ?, " + PENDING.sql() + ", 0, ?, ?, ?)";
  private static final String FOLLOWERS = "SELECT seq, message_id, debounce_ms FROM turns WHERE conversation_id = ? "
      + "AND state = " + PENDING.sql() + " AND seq > ? ORDER BY seq";

  private final Dialect dialect;
  private final Tuning.Queue settings;
  private final String claimHeads;

  /** @param settings how the turn worker works it ({@link Tuning#turns}) */
  public TurnQueue(Dialect dialect, Tuning.Queue settings) {
    this.dialect = dialect;
    this.settings = settings;
    this.claimHeads = "SELECT t.seq, t.id, t.conversation_id, t.message_id, t.attempts, t.debounce_ms, t.replayed "
        + "FROM turns t WHERE t.state = " + PENDING.sql() + " AND t.not_before <= ? "
        + "AND " + LeasedQueue.oldestOfItsConversation("turns", "t") + " "
        + "ORDER BY t.seq LIMIT ?" + dialect.skipLocked();
  }

  @Override
  public Tuning.Queue settings() {
    return settings;
  }

  /**
   * Queues the agent call for a customer's message. When it is its conversation's only turn and {@code direct}
   * has a slot (and no debounce holds it back), it is written already leased to this node and started after the
   * commit; otherwise it waits for the dispatcher's claim.
   */
  public void add(Handle h, String conversationId, String messageId, int debounceMs, long now,
                  DirectStart<Claim> direct) {
    long notBefore = now + Math.max(0, debounceMs);
    String id = Ids.newId("dlv");
    if (debounceMs > 0) {
      Sql.update(h, DEBOUNCE, notBefore, conversationId);
    } else if (direct.available()) {
      // The caller's transaction already locked the conversation's row (its window moved), so no other node
      // can add a turn to it between this check and the commit.
      Optional<Long> seq = Sql.one(h, INSERT_STARTED, rs -> rs.getLong(1), id, conversationId, messageId, notBefore,
          direct.leaseUntil(), now, conversationId);
      if (seq.isPresent()) {
        direct.take(new Claim(seq.get(), id, conversationId, List.of(messageId), List.of(seq.get()), 0));
        return;
      }
    }
    Sql.update(h, INSERT_PENDING, id, conversationId, messageId, notBefore, Math.max(0, debounceMs), now);
  }

  /**
   * Queues the agent call for a message that waited for the agent (it was held), behind whatever the conversation
   * has queued already; it is never merged with another (no debounce) and its payload says it is replayed.
   */
  void addReplayed(Handle h, String conversationId, String messageId, long now) {
    Sql.update(h, "INSERT INTO turns(id, conversation_id, message_id, state, attempts, not_before, debounce_ms, "
        + "created_at, replayed) VALUES (?, ?, ?, " + PENDING.sql() + ", 0, ?, 0, ?, 1)", Ids.newId("dlv"),
        conversationId, messageId, now, now);
  }

  private record Head(long seq, String id, String conversationId, String messageId, int attempts, int debounceMs,
                      boolean replayed) {
  }

  /** A pending turn behind a claimed head, which the claim may take along (debounce). */
  private record Follower(long seq, String messageId, int debounceMs) {
  }

  @Override
  public List<Claim> claim(Handle h, long now, long leaseUntil, int limit) {
    List<Head> heads = Sql.list(h, claimHeads,
        rs -> new Head(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getInt(6),
            rs.getInt(7) == 1),
        now, limit);
    List<Claim> claims = new ArrayList<>(heads.size());
    List<Long> leased = new ArrayList<>(heads.size());
    for (Head head : heads) {
      List<String> messages = new ArrayList<>(List.of(head.messageId()));
      List<Long> seqs = new ArrayList<>(List.of(head.seq()));
      if (head.debounceMs() > 0) {
        // Merge the pending messages that follow, up to the first one sent without debounce (the agent's
        // setting changed): merging past it would answer it after a later message.
        for (Follower f : Sql.list(h, FOLLOWERS, rs -> new Follower(rs.getLong(1), rs.getString(2), rs.getInt(3)),
            head.conversationId(), head.seq())) {
          if (f.debounceMs() == 0) {
            break;
          }
          seqs.add(f.seq());
          messages.add(f.messageId());
        }
      }
      leased.addAll(seqs);
      claims.add(new Claim(head.seq(), head.id(), head.conversationId(), List.copyOf(messages), List.copyOf(seqs),
          head.attempts(), head.replayed()));
    }
    Sql.batch(h, "UPDATE turns SET state = " + RUNNING.sql() + ", lease_until = ? WHERE seq = ?", leased,
        seq -> List.of(leaseUntil, seq));
    return claims;
  }

  @Override
  public int attempts(Claim c) {
    return c.attempts();
  }

  @Override
  public List<Long> rows(Claim c) {
    return c.seqs();
  }

  @Override
  public void done(Sql.Later later, Claim c) {
    for (long seq : c.seqs()) {
      later.update("DELETE FROM turns WHERE seq = ?", seq);
    }
  }

  @Override
  public void retryLater(Handle h, Claim c, long notBefore) {
    var batch = h.prepareBatch("UPDATE turns SET state = " + PENDING.sql() + ", attempts = attempts + 1, "
        + "not_before = :nb, lease_until = NULL WHERE seq = :seq");
    for (long seq : c.seqs()) {
      batch.bind("nb", notBefore).bind("seq", seq).add();
    }
    batch.execute();
  }

  @Override
  public int releaseExpired(Handle h, long now) {
    // A row another transaction holds is being finished or given back right now: skipped, not waited for
    // (waiting in a batch that holds other rows' locks can deadlock); if its lease is still out, the next sweep has it.
    return h.createUpdate("UPDATE turns SET state = " + PENDING.sql() + ", lease_until = NULL WHERE seq IN (SELECT "
        + "seq FROM turns WHERE state = " + RUNNING.sql() + " AND lease_until < :now" + dialect.skipLocked() + ")")
        .bind("now", now).execute();
  }

  /** A merged conversation's turns go with it: they answer the same messages, in the conversation that has them. */
  @Override
  public void move(Handle h, Conversation from, Conversation into) {
    Sql.update(h, "UPDATE turns SET conversation_id = ? WHERE conversation_id = ?", into.id(), from.id());
  }

  /** At start on SQLite (one node by definition) every running turn belongs to the previous, dead process. */
  @Override
  public int releaseAll(Handle h) {
    return h.createUpdate("UPDATE turns SET state = " + PENDING.sql() + ", lease_until = NULL WHERE state = "
        + RUNNING.sql()).execute();
  }
}
