package dev.wabridge.api;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/** Each API key may make {@code limit} requests per window (100 per 10 s by default); past that, 429. */
public final class KeyRateLimiter {
  private record Window(long start, int count) {
  }

  private final InstantSource clock;
  private final int limit;
  private final long windowMillis;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public KeyRateLimiter(InstantSource clock, int limit, long windowMillis) {
    this.clock = clock;
    this.limit = limit;
    this.windowMillis = windowMillis;
  }

  /** Returns 0 when allowed, else the seconds to wait. */
  public long acquire(String keyId) {
    long now = clock.millis();
    Window w = windows.compute(keyId, (k, old) ->
        old == null || now - old.start >= windowMillis ? new Window(now, 1) : new Window(old.start, old.count + 1));
    if (w.count <= limit) {
      return 0;
    }
    return Math.max(1, (w.start + windowMillis - now + 999) / 1000);
  }
}
