package dev.wabridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Plain JDBC for the statements every message runs through the writer. JDBI copies its whole configuration for
 * each statement it creates; on the hot path that cost more CPU than SQLite itself (JFR, bench), so these few
 * statements bind positional parameters directly.
 */
public final class Sql {
  private Sql() {
  }

  /** Maps the current row of a result. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work on a pooled connection ({@link Database#read}). */
  @FunctionalInterface
  public interface Reads<T> {
    T run(Connection c) throws SQLException;
  }

  /** Every row, mapped. */
  public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  public static <T> List<T> list(Handle h, String sql, Row<T> row, Object... args) {
    return list(h.getConnection(), sql, row, args);
  }

  /** The first row, mapped, if there is one. */
  public static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  public static <T> Optional<T> one(Handle h, String sql, Row<T> row, Object... args) {
    return one(h.getConnection(), sql, row, args);
  }

  /** Runs one statement once per row of {@code rows} (each an array of its parameters), as a JDBC batch. */
  public static void batch(Handle h, String sql, List<Object[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      for (Object[] args : rows) {
        bind(ps, args);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
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
    public StoreException(String sql, SQLException cause) {
      super("statement failed: " + sql, cause);
    }
  }
}
