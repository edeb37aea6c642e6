package dev.wabridge.db;

/**
 * PostgreSQL: several nodes and several writers share the rows, and every statement is a round trip, so claims
 * skip rows locked elsewhere and writes are combined into as few statements as possible.
 */
public final class PostgresDialect implements Dialect {
  /**
   * A single writer spends most of its time waiting for round trips, so writes are spread over several, one per
   * core (at least 2, at most 8). More writers than cores made smaller batches and cost more CPU per message than
   * they won back (README, performance).
   */
  public static final int WRITERS = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8);

  @Override
  public String migrationLocation() {
    return "classpath:db/postgresql";
  }

  @Override
  public String skipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String forUpdate() {
    return " FOR UPDATE";
  }

  @Override
  public boolean combinesStatements() {
    return true;
  }

  @Override
  public int writers() {
    return WRITERS;
  }

  @Override
  public boolean singleNode() {
    return false;
  }
}
