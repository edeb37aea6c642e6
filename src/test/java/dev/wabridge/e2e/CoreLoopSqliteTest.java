package dev.wabridge.e2e;

/** The core loop on the embedded default, SQLite. */
class CoreLoopSqliteTest extends CoreLoopContract {
  @Override
  boolean postgres() {
    return false;
  }
}
