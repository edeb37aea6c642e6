package dev.wabridge.e2e;

/** ConversationsApiContract on PostgreSQL (127.0.0.1:5432; skipped with a message where there is none). */
class ConversationsApiPostgresTest extends ConversationsApiContract {
  @Override
  boolean postgres() {
    return true;
  }
}
