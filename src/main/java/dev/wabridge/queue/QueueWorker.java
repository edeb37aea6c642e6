package dev.wabridge.queue;

import dev.wabridge.config.Tuning;
import dev.wabridge.db.Database;
import dev.wabridge.db.Sql;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link LeasedQueue}: claims due rows in batches, works on each in a virtual thread (at most the queue's
 * {@link Tuning.Queue#inFlight} at once), renews the leases of what it holds, takes back rows whose node died, and on
 * an unexpected failure gives the claim back for a retry in 5 s, up to {@link #MAX_UNEXPECTED} times, then hands
 * it to {@code giveUp} so that one broken row cannot hold its conversation forever. On SQLite, where one process
 * is the only node, it takes back every lease at start.
 */
public final class QueueWorker<C> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);
  public static final int MAX_UNEXPECTED = 10;

  private final String name;
  private final Database db;
  private final LeasedQueue<C> queue;
  private final Consumer<C> work;
  private final java.util.function.BiConsumer<C, RuntimeException> giveUp;
  private final InstantSource clock;
  private final Semaphore slots;
  private final long sweepMillis;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Leases leases;
  private final WorkLoop loop;
  private long lastSweep;

  /** @param giveUp settles a claim that failed unexpectedly {@link #MAX_UNEXPECTED} times (and removes it) */
  public QueueWorker(String name, Database db, LeasedQueue<C> queue, String table, Consumer<C> work,
                     java.util.function.BiConsumer<C, RuntimeException> giveUp, InstantSource clock) {
    this.giveUp = giveUp;
    this.name = name;
    this.db = db;
    this.queue = queue;
    this.work = work;
    this.clock = clock;
    Tuning.Queue settings = queue.settings();
    this.slots = new Semaphore(settings.inFlight());
    this.sweepMillis = settings.sweepEvery().toMillis();
    this.leases = new Leases(table, db.dialect(), settings, clock);
    this.loop = new WorkLoop(name, 250, this::cycle);
  }

  public void start() {
    if (db.dialect().singleNode()) {
      int n = db.writer().execute(queue::releaseAll);
      if (n > 0) {
        LOG.info("{}: took back {} rows in flight when the previous process stopped", name, n);
      }
    }
    loop.start();
  }

  /** New rows were committed. */
  public void wake() {
    loop.wake();
  }

  private int cycle() {
    long now = clock.millis();
    leases.renewIfDue(db.writer());
    if (now - lastSweep > sweepMillis) {
      lastSweep = now;
      db.writer().execute(h -> queue.releaseExpired(h, now));
    }
    // Slots are taken before claiming: direct starts take them too, at any moment, and a claimed row that then
    // waited for a slot would neither run nor have its lease renewed.
    int taken = 0;
    while (taken < 128 && slots.tryAcquire()) {
      taken++;
    }
    if (taken == 0) {
      return 0;
    }
    int limit = taken;
    List<C> claims;
    try {
      claims = db.writer().execute(h -> queue.claim(h, now, leases.until(), limit));
    } catch (RuntimeException e) {
      slots.release(taken);
      throw e;
    }
    slots.release(taken - claims.size());
    for (C c : claims) {
      run(c);
    }
    return claims.size();
  }

  /**
   * Reserves a slot for work that its creating transaction leases itself ({@link DirectStart}), so that it starts
   * at once instead of waiting for this loop's next claim (a commit more on every message's path).
   *
   * @return false when every slot is busy; the work is then queued for the loop as usual
   */
  public boolean reserve() {
    return slots.tryAcquire();
  }

  public void unreserve() {
    slots.release();
  }

  /** Until when a row leased now is held. */
  public long leaseUntil() {
    return leases.until();
  }

  /** Starts a claim its transaction leased, in a slot {@link #reserve} gave. */
  public void startReserved(C claim) {
    run(claim);
  }

  /**
   * Retires a claim this worker handed out: its rows are deleted together with what {@code work} writes, in one
   * commit on the writer of {@code writerKey} (the customer's; null when the conversation is gone), and the loop is
   * woken, since the conversation's next row can be claimed now. Writes whose outcome nothing reads go in the
   * {@link Sql.Later}, one round trip with the rest on PostgreSQL. Work the unit leases elsewhere through
   * {@code next} (the send of a reply) starts once it committed; if it fails, its slot is given back.
   */
  public void finish(String writerKey, C claim, DirectStart<?> next, Consumer<Sql.Later> work) {
    next.execute(db.writer(writerKey), h -> {
      Sql.Later later = Sql.later(h, db.dialect());
      queue.done(later, claim);
      work.accept(later);
      later.run();
      return null;
    });
    wake();
  }

  /** As {@link #finish(String, Object, DirectStart, Consumer)}, starting nothing elsewhere. */
  public void finish(String writerKey, C claim, Consumer<Sql.Later> work) {
    finish(writerKey, claim, DirectStart.none(), work);
  }

  /** Runs a claim in its slot, renewing its lease until done. */
  private void run(C c) {
    List<Long> rows = queue.rows(c);
    leases.hold(rows);
    try {
      executor.execute(() -> work(c, rows));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Shutting down: the row stays leased and is taken back after a restart or when its lease runs out.
      leases.release(rows);
      slots.release();
    }
  }

  private void work(C c, List<Long> rows) {
    try {
      work.accept(c);
    } catch (RuntimeException e) {
      if (queue.attempts(c) + 1 >= MAX_UNEXPECTED) {
        LOG.error("{}: {} failed unexpectedly {} times; giving up on it", name, c, MAX_UNEXPECTED, e);
        giveUp.accept(c, e);
        return;
      }
      LOG.error("{}: {} failed unexpectedly; retrying in 5 s", name, c, e);
      db.writer().submit(h -> {
        queue.retryLater(h, c, clock.millis() + 5_000);
        return null;
      });
    } finally {
      leases.release(rows);
      slots.release();
    }
  }

  /** Stops claiming and waits a while for the work in hand; what is left stays leased and is taken back later. */
  @Override
  public void close() {
    loop.close();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("{}: work still running at shutdown is retried after restart", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
