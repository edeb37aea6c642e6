package dev.wabridge.support;

import dev.wabridge.support.ShortCache;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShortCacheTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  final AtomicInteger loads = new AtomicInteger();

  private String load(String key) {
    loads.incrementAndGet();
    return key + "@" + clock.millis();
  }

  @Test
  void anotherNodesWriteIsSeenWithinTheTimeToLive() {
    ShortCache<String, String> cache = new ShortCache<>(clock, 5_000, 100);
    String first = cache.get("num", this::load);
    clock.advance(Duration.ofSeconds(4));
    assertThat(cache.get("num", this::load)).isEqualTo(first);
    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.get("num", this::load)).isNotEqualTo(first);
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void valuesNotWorthKeepingAreLoadedEveryTime() {
    ShortCache<String, Optional<String>> cache = new ShortCache<>(clock, 5_000, 100);
    for (int i = 0; i < 3; i++) {
      cache.get("unknown", k -> {
        loads.incrementAndGet();
        return Optional.empty();
      }, Optional::isPresent);
    }
    assertThat(loads.get()).isEqualTo(3);
  }

  @Test
  void itStaysBoundedAndInvalidates() {
    ShortCache<Integer, String> cache = new ShortCache<>(clock, 60_000, 10);
    for (int i = 0; i < 25; i++) {
      cache.get(i, k -> "v" + k);
    }
    cache.get(24, k -> {
      loads.incrementAndGet();
      return "reloaded";
    });
    assertThat(loads.get()).isZero();
    cache.invalidate(24);
    assertThat(cache.get(24, k -> "fresh")).isEqualTo("fresh");
    cache.invalidateIf("fresh"::equals);
    assertThat(cache.get(24, k -> "again")).isEqualTo("again");
  }
}
