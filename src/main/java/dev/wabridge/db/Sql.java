package dev.wabridge.db;

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
    return listWith(c, sql, row, java.util.Arrays.asList(args));
  }

  /** As {@link #list(Connection, String, Row, Object...)}, with parameters built as a list. */
  public static <T> List<T> listWith(Connection c, String sql, Row<T> row, List<?> args) {
    try (PreparedStatements.Prepared p = PreparedStatements.prepare(c, sql)) {
      PreparedStatement ps = p.ps();
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException.UnableToExecute(sql, e);
    }
  }

  public static <T> List<T> list(Handle h, String sql, Row<T> row, Object... args) {
    return list(h.getConnection(), sql, row, args);
  }

  /** The first row, mapped, if there is one. */
  public static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) {
    try (PreparedStatements.Prepared p = PreparedStatements.prepare(c, sql)) {
      PreparedStatement ps = p.ps();
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException.UnableToExecute(sql, e);
    }
  }

  public static <T> Optional<T> one(Handle h, String sql, Row<T> row, Object... args) {
    return one(h.getConnection(), sql, row, args);
  }

  /**
   * The parameters of one run of a batched statement ({@link #batch}), taken from one row, in the order of the
   * statement's {@code ?}s: the row stays a record (or a value) with names, and only this says how it is bound.
   */
  @FunctionalInterface
  public interface Binder<T> {
    List<?> parameters(T row);
  }

  /** Runs one statement once per element of {@code rows}, as one JDBC batch, each run bound by {@code binder}. */
  public static <T> void batch(Handle h, String sql, List<T> rows, Binder<? super T> binder) {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatements.Prepared p = PreparedStatements.prepare(h.getConnection(), sql)) {
      PreparedStatement ps = p.ps();
      for (T row : rows) {
        bind(ps, binder.parameters(row));
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreException.UnableToExecute(sql, e);
    }
  }

  /** Runs statements separated by {@code ;} in one round trip (PostgreSQL), none of which returns rows. */
  static void executeAll(Handle h, String sql, Object... args) {
    try (PreparedStatements.Prepared p = PreparedStatements.prepare(h.getConnection(), sql)) {
      PreparedStatement ps = p.ps();
      bind(ps, args);
      ps.execute();
      while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
        // every statement's count is read, so that the driver is done with the exchange
      }
    } catch (SQLException e) {
      throw new StoreException.UnableToExecute(sql, e);
    }
  }

  /** As {@link #executeAll}, the last statement returning rows, which are mapped. */
  static <T> List<T> listOfLast(Handle h, String sql, Row<T> row, Object... args) {
    try (PreparedStatements.Prepared p = PreparedStatements.prepare(h.getConnection(), sql)) {
      PreparedStatement ps = p.ps();
      bind(ps, args);
      List<T> out = new ArrayList<>();
      for (boolean rows = ps.execute(); rows || ps.getUpdateCount() != -1; rows = ps.getMoreResults()) {
        if (rows) {
          try (ResultSet rs = ps.getResultSet()) {
            while (rs.next()) {
              out.add(row.map(rs));
            }
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException.UnableToExecute(sql, e);
    }
  }

  /** Runs an INSERT, UPDATE or DELETE with positional {@code ?} parameters; returns the rows changed. */
  public static int update(Handle h, String sql, Object... args) {
    try (PreparedStatements.Prepared p = PreparedStatements.prepare(h.getConnection(), sql)) {
      PreparedStatement ps = p.ps();
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException.UnableToExecute(sql, e);
    }
  }

  /** As {@link #update(Handle, String, Object...)}, the parameters given as a list (a record's, in order). */
  public static int updateWith(Handle h, String sql, List<?> args) {
    return update(h, sql, args.toArray());
  }

  /**
   * Writes whose outcome nothing reads, sent together ({@link #later}). On PostgreSQL they go in one round trip
   * instead of one each, and round trips were most of the writer's time: the writes of a statement as
   * {@code WITH} parts of it, and statements one after another, separated by {@code ;} (the driver sends them
   * together and the server runs them in turn). On SQLite, where a statement costs no round trip, each runs at once.
   *
   * <p>The parts of one statement must touch different rows and must not need each other's effects: PostgreSQL runs
   * them on one snapshot, in no set order. Rows inserted by one statement would get their {@code seq} in no set
   * order, and seq is the queues' and the history's order, so an {@link #insert} into a table already inserted into
   * by the statement being built starts a statement of its own. {@link #then} does so on purpose: what follows sees
   * what came before, and waits for the row locks it took (a conversation's lock, say, before its queue is looked
   * at). Run what is held ({@link #run}) before anything outside this {@code Later} must see it, and before the
   * unit of work ends.
   */
  public static final class Later {
    private final Handle h;
    private final boolean combine;
    /** Statements complete and waiting to be sent, in order. */
    private final List<String> statements = new ArrayList<>();
    /** The parts of the statement being built. */
    private final List<String> parts = new ArrayList<>();
    /** The tables the parts of the statement being built insert into. */
    private final List<String> inserted = new ArrayList<>(2);
    /** The parameters of every statement held, in the order they appear in the text. */
    private final List<Object> args = new ArrayList<>();

    private Later(Handle h, boolean combine) {
      this.h = h;
      this.combine = combine;
    }

    /** An UPDATE or DELETE, without RETURNING: it joins the statement being built. */
    public Later update(String sql, Object... values) {
      return add(sql, values);
    }

    /**
     * An INSERT into {@code table} ({@code sql} starts "INSERT INTO table"), without RETURNING: it joins the
     * statement being built unless that inserts into {@code table} already, so that rows get their seq in the
     * order they were added.
     */
    public Later insert(String table, String sql, Object... values) {
      startsOwnStatement(table, sql);
      if (combine) {
        inserted.add(table);
      }
      return add(sql, values);
    }

    private Later add(String sql, Object... values) {
      if (!combine) {
        Sql.update(h, sql, values);
        return this;
      }
      parts.add(sql);
      args.addAll(java.util.Arrays.asList(values));
      return this;
    }

    /** An insert into a table the statement being built inserts into already ends that statement first. */
    private void startsOwnStatement(String table, String sql) {
      if (!sql.startsWith("INSERT INTO ") || !sql.startsWith(table, 12)) {
        throw new IllegalArgumentException("not an INSERT INTO " + table + ": " + sql);
      }
      if (combine && inserted.contains(table)) {
        then();
      }
    }

    /**
     * Ends the statement being built: what is added from now on runs after it, sees its effects and waits for the
     * row locks it takes. Still no round trip until {@link #run} or {@link #list}.
     */
    public Later then() {
      if (!parts.isEmpty()) {
        String last = parts.removeLast();
        statements.add(with() + last);
        parts.clear();
      }
      inserted.clear();
      return this;
    }

    /** The transaction's handle, for statements that must run on their own. */
    public Handle handle() {
      return h;
    }

    /** Runs what was added. */
    public void run() {
      then();
      if (statements.isEmpty()) {
        return;
      }
      String sql = String.join("; ", statements);
      boolean one = statements.size() == 1;
      try {
        if (one) {
          Sql.update(h, sql, args.toArray());
        } else {
          executeAll(h, sql, args.toArray());
        }
      } finally {
        clear();
      }
    }

    /** Runs what was added, then {@code sql}, an UPDATE or DELETE with RETURNING whose rows are read. */
    public <T> List<T> list(String sql, Row<T> row, Object... values) {
      String last = with() + sql;
      parts.clear();
      List<Object> all = new ArrayList<>(args);
      all.addAll(java.util.Arrays.asList(values));
      if (statements.isEmpty()) {
        clear();
        return Sql.list(h, last, row, all.toArray());
      }
      String combined = String.join("; ", statements) + "; " + last;
      clear();
      return listOfLast(h, combined, row, all.toArray());
    }

    /** As {@link #list}, for an INSERT into {@code table} with RETURNING (ordered as {@link #insert}). */
    public <T> List<T> insertReturning(String table, String sql, Row<T> row, Object... values) {
      startsOwnStatement(table, sql);
      return list(sql, row, values);
    }

    /** As {@link #insertReturning(String, String, Row, Object...)}, the parameters given as a list. */
    public <T> List<T> insertReturningWith(String table, String sql, Row<T> row, List<?> values) {
      return insertReturning(table, sql, row, values.toArray());
    }

    /** "WITH w0 AS (...), w1 AS (...) " for the parts held but the last, or "". */
    private String with() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        sb.append(i == 0 ? "WITH " : ", ").append('w').append(i).append(" AS (").append(parts.get(i)).append(')');
      }
      return sb.isEmpty() ? "" : sb.append(' ').toString();
    }

    private void clear() {
      statements.clear();
      parts.clear();
      inserted.clear();
      args.clear();
    }
  }

  /** Collects writes to send together on PostgreSQL ({@link Later}). */
  public static Later later(Handle h, Dialect dialect) {
    return new Later(h, dialect.combinesStatements());
  }

  /** The first column of the first row as a string, or null when there is no row. */
  public static String queryString(Handle h, String sql, Object... args) {
    try (PreparedStatements.Prepared p = PreparedStatements.prepare(h.getConnection(), sql)) {
      PreparedStatement ps = p.ps();
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException.UnableToExecute(sql, e);
    }
  }

  /** Whether this thread keeps {@code sql} prepared. */
  public static boolean isCached(String sql) {
    return PreparedStatements.isCached(sql);
  }

  /** How many statements this thread keeps prepared. */
  public static int cachedStatements() {
    return PreparedStatements.count();
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      set(ps, i + 1, args[i]);
    }
  }

  private static void bind(PreparedStatement ps, List<?> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      set(ps, i + 1, args.get(i));
    }
  }

  private static void set(PreparedStatement ps, int index, Object a) throws SQLException {
    switch (a) {
      case null -> ps.setNull(index, java.sql.Types.NULL);
      case String s -> ps.setString(index, s);
      case Long l -> ps.setLong(index, l);
      case Integer n -> ps.setInt(index, n);
      default -> ps.setObject(index, a);
    }
  }
}
