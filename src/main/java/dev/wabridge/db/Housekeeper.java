package dev.wabridge.db;

import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes rows that only matter for a while: statuses for wamids that never showed up (a day), idempotency
 * keys (two days, past the 24 h a reply_callback lives) and browser sessions that expired or whose key is gone. Every 10 s it also runs {@code frequent} in the writer
 * (statuses that arrived as their send was being recorded on another node).
 */
public final class Housekeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  private static final long DAY = 24L * 3600 * 1000;
  private final Database db;
  private final InstantSource clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "housekeeper");
    t.setDaemon(true);
    return t;
  });

  private final WriteBatcher.Work<Integer> frequent;

  public Housekeeper(Database db, InstantSource clock, WriteBatcher.Work<Integer> frequent) {
    this.db = db;
    this.clock = clock;
    this.frequent = frequent;
  }

  public Housekeeper start() {
    timer.scheduleWithFixedDelay(this::sweep, 1, 10, TimeUnit.MINUTES);
    timer.scheduleWithFixedDelay(this::frequently, 10, 10, TimeUnit.SECONDS);
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
        h.createUpdate("DELETE FROM early_statuses WHERE received_at < :t").bind("t", now - DAY).execute();
        h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :t").bind("t", now - 2 * DAY).execute();
        h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now OR NOT EXISTS "
            + "(SELECT 1 FROM api_keys k WHERE k.id = sessions.key_id)").bind("now", now).execute();
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
