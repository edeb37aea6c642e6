package dev.wabridge.db;

/**
 * Every SQL difference between SQLite and PostgreSQL lives here; the rest of the SQL is shared.
 */
public enum Dialect {
  SQLITE("sqlite", ""),
  POSTGRESQL("postgresql", " FOR UPDATE SKIP LOCKED");

  private final String migrations;
  private final String lockClause;

  Dialect(String migrations, String lockClause) {
    this.migrations = migrations;
    this.lockClause = lockClause;
  }

  /** Flyway location of this dialect's migrations. */
  public String migrationLocation() {
    return "classpath:db/" + migrations;
  }

  /**
   * Appended to a claim query. PostgreSQL skips rows another node holds; SQLite has one writer (this
   * process's {@link WriteBatcher}), so the claim is already exclusive.
   */
  public String skipLocked() {
    return lockClause;
  }

  /**
   * Appended to a read of a row the transaction is about to change on what it read. PostgreSQL locks the row until
   * the commit; on SQLite the writer is alone anyway.
   */
  public String forUpdate() {
    return this == POSTGRESQL ? " FOR UPDATE" : "";
  }

}
