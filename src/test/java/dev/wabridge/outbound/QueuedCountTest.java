package dev.wabridge.outbound;

import dev.wabridge.outbound.QueuedCount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueuedCountTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  /** What the outbox holds, as the grouped query would read it. */
  final Map<String, Long> outbox = new ConcurrentHashMap<>();
  final AtomicInteger loads = new AtomicInteger();
  final QueuedCount count = new QueuedCount(clock, 1_000, () -> {
    loads.incrementAndGet();
    return Map.copyOf(outbox);
  });

  @Test
  void theQueueIsReadAtMostOncePerRefreshWhateverTheNumberOfQuestions() {
    outbox.put("ws_a", 7L);
    for (int i = 0; i < 1_000; i++) {
      assertThat(count.count("ws_a")).isEqualTo(7);
      assertThat(count.count("ws_b")).isZero();
    }
    assertThat(loads.get()).isEqualTo(1);
    clock.advance(Duration.ofMillis(999));
    count.count("ws_a");
    assertThat(loads.get()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    count.count("ws_a");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void whatThisNodeQueuedCountsAtOnceUntilTheNextSnapshotHasIt() {
    outbox.put("ws_a", 7L);
    assertThat(count.count("ws_a")).isEqualTo(7);
    count.added("ws_a", 3);
    assertThat(count.count("ws_a")).as("no refresh yet, the addition counts").isEqualTo(10);
    outbox.put("ws_a", 10L); // the sends were committed
    clock.advance(Duration.ofSeconds(1));
    assertThat(count.count("ws_a")).as("the snapshot has them; not counted twice").isEqualTo(10);
  }

  @Test
  void sendsThatLeftTheQueueAreSeenWithinARefresh() {
    outbox.put("ws_a", 50L);
    assertThat(count.count("ws_a")).isEqualTo(50);
    outbox.put("ws_a", 2L);
    assertThat(count.count("ws_a")).as("stale for at most a refresh").isEqualTo(50);
    clock.advance(Duration.ofSeconds(1));
    assertThat(count.count("ws_a")).isEqualTo(2);
  }

  @Test
  void whileOneCallerRefreshesTheOthersAnswerFromTheLastSnapshot() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    QueuedCount slow = new QueuedCount(clock, 1_000, () -> {
      if (calls.incrementAndGet() == 2) {
        loading.countDown();
        await(release);
      }
      return Map.of("ws_a", (long) calls.get());
    });
    assertThat(slow.count("ws_a")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    Thread refresher = Thread.ofVirtual().start(() -> slow.count("ws_a"));
    await(loading);
    assertThat(slow.count("ws_a")).as("not blocked behind the refresh").isEqualTo(1);
    release.countDown();
    refresher.join();
    assertThat(slow.count("ws_a")).isEqualTo(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anAdditionBeforeTheFirstLookIsNotLost() {
    count.added("ws_a", 4);
    outbox.put("ws_a", 4L);
    assertThat(count.count("ws_a")).as("the first snapshot already holds them").isEqualTo(4);
  }
}
