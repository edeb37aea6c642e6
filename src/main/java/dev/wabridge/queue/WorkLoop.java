package dev.wabridge.queue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that runs a claim cycle when woken (new work was committed) or every {@code idleMillis} (retries
 * coming due, leases expiring, another node's work). A cycle that found work runs again at once.
 */
public final class WorkLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkLoop.class);
  private final Semaphore signal = new Semaphore(0);
  private final IntSupplier cycle;
  private final long idleMillis;
  private final Thread thread;
  private volatile boolean running = true;

  /** @param cycle claims and starts work, returning how many items it started */
  public WorkLoop(String name, long idleMillis, IntSupplier cycle) {
    this.cycle = cycle;
    this.idleMillis = idleMillis;
    this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
  }

  public WorkLoop start() {
    thread.start();
    return this;
  }

  public void wake() {
    signal.release();
  }

  private void loop() {
    while (running) {
      int started = 0;
      try {
        started = cycle.getAsInt();
      } catch (RuntimeException e) {
        if (running) {
          LOG.error("{} cycle failed; retrying in {} ms", thread.getName(), idleMillis, e);
        }
      }
      if (started > 0) {
        signal.drainPermits();
        continue;
      }
      try {
        signal.tryAcquire(idleMillis, TimeUnit.MILLISECONDS);
        signal.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops claiming new work; work already started is the owner's to finish. */
  @Override
  public void close() {
    running = false;
    signal.release();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
