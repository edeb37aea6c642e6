package dev.wabridge.db;

/**
 * PostgreSQL: several nodes and several writers share the rows, and every statement is a round trip, so claims
 * skip rows locked elsewhere and writes are combined into as few statements as possible.
 */
public final class PostgresDialect implements Dialect {
  private final int writers;

  /** @param writers how many writers share the writes ({@link dev.wabridge.config.Tuning.Storage#postgresWriters}) */
  PostgresDialect(int writers) {
    this.writers = writers;
  }

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
    return writers;
  }

  @Override
  public boolean singleNode() {
    return false;
  }
}
