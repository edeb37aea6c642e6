package dev.wabridge.api;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per client address: past {@code limit} failures in a window, that address is refused (429) until
 * the window ends, so a short {@code WABRIDGE_ADMIN_KEY} cannot be guessed through {@code POST /api/session}. A
 * success does not reset the count (a tenant with a valid key must not be able to clear its own guesses). Memory is
 * bounded: past {@link #MAX_ADDRESSES} addresses, finished windows are dropped, and if that is not enough, all are.
 */
final class SessionThrottle {
  static final int MAX_ADDRESSES = 10_000;

  private record Window(long start, int failures) {
  }

  private final InstantSource clock;
  private final int limit;
  private final long windowMillis;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  SessionThrottle(InstantSource clock, int limit, long windowMillis) {
    this.clock = clock;
    this.limit = limit;
    this.windowMillis = windowMillis;
  }

  /** 0 when this address may try, else the seconds until it may. */
  long retryAfter(String address) {
    long now = clock.millis();
    Window w = windows.get(address);
    if (w == null || now - w.start >= windowMillis || w.failures < limit) {
      return 0;
    }
    return Math.max(1, (w.start + windowMillis - now + 999) / 1000);
  }

  void failed(String address) {
    long now = clock.millis();
    if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
      windows.values().removeIf(w -> now - w.start >= windowMillis);
      if (windows.size() >= MAX_ADDRESSES) {
        windows.clear();
      }
    }
    windows.compute(address, (k, old) -> old == null || now - old.start >= windowMillis ? new Window(now, 1)
        : new Window(old.start, old.failures + 1));
  }
}
