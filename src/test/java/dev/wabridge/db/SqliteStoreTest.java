package dev.wabridge.db;

/** The store contract on SQLite (WAL). */
class SqliteStoreTest extends StoreContract {
  @Override
  boolean postgres() {
    return false;
  }
}
