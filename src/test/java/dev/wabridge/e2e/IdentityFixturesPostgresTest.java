package dev.wabridge.e2e;

/** IdentityFixturesContract on PostgreSQL (127.0.0.1:5432; skipped with a message where there is none). */
class IdentityFixturesPostgresTest extends IdentityFixturesContract {
  @Override
  boolean postgres() {
    return true;
  }
}
