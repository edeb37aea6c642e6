package dev.wabridge.store;

import dev.wabridge.testing.TestDatabases;

/** The held-messages contract on PostgreSQL (127.0.0.1:5432; skipped with a message where there is none). */
class PostgresHeldMessagesTest extends HeldMessagesContract {
  private String url;

  @Override
  Database open() {
    url = TestDatabases.freshPostgres();
    return Database.postgres(url, TestDatabases.user(), null);
  }

  @Override
  void cleanup() {
    TestDatabases.drop(url);
  }
}
