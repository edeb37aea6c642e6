package dev.wabridge.app;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs while the server runs, registered as it is built (Dropwizard's {@code lifecycle().manage}): started in
 * the order registered, stopped in reverse, so that nothing stops before what still uses it (the HTTP server
 * first, then the workers, the clients they call, the database last). A part that failed to stop is logged and
 * the rest still stop.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  /** {@code start} null: nothing to start, always closed. */
  private record Managed(String name, Runnable start, AutoCloseable stop) {
  }

  private final List<Managed> managed = new ArrayList<>();
  private int started;
  private boolean closed;

  /** Registers a part with a start and a stop; returns it, so that it is registered where it is built. */
  public synchronized <T> T manage(String name, T part, Runnable start, AutoCloseable stop) {
    managed.add(new Managed(name, start, stop));
    return part;
  }

  /** Registers a part that needs no start, only to be closed (a client, the database). */
  public synchronized <T extends AutoCloseable> T closeAtEnd(String name, T part) {
    managed.add(new Managed(name, null, part));
    return part;
  }

  /** Starts what is not started yet, in the order registered. */
  public synchronized void start() {
    for (; started < managed.size(); started++) {
      Runnable start = managed.get(started).start();
      if (start != null) {
        start.run();
      }
    }
  }

  /**
   * Stops what started and closes what needs no start, in reverse order (after a failed start, what never started
   * is not stopped). Idempotent: the signal handler and the shutdown hook may both call it.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = managed.size() - 1; i >= 0; i--) {
      Managed m = managed.get(i);
      if (m.start() != null && i >= started) {
        continue;
      }
      try {
        m.stop().close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", m.name(), e);
      }
    }
  }
}
