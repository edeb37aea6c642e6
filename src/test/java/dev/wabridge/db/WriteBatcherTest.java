package dev.wabridge.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wabridge.config.Tuning;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteBatcherTest {
  /**
   * A failing unit makes its batch roll back and every other unit run again alone: each unit's after-commit work
   * still runs once, and the failing unit's never.
   */
  @Test
  void afterCommitWorkRunsOnceThoughItsUnitRanTwice() throws Exception {
    try (Database db = Database.sqlite(Files.createTempDirectory("wb").resolve("w.db"), Tuning.DEFAULTS.storage())) {
      CountDownLatch hold = new CountDownLatch(1);
      CompletableFuture<Object> holding = db.writer().submit(h -> {
        await(hold);
        return null;
      });
      AtomicInteger runs = new AtomicInteger();
      AtomicInteger[] hooks = new AtomicInteger[20];
      List<CompletableFuture<Integer>> units = new ArrayList<>();
      for (int i = 0; i < hooks.length; i++) {
        int n = i;
        AtomicInteger ran = hooks[i] = new AtomicInteger();
        units.add(db.writer().submit((h, attempt) -> {
          runs.incrementAndGet();
          attempt.afterCommit(ran::incrementAndGet);
          if (n == 7) {
            throw new IllegalStateException("unit 7 fails");
          }
          return Sql.update(h, "INSERT INTO early_statuses(wamid, status, received_at) VALUES (?, 'sent', 0)",
              "w" + n);
        }));
      }
      hold.countDown();
      holding.join();
      for (int i = 0; i < units.size(); i++) {
        int n = i;
        if (n == 7) {
          assertThatThrownBy(() -> WriteBatcher.join(units.get(n))).hasMessage("unit 7 fails");
          assertThat(hooks[n]).as("the failed unit's work after commit").hasValue(0);
        } else {
          assertThat(units.get(n).join()).isEqualTo(1);
          assertThat(hooks[n]).as("unit " + n + "'s work after commit").hasValue(1);
        }
      }
      assertThat(runs.get()).as("the batch, up to the failing unit, then each unit alone").isEqualTo(8 + hooks.length);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
