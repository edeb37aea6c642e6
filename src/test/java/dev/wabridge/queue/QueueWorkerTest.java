package dev.wabridge.queue;

import dev.wabridge.config.Tuning;
import dev.wabridge.db.Database;
import dev.wabridge.db.Sql;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.queue.LeasedQueue;
import dev.wabridge.queue.QueueWorker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.Await;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** A row whose work keeps failing unexpectedly is retried a bounded number of times, then given up. */
class QueueWorkerTest {
  /** One row, due again at once whenever it is given back (the fake ignores backoff). */
  static class OneRow implements LeasedQueue<Integer> {
    private final Tuning.Queue settings;
    final AtomicInteger attempts = new AtomicInteger();
    final List<Integer> limits = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean present = true;
    volatile boolean claimed;

    /** Worked on {@code slots} at once. */
    OneRow(int slots) {
      this.settings = Tuning.DEFAULTS.turns().withInFlight(slots);
    }

    OneRow() {
      this(1);
    }

    @Override
    public Tuning.Queue settings() {
      return settings;
    }

    @Override
    public synchronized List<Integer> claim(Handle h, long now, long leaseUntil, int limit) {
      limits.add(limit);
      if (!present || claimed) {
        return List.of();
      }
      claimed = true;
      return List.of(attempts.get());
    }

    @Override
    public List<Long> rows(Integer claim) {
      return List.of(1L);
    }

    @Override
    public int attempts(Integer claim) {
      return claim;
    }

    @Override
    public synchronized void retryLater(Handle h, Integer claim, long notBefore) {
      attempts.incrementAndGet();
      claimed = false;
    }

    @Override
    public int releaseExpired(Handle h, long now) {
      return 0;
    }

    @Override
    public int releaseAll(Handle h) {
      return 0;
    }

    @Override
    public void done(Sql.Later later, Integer claim) {
      later.update("DELETE FROM one_row");
    }
  }

  @Test
  void aRowThatAlwaysFailsIsGivenUpAfterTenTries() throws Exception {
    try (Database db = Database.sqlite(Files.createTempDirectory("qw").resolve("q.db"), Tuning.DEFAULTS.storage())) {
      OneRow queue = new OneRow(4);
      AtomicInteger runs = new AtomicInteger();
      AtomicReference<RuntimeException> gaveUp = new AtomicReference<>();
      QueueWorker<Integer> worker = new QueueWorker<>("test", db, queue, "turns", c -> {
        runs.incrementAndGet();
        throw new IllegalStateException("broken row");
      }, (c, e) -> {
        queue.present = false;
        gaveUp.set(e);
      }, InstantSource.system());
      worker.start();
      try {
        Await.until("the row is given up", Duration.ofSeconds(20), () -> gaveUp.get() != null);
      } finally {
        worker.close();
      }
      assertThat(runs.get()).isEqualTo(QueueWorker.MAX_UNEXPECTED);
      assertThat(gaveUp.get()).hasMessage("broken row");
    }
  }

  @Test
  void aDirectStartDuringAClaimCannotTakeTheSlotTheClaimedRowNeeds() throws Exception {
    try (Database db = Database.sqlite(Files.createTempDirectory("qw").resolve("q.db"), Tuning.DEFAULTS.storage())) {
      AtomicReference<QueueWorker<Integer>> worker = new AtomicReference<>();
      AtomicReference<Boolean> slotFreeDuringClaim = new AtomicReference<>();
      // A webhook arrives while the loop is claiming and asks for a direct start. Had the loop only counted the
      // free slots before claiming, the webhook would get the last one and the claimed row would wait for it,
      // unrun and with its lease not renewed.
      OneRow queue = new OneRow() {
        @Override
        public synchronized List<Integer> claim(Handle h, long now, long leaseUntil, int limit) {
          if (slotFreeDuringClaim.get() == null) {
            DirectStart<Integer> webhook = new DirectStart<>(worker.get());
            slotFreeDuringClaim.set(webhook.available());
            webhook.cancel();
          }
          return super.claim(h, now, leaseUntil, limit);
        }
      };
      AtomicInteger runs = new AtomicInteger();
      worker.set(new QueueWorker<>("test", db, queue, "turns", c -> runs.incrementAndGet(), (c, e) -> { },
          InstantSource.system()));
      worker.get().start();
      try {
        Await.until("the claimed row runs", Duration.ofSeconds(10), () -> runs.get() == 1);
      } finally {
        worker.get().close();
      }
      assertThat(slotFreeDuringClaim.get()).isFalse();
      assertThat(queue.limits).isNotEmpty().allMatch(limit -> limit == 1);
    }
  }

  @Test
  void finishingRetiresTheRowWithItsWorkAndStartsWhatTheCommitLeased() throws Exception {
    try (Database db = Database.sqlite(Files.createTempDirectory("qw").resolve("q.db"), Tuning.DEFAULTS.storage())) {
      db.writer().execute(h -> Sql.update(h, "CREATE TABLE one_row(x INTEGER)")
          + Sql.update(h, "INSERT INTO one_row VALUES (1)") + Sql.update(h, "CREATE TABLE work(x INTEGER)"));
      QueueWorker<Integer> worker = new QueueWorker<>("test", db, new OneRow(), "turns", c -> { }, (c, e) -> { },
          InstantSource.system());
      List<Integer> started = new java.util.concurrent.CopyOnWriteArrayList<>();
      QueueWorker<Integer> next = new QueueWorker<>("next", db, new OneRow(), "outbox", started::add, (c, e) -> { },
          InstantSource.system());
      try {
        DirectStart<Integer> failing = new DirectStart<>(next);
        try {
          worker.finish(null, 0, failing, later -> {
            later.insert("work", "INSERT INTO work VALUES (2)");
            throw new IllegalStateException("the unit fails");
          });
        } catch (IllegalStateException expected) {
          // the slot it reserved is given back
        }
        DirectStart<Integer> again = new DirectStart<>(next);
        assertThat(again.available()).as("the failed unit's slot is given back").isTrue();
        again.cancel();
        DirectStart<Integer> sends = new DirectStart<>(next);
        worker.finish(null, 0, sends, later -> {
          later.insert("work", "INSERT INTO work VALUES (3)");
          sends.take(7);
        });
        Await.until("the leased work starts", Duration.ofSeconds(10), () -> started.contains(7));
        List<Integer> rows = db.read(c -> Sql.list(c, "SELECT x FROM one_row", rs -> rs.getInt(1)));
        List<Integer> work = db.read(c -> Sql.list(c, "SELECT x FROM work", rs -> rs.getInt(1)));
        assertThat(rows).as("the row is retired").isEmpty();
        assertThat(work).as("only the committed unit's work").containsExactly(3);
      } finally {
        worker.close();
        next.close();
      }
    }
  }
}
