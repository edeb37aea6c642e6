package dev.wabridge.e2e;

/** The core loop on PostgreSQL (127.0.0.1:5432; skipped with a message where there is none). */
class CoreLoopPostgresTest extends CoreLoopContract {
  @Override
  boolean postgres() {
    return true;
  }
}
