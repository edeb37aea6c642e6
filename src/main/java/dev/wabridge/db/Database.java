package dev.wabridge.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wabridge.config.Config;
import dev.wabridge.config.ConfigException;
import dev.wabridge.config.PrivateFiles;
import dev.wabridge.config.Tuning;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connection pool, migrations and the {@link WriteBatcher}s that every write goes through.
 * SQLite runs in WAL mode with synchronous=NORMAL: a committed transaction survives the process being killed
 * (kill -9); only a power cut can lose the last few, as with PostgreSQL's synchronous_commit=off.
 */
public final class Database implements AutoCloseable {
  private final Dialect dialect;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final WriteBatcher[] writers;

  private Database(Dialect dialect, HikariDataSource dataSource, Tuning.Storage tuning) {
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    // SQLite has one writer by nature. On PostgreSQL several are spread over the customers, each customer's writes
    // always to the same one (writer(String)), so that two writers' batches do not lock the same conversations in
    // opposite orders. The default writer also touches every customer's queue rows (claims, lease renewals, sweeps
    // of expired leases): those skip rows locked elsewhere (SKIP LOCKED) instead of waiting for them.
    this.writers = new WriteBatcher[dialect.writers()];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = new WriteBatcher(jdbi, dataSource::evictConnection, i, tuning);
    }
  }

  public static Database open(Config config) {
    Tuning.Storage tuning = config.tuning().storage();
    return config.databaseUrl().isPresent()
        ? postgres(config.databaseUrl().get(), config.databaseUser().orElse(null),
        config.databasePassword().orElse(null), tuning)
        : sqlite(config.dataDir().resolve("wabridge.db"), tuning);
  }

  /**
   * The database in {@code file}, created owner-only ({@code 0600}, its directory {@code 0700}) before SQLite opens
   * it: SQLite gives its {@code -wal} and {@code -shm} files the database file's mode.
   */
  public static Database sqlite(Path file, Tuning.Storage tuning) {
    try {
      PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
      PrivateFiles.createIfAbsent(file.toAbsolutePath());
    } catch (java.io.IOException e) {
      throw new ConfigException("WABRIDGE_DATA_DIR " + file.getParent() + " cannot be created: " + e.getMessage());
    }
    SQLiteConfig sc = new SQLiteConfig();
    sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sc.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    sc.setBusyTimeout(10_000);
    sc.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // No generated-keys query after every INSERT: nothing reads them (ids are made by wabridge).
    sc.setGetGeneratedKeys(false);
    SQLiteDataSource ds = new SQLiteDataSource(sc);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    HikariConfig hc = new HikariConfig();
    hc.setDataSource(ds);
    hc.setPoolName("sqlite");
    hc.setMaximumPoolSize(tuning.sqliteConnections());
    String what = "SQLite database " + file;
    return migrate(new Database(new SqliteDialect(), pool(hc, what + " cannot be opened"), tuning), what);
  }

  public static Database postgres(String url, String user, String password, Tuning.Storage tuning) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setPoolName("postgresql");
    hc.setMaximumPoolSize(tuning.postgresWriters() + tuning.postgresReadConnections()); // each writer keeps one
    hc.setInitializationFailTimeout(10_000);
    String what = "WABRIDGE_DATABASE_URL " + url;
    return migrate(new Database(new PostgresDialect(tuning.postgresWriters()), pool(hc, what + " cannot be reached"),
        tuning), what);
  }

  /** The pool, with its first connection open; {@code failure} says what failed if none can be. */
  private static HikariDataSource pool(HikariConfig hc, String failure) {
    try {
      return new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException.UnableToConnect(failure + ": " + StoreException.rootMessage(e), e);
    }
  }

  /** Brings the schema up to date; on failure the pool is closed and {@code what} named. */
  private static Database migrate(Database db, String what) {
    try {
      Flyway.configure()
          .dataSource(db.dataSource)
          .locations(db.dialect.migrationLocation())
          .load()
          .migrate();
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw new StoreException.UnableToMigrate(what + " cannot be migrated: " + StoreException.rootMessage(e), e);
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  /** For reads; writes go through {@link #writer()}. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * A read on a pooled connection in plain JDBC, for the reads every message makes (a JDBI handle costs more
   * than the query); other reads use {@link #jdbi()}.
   */
  public <T> T read(Sql.Reads<T> work) {
    java.sql.Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (java.sql.SQLException e) {
      throw new StoreException.UnableToConnect("no connection for a read: " + e.getMessage(), e);
    }
    try (java.sql.Connection c = connection) {
      return work.run(c);
    } catch (java.sql.SQLException e) {
      throw new StoreException.UnableToExecute("read", e);
    }
  }

  /** The writer for writes that concern no one customer's conversation (settings, queue claims, leases). */
  public WriteBatcher writer() {
    return writers[0];
  }

  /**
   * The writer for writes to one customer's conversation, messages and queue rows, by their phone number as
   * stored ({@code +15551234567}): always the same one, so those writes stay in order and never wait on each
   * other across writers.
   */
  public WriteBatcher writer(String customerPhone) {
    return writers.length == 1 || customerPhone == null ? writers[0]
        : writers[Math.floorMod(customerPhone.hashCode(), writers.length)];
  }

  /** Health: one round trip. */
  public boolean ping() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (WriteBatcher w : writers) {
      w.close();
    }
    dataSource.close();
  }
}
