package dev.wabridge.crash;

import dev.wabridge.testing.TestDatabases;
import java.util.Map;

/** The crash test on PostgreSQL (127.0.0.1:5432; skipped with a message where there is none). */
class PostgresCrashRecoveryIT extends CrashRecoveryContract {
  @Override
  Map<String, String> database() {
    return Map.of("WABRIDGE_DATABASE_URL", TestDatabases.freshPostgres(), "WABRIDGE_DATABASE_USER",
        TestDatabases.user());
  }
}
