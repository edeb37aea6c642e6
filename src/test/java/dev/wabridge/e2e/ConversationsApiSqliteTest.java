package dev.wabridge.e2e;

/** ConversationsApiContract on SQLite. */
class ConversationsApiSqliteTest extends ConversationsApiContract {
  @Override
  boolean postgres() {
    return false;
  }
}
