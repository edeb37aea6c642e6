package dev.wabridge.store;

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
  static final class OneRow implements LeasedQueue<Integer> {
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean present = true;
    volatile boolean claimed;

    @Override
    public synchronized List<Integer> claim(Handle h, long now, long leaseUntil, int limit) {
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
  }

  @Test
  void aRowThatAlwaysFailsIsGivenUpAfterTenTries() throws Exception {
    try (Database db = Database.sqlite(Files.createTempDirectory("qw").resolve("q.db"))) {
      OneRow queue = new OneRow();
      AtomicInteger runs = new AtomicInteger();
      AtomicReference<RuntimeException> gaveUp = new AtomicReference<>();
      QueueWorker<Integer> worker = new QueueWorker<>("test", db, queue, "turns", c -> {
        runs.incrementAndGet();
        throw new IllegalStateException("broken row");
      }, (c, e) -> {
        queue.present = false;
        gaveUp.set(e);
      }, 4, InstantSource.system());
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
}
