package dev.wabridge.queue;

/**
 * The states of a {@link LeasedQueue}'s row, as its {@code state} column holds them. Statements write them as
 * literals ({@link #sql()}), not parameters: the planner then sees which state a query wants, as the
 * {@code (state, not_before)} indexes expect.
 */
public enum QueueState {
  /** Waiting for its {@code not_before} and a claim. */
  PENDING("pending"),
  /** A turn leased to a node: its agent call is under way. */
  RUNNING("running"),
  /** A send leased to a node: Meta is being called. */
  SENDING("sending");

  private final String sql;

  QueueState(String wire) {
    this.sql = "'" + wire + "'";
  }

  /** The state as an SQL literal, quoted. */
  public String sql() {
    return sql;
  }
}
