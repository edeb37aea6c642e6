package dev.wabridge.db;

/** The held-messages contract on SQLite. */
class SqliteHeldMessagesTest extends HeldMessagesContract {
  @Override
  boolean postgres() {
    return false;
  }
}
