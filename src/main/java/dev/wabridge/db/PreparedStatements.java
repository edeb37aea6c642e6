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
 * cache that kept the first statements it saw could fill with rare ones. An evicted statement is closed; none is in use
 * then, since each is used between its prepare and its close, with no other statement prepared in between.
 */
final class PreparedStatements {
  private static final ThreadLocal<PreparedStatements> CACHE = new ThreadLocal<>();

  private final Connection connection;
  private final int maxCached;
  private final LinkedHashMap<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= maxCached) {
        return false;
      }
      closeQuietly(eldest.getValue());
      return true;
    }
  };

  private PreparedStatements(Connection connection, int maxCached) {
    this.connection = connection;
    this.maxCached = maxCached;
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

  /** From now on this thread's statements on {@code connection} stay prepared, at most {@code maxCached} of them. */
  static void keepOn(Connection connection, int maxCached) {
    stop();
    CACHE.set(new PreparedStatements(connection, maxCached));
  }

  /** This thread's kept statements are closed; from now on each is prepared and closed per use. */
  static void stop() {
    PreparedStatements old = CACHE.get();
    if (old != null) {
      old.statements.values().forEach(PreparedStatements::closeQuietly);
    }
    CACHE.remove();
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
