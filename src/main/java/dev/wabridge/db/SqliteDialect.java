package dev.wabridge.db;

/**
 * SQLite: one process, one writer by nature, and a statement is a function call rather than a round trip, so
 * nothing needs locking clauses and the plain statements are the cheap ones.
 */
public final class SqliteDialect implements Dialect {
  @Override
  public String migrationLocation() {
    return "classpath:db/sqlite";
  }

  /** One writer: the claim is exclusive already. */
  @Override
  public String skipLocked() {
    return "";
  }

  /** The writer is alone: nothing changes the row in between. */
  @Override
  public String forUpdate() {
    return "";
  }

  @Override
  public boolean combinesStatements() {
    return false;
  }

  @Override
  public int writers() {
    return 1;
  }

  @Override
  public boolean singleNode() {
    return true;
  }
}
