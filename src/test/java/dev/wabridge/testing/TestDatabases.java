package dev.wabridge.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the contract suites run on. PostgreSQL is the server on 127.0.0.1:5432 (database {@code test},
 * trust auth); each use gets a fresh database of its own. System property {@code wabridge.test.postgres}:
 * {@code true} (CI: must be there), {@code false} (skip), {@code auto} (use it when it answers).
 */
public final class TestDatabases {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String USER = "postgres";

  private TestDatabases() {
  }

  /** Creates an empty PostgreSQL database and returns its JDBC URL, or skips the test with a visible reason. */
  public static String freshPostgres() {
    String mode = System.getProperty("wabridge.test.postgres", "auto").toLowerCase(Locale.ROOT);
    if (mode.equals("false")) {
      Assumptions.abort("PostgreSQL suites SKIPPED: wabridge.test.postgres=false (no PostgreSQL on this machine)");
    }
    String name = "wbtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(SERVER + "test", USER, null)) {
      c.createStatement().execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      if (mode.equals("true")) {
        throw new IllegalStateException("wabridge.test.postgres=true but PostgreSQL at 127.0.0.1:5432 failed: "
            + e.getMessage(), e);
      }
      Assumptions.abort("PostgreSQL suites SKIPPED: no PostgreSQL at 127.0.0.1:5432 (" + e.getMessage() + ")");
    }
    return SERVER + name;
  }

  public static String user() {
    return USER;
  }

  public static void drop(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(SERVER + "test", USER, null)) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException ignored) {
      // best effort: a leftover test database does no harm
    }
  }
}
