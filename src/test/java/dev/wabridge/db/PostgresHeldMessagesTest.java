package dev.wabridge.db;

/** The held-messages contract on PostgreSQL (127.0.0.1:5432; skipped with a message where there is none). */
class PostgresHeldMessagesTest extends HeldMessagesContract {
  @Override
  boolean postgres() {
    return true;
  }
}
