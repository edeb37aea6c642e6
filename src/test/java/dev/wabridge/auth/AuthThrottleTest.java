package dev.wabridge.auth;

import dev.wabridge.auth.AuthThrottle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
  static final long WINDOW = 15 * 60 * 1000;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  final AuthThrottle throttle = new AuthThrottle(clock, 10, WINDOW);

  int guesses;

  /** {@code count} wrong keys from {@code address}, each different from every key before. */
  void guess(String address, int count) {
    for (int i = 0; i < count; i++) {
      throttle.failed(address, "wab_guess_" + guesses++);
    }
  }

  @Test
  void tenDifferentWrongKeysLockTheAddressOutUntilTheWindowEnds() {
    assertThat(throttle.active()).as("nothing locked out yet").isFalse();
    guess("203.0.113.7", 9);
    assertThat(throttle.retryAfter("203.0.113.7")).isZero();
    assertThat(throttle.active()).isFalse();
    clock.advance(Duration.ofMinutes(5));
    guess("203.0.113.7", 1);
    assertThat(throttle.active()).isTrue();
    assertThat(throttle.retryAfter("203.0.113.7")).as("until 15 min after the first failure").isEqualTo(600);
    assertThat(throttle.retryAfter("198.51.100.1")).as("another address").isZero();
    clock.advance(Duration.ofMinutes(10));
    assertThat(throttle.retryAfter("203.0.113.7")).isZero();
    assertThat(throttle.active()).isFalse();
  }

  @Test
  void theSameWrongKeyAgainIsNotCountedAgain() {
    for (int i = 0; i < 50; i++) {
      throttle.failed("203.0.113.7", "wab_deleted_key");
    }
    guess("203.0.113.7", 8);
    assertThat(throttle.retryAfter("203.0.113.7")).as("9 different keys").isZero();
    guess("203.0.113.7", 1);
    assertThat(throttle.retryAfter("203.0.113.7")).as("10 different keys").isPositive();
  }

  /** The review's M4: past 10,000 addresses the old throttle cleared its map, so many addresses reset it. */
  @Test
  void floodingFromFreshAddressesNeitherResetsALockoutNorGrowsTheMap() {
    guess("203.0.113.7", 10);
    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 3 * AuthThrottle.MAX_ADDRESSES; i++) {
      throttle.failed("2001:db8:" + Integer.toHexString(i) + "::/64", "wab_flood");
    }
    assertThat(throttle.size()).isLessThanOrEqualTo(AuthThrottle.MAX_ADDRESSES);
    assertThat(throttle.retryAfter("203.0.113.7")).as("still locked out").isEqualTo(840);
  }

  @Test
  void whenFullFinishedWindowsGoFirst() {
    for (int i = 0; i < AuthThrottle.MAX_ADDRESSES - 1; i++) {
      throttle.failed("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), "wab_x");
    }
    clock.advance(Duration.ofMinutes(16));
    guess("203.0.113.7", 3);
    assertThat(throttle.size()).isEqualTo(AuthThrottle.MAX_ADDRESSES);
    throttle.failed("198.51.100.1", "wab_y");
    assertThat(throttle.size()).as("the finished windows are gone, the live ones stay").isEqualTo(2);
    guess("203.0.113.7", 7);
    assertThat(throttle.retryAfter("203.0.113.7")).as("its count survived").isPositive();
  }
}
