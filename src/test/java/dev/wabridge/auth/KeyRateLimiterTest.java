package dev.wabridge.auth;

import dev.wabridge.auth.KeyRateLimiter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyRateLimiterTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  final KeyRateLimiter limiter = new KeyRateLimiter(clock, 3, 10_000);

  @Test
  void theLimitHoldsPerKeyAndSaysHowLongToWait() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a")).isZero();
    }
    clock.advance(Duration.ofMillis(2_500));
    assertThat(limiter.acquire("a")).isEqualTo(8);
    assertThat(limiter.acquire("b")).as("another key has its own window").isZero();
    clock.advance(Duration.ofMillis(7_500));
    assertThat(limiter.acquire("a")).as("a new window").isZero();
  }

  @Test
  void idleWindowsAreForgottenSoManyDistinctKeysCannotGrowTheMap() {
    for (int i = 0; i < 10_000; i++) {
      limiter.acquire("key" + i);
    }
    assertThat(limiter.size()).isEqualTo(10_000);
    clock.advance(Duration.ofSeconds(10));
    limiter.acquire("late");
    assertThat(limiter.size()).as("only the key of the current window").isEqualTo(1);
  }

  @Test
  void aKeyStillInItsWindowIsNotSweptAndKeepsItsCount() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("busy");
    }
    clock.advance(Duration.ofSeconds(9));
    limiter.acquire("other");
    clock.advance(Duration.ofMillis(999));
    assertThat(limiter.acquire("busy")).as("still over the limit in its window").isPositive();
    clock.advance(Duration.ofSeconds(1));
    limiter.acquire("x");
    assertThat(limiter.size()).isLessThanOrEqualTo(3);
  }
}
