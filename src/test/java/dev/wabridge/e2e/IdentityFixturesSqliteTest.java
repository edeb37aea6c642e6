package dev.wabridge.e2e;

/** IdentityFixturesContract on SQLite. */
class IdentityFixturesSqliteTest extends IdentityFixturesContract {
  @Override
  boolean postgres() {
    return false;
  }
}
