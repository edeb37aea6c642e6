package dev.wabridge.auth;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each key (an API key's id, a reply callback's conversation) may make {@code limit} requests per window (100 per
 * 10 s by default); past that, 429. Bounded: a window that ended is forgotten, swept at most once per window, so
 * the map holds only the keys seen in the last two windows however many distinct keys ever called.
 */
public final class KeyRateLimiter {
  private record Window(long start, int count) {
  }

  private final InstantSource clock;
  private final int limit;
  private final long windowMillis;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  public KeyRateLimiter(InstantSource clock, int limit, long windowMillis) {
    this.clock = clock;
    this.limit = limit;
    this.windowMillis = windowMillis;
    this.lastSweep = new AtomicLong(clock.millis());
  }

  /** Returns 0 when allowed, else the seconds to wait. */
  public long acquire(String key) {
    long now = clock.millis();
    sweep(now);
    Window w = windows.compute(key, (k, old) ->
        old == null || now - old.start >= windowMillis ? new Window(now, 1) : new Window(old.start, old.count + 1));
    if (w.count <= limit) {
      return 0;
    }
    return Math.max(1, (w.start + windowMillis - now + 999) / 1000);
  }

  /** How many keys are remembered (for tests and metrics). */
  public int size() {
    return windows.size();
  }

  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last < windowMillis || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    windows.values().removeIf(w -> now - w.start >= windowMillis);
  }
}
