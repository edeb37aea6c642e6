package dev.wabridge.crash;

import java.util.Map;

/** The crash test on the embedded default, SQLite in WAL mode. */
class SqliteCrashRecoveryIT extends CrashRecoveryContract {
  @Override
  Map<String, String> database() {
    return Map.of();
  }
}
