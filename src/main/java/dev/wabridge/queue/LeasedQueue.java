package dev.wabridge.queue;

import dev.wabridge.config.Tuning;
import dev.wabridge.db.Sql;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** A durable queue whose rows are claimed under a lease by a {@link QueueWorker}. */
public interface LeasedQueue<C> {
  /** How its worker works it: rows at once, their lease, its renewal and the sweep of expired ones. */
  Tuning.Queue settings();

  /** Claims up to {@code limit} due rows, leased until {@code leaseUntil}. */
  List<C> claim(Handle h, long now, long leaseUntil, int limit);

  /** The rows ({@code seq}) a claim holds. */
  List<Long> rows(C claim);

  /** Deletes the claim's rows, in {@code later} with the rest of the unit that retires it. */
  void done(Sql.Later later, C claim);

  /** How many times the claim was tried before. */
  int attempts(C claim);

  /** Gives a claim back, due again at {@code notBefore}, counting an attempt. */
  void retryLater(Handle h, C claim, long notBefore);

  /** Gives back rows whose lease ran out (their node died). */
  int releaseExpired(Handle h, long now);

  /** Gives back every leased row (at start, when no other node can hold any). */
  int releaseAll(Handle h);

  /**
   * SQL for "row {@code alias} is the oldest of its conversation in {@code table}": only that row can be claimed,
   * so a conversation's rows leave in order and one at a time. Written as "no older row" rather than
   * "seq = MIN(seq)" so that PostgreSQL walks the queue in seq order and stops at the limit instead of sorting
   * every pending row (measured with EXPLAIN ANALYZE: README, Performance).
   */
  static String oldestOfItsConversation(String table, String alias) {
    return "NOT EXISTS (SELECT 1 FROM " + table + " p WHERE p.conversation_id = " + alias + ".conversation_id "
        + "AND p.seq < " + alias + ".seq)";
  }

  /**
   * SQL for "the conversation (the parameter) has no row in {@code table}": a row inserted under this condition,
   * while the conversation's row is locked, is its only one and can start at once ({@link DirectStart}).
   */
  static String conversationIsEmpty(String table) {
    return "NOT EXISTS (SELECT 1 FROM " + table + " WHERE conversation_id = ?)";
  }
}
