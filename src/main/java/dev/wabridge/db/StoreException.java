package dev.wabridge.db;

import java.sql.SQLException;

/**
 * The database failed, named after what failed, as JDBI names its exceptions: a caller (or {@code app.Main} at
 * start) tells a database that cannot be reached from a statement that failed without parsing messages. A
 * message names the SQL, never the values bound to it (they may be customers' messages).
 */
public abstract sealed class StoreException extends RuntimeException
    permits StoreException.UnableToConnect, StoreException.UnableToMigrate, StoreException.UnableToExecute {

  private StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** No connection: the server is down or unreachable, refused the credentials, or the pool ran dry. */
  public static final class UnableToConnect extends StoreException {
    public UnableToConnect(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The schema could not be brought up to date at start. */
  public static final class UnableToMigrate extends StoreException {
    public UnableToMigrate(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A statement failed: a constraint, a lock timeout, a broken connection mid-statement. */
  public static final class UnableToExecute extends StoreException {
    public UnableToExecute(String sql, SQLException cause) {
      super("statement failed: " + sql, cause);
    }
  }

  /** The deepest cause's message: what the driver said, without the layers of wrapping. */
  static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
