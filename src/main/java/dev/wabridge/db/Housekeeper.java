package dev.wabridge.db;

import dev.wabridge.config.Tuning;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs, every few minutes, the purges that the owners of tables register: each deletes the rows of its own table
 * that only mattered for a while (its SQL stays with the table's owner). More often it also runs {@code frequent}
 * in the writer (statuses that arrived as their send was being recorded on another node); how often each runs is
 * its {@link Tuning.Housekeeping}.
 */
public final class Housekeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  /** The first purge waits for the start to settle; after it, the schedule's. */
  private static final Duration FIRST_PURGE = Duration.ofMinutes(1);
  private final Database db;
  private final InstantSource clock;
  private final Tuning.Housekeeping schedule;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "housekeeper");
    t.setDaemon(true);
    return t;
  });

  private final WriteBatcher.Work<Integer> frequent;
  private final List<Purge> purges;

  /** Deletes its owner's rows that are no longer needed at {@code now}, in the writer's transaction. */
  @FunctionalInterface
  public interface Purge {
    void run(Handle h, long now);
  }

  public Housekeeper(Database db, InstantSource clock, Tuning.Housekeeping schedule,
                     WriteBatcher.Work<Integer> frequent, Purge... purges) {
    this.db = db;
    this.clock = clock;
    this.schedule = schedule;
    this.frequent = frequent;
    this.purges = List.of(purges);
  }

  public Housekeeper start() {
    long purgeEvery = schedule.purgeEvery().toMillis();
    long lateStatusesEvery = schedule.lateStatusesEvery().toMillis();
    timer.scheduleWithFixedDelay(this::sweep, FIRST_PURGE.toMillis(), purgeEvery, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::frequently, lateStatusesEvery, lateStatusesEvery, TimeUnit.MILLISECONDS);
    return this;
  }

  private void frequently() {
    try {
      int n = db.writer().execute(frequent);
      if (n > 0) {
        LOG.info("applied {} statuses that arrived while their send was being recorded", n);
      }
    } catch (RuntimeException e) {
      LOG.warn("housekeeping failed; will try again", e);
    }
  }

  public void sweep() {
    try {
      long now = clock.millis();
      db.writer().execute(h -> {
        for (Purge p : purges) {
          p.run(h, now);
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("housekeeping failed; will try again", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
