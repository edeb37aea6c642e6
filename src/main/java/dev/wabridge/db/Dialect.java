package dev.wabridge.db;

/**
 * What differs between the databases wabridge runs on, one implementation each ({@link SqliteDialect},
 * {@link PostgresDialect}), after db-scheduler's {@code JdbcCustomization}: the statement fragments that differ and
 * the few choices that follow from how each database is reached. The rest of the SQL is shared; code outside
 * this package asks the dialect rather than which database it is.
 */
public interface Dialect {
  /** Flyway location of this dialect's migrations. */
  String migrationLocation();

  /**
   * Appended to a claim query: skips rows another node holds, where other nodes can hold rows; nothing where
   * one writer (this process's {@link WriteBatcher}) makes the claim exclusive already.
   */
  String skipLocked();

  /**
   * Appended to a read of a row the transaction is about to change on what it read: locks the row until the
   * commit, where another writer could change it in between.
   */
  String forUpdate();

  /**
   * Whether each statement costs a round trip to a server, so that writes are worth combining into fewer, larger
   * statements ({@link Sql.Later}, one-statement variants of a write). Where a statement is a function call
   * (SQLite) the plain statements are cheaper.
   */
  boolean combinesStatements();

  /** How many {@link WriteBatcher}s the database gets ({@link Database#writer(String)}). */
  int writers();

  /**
   * Whether this process is the database's only node, so that every lease found at start was the previous
   * process's and can be taken back at once instead of waiting for it to run out.
   */
  boolean singleNode();
}
