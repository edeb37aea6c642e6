package dev.wabridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;

/**
 * Plain JDBC for the statements every message runs through the writer. JDBI copies its whole configuration for
 * each statement it creates; on the hot path that cost more CPU than SQLite itself (JFR, bench), so these few
 * statements bind positional parameters directly.
 */
public final class Sql {
  private Sql() {
  }

  /** Runs an INSERT, UPDATE or DELETE with positional {@code ?} parameters; returns the rows changed. */
  public static int update(Handle h, String sql, Object... args) {
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  /** The first column of the first row as a string, or null when there is no row. */
  public static String queryString(Handle h, String sql, Object... args) {
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      switch (a) {
        case null -> ps.setNull(i + 1, java.sql.Types.NULL);
        case String s -> ps.setString(i + 1, s);
        case Long l -> ps.setLong(i + 1, l);
        case Integer n -> ps.setInt(i + 1, n);
        default -> ps.setObject(i + 1, a);
      }
    }
  }

  /** A statement failed; the SQL is named, the values are not (they may be customers' messages). */
  public static final class StoreException extends RuntimeException {
    StoreException(String sql, SQLException cause) {
      super("statement failed: " + sql, cause);
    }
  }
}
