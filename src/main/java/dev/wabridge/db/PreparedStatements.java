package dev.wabridge.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer thread keeps its statements prepared on its one connection (SQLite parses a statement again on
 * every prepare); everywhere else a statement is prepared and closed per use ({@link Sql}).
 *
 * <p>Least recently used first out: {@link Sql.Later} makes statements of several parts in many combinations, and a
 * cache that kept the first 256 it saw could fill with rare ones. An evicted statement is closed; none is in use
 * then, since each is used between its prepare and its close, with no other statement prepared in between.
 */
final class PreparedStatements {
  private static final ThreadLocal<PreparedStatements> CACHE = new ThreadLocal<>();
  private static final int MAX_CACHED = 256;

  private final Connection connection;
  private final LinkedHashMap<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= MAX_CACHED) {
        return false;
      }
      closeQuietly(eldest.getValue());
      return true;
    }
  };

  private PreparedStatements(Connection connection) {
    this.connection = connection;
  }

  /** A statement ready to bind; closing it closes it, or only clears its parameters when it is kept. */
  record Prepared(PreparedStatement ps, boolean cached) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      if (cached) {
        ps.clearParameters();
      } else {
        ps.close();
      }
    }
  }

  /** From now on this thread's statements on {@code connection} stay prepared ({@code null}: stop). */
  static void keepOn(Connection connection) {
    PreparedStatements old = CACHE.get();
    if (old != null) {
      old.statements.values().forEach(PreparedStatements::closeQuietly);
    }
    if (connection == null) {
      CACHE.remove();
    } else {
      CACHE.set(new PreparedStatements(connection));
    }
  }

  static Prepared prepare(Connection c, String sql) throws SQLException {
    PreparedStatements cache = CACHE.get();
    if (cache == null || cache.connection != c) {
      return new Prepared(c.prepareStatement(sql), false);
    }
    PreparedStatement ps = cache.statements.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      cache.statements.put(sql, ps);
    }
    return new Prepared(ps, true);
  }

  static boolean isCached(String sql) {
    PreparedStatements cache = CACHE.get();
    return cache != null && cache.statements.containsKey(sql);
  }

  static int count() {
    PreparedStatements cache = CACHE.get();
    return cache == null ? 0 : cache.statements.size();
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // the connection is going away, or the statement was closed already
    }
  }
}
