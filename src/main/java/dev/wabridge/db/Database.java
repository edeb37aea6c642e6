package dev.wabridge.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wabridge.config.Config;
import dev.wabridge.config.ConfigException;
import dev.wabridge.config.PrivateFiles;
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

  /**
   * SQLite has one writer by nature. On PostgreSQL a single writer spends most of its time waiting for round
   * trips, so writes are spread over several, one per core (at least 2, at most 8), each customer's always to
   * the same one ({@link #writer(String)}), so that two writers' batches do not lock the same conversations in
   * opposite orders. The default writer also touches every customer's queue rows (claims, lease renewals, sweeps
   * of expired leases): those skip rows locked elsewhere (SKIP LOCKED) instead of waiting for them. More writers
   * than cores made smaller batches and cost more CPU per message than they won back (bench, 2 cores, 20,000
   * messages: 1 writer 841 msg/s, 2 writers 1,330-1,655, 4 writers 1,335 with an ack p99 of 625 ms).
   */
  public static final int POSTGRES_WRITERS = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8);

  private Database(Dialect dialect, HikariDataSource dataSource) {
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.writers = new WriteBatcher[dialect == Dialect.POSTGRESQL ? POSTGRES_WRITERS : 1];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = new WriteBatcher(jdbi, dataSource::evictConnection, i);
    }
  }

  public static Database open(Config config) {
    return config.databaseUrl().isPresent()
        ? postgres(config.databaseUrl().get(), config.databaseUser().orElse(null),
        config.databasePassword().orElse(null))
        : sqlite(config.dataDir().resolve("wabridge.db"));
  }

  /**
   * The database in {@code file}, created owner-only ({@code 0600}, its directory {@code 0700}) before SQLite opens
   * it: SQLite gives its {@code -wal} and {@code -shm} files the database file's mode.
   */
  public static Database sqlite(Path file) {
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
    hc.setMaximumPoolSize(8);
    return migrate(new Database(Dialect.SQLITE, new HikariDataSource(hc)));
  }

  public static Database postgres(String url, String user, String password) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setPoolName("postgresql");
    hc.setMaximumPoolSize(POSTGRES_WRITERS + 16); // each writer keeps one
    hc.setInitializationFailTimeout(10_000);
    try {
      return migrate(new Database(Dialect.POSTGRESQL, new HikariDataSource(hc)));
    } catch (RuntimeException e) {
      if (e instanceof ConfigException) {
        throw e;
      }
      throw new ConfigException("WABRIDGE_DATABASE_URL " + url + " cannot be reached: " + rootMessage(e));
    }
  }

  private static Database migrate(Database db) {
    Flyway.configure()
        .dataSource(db.dataSource)
        .locations(db.dialect.migrationLocation())
        .load()
        .migrate();
    return db;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
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
    try (java.sql.Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (java.sql.SQLException e) {
      throw new Sql.StoreException("read", e);
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
