package dev.wabridge.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wrong API keys per client address ({@link ClientAddress#group}): once an address has sent {@code limit}
 * different wrong keys in a window, it is locked out until the window ends, and a locked-out address is refused
 * whatever key it sends, right or wrong, so no answer tells a guesser that a guess was right. The same wrong key
 * sent again is not counted again: it tells its sender nothing new, and a client retrying a deleted key does not
 * lock its address out. A success does not reset the count (a tenant with a valid key must not be able to clear its
 * own guesses).
 *
 * <p>Memory is bounded: when {@link #MAX_ADDRESSES} addresses are tracked, finished windows are dropped first, then
 * the windows with the fewest failures, oldest first, down to 90%. Flooding from fresh addresses so evicts other
 * fresh addresses, never a locked-out one while any other remains. While no address is locked out, {@link #active}
 * is one volatile read and a clock read, so a valid key costs nothing more.
 */
public final class AuthThrottle {
  public static final int MAX_ADDRESSES = 10_000;

  /** {@code failed}: a fingerprint of each different wrong key in the window. */
  private record Window(long start, long[] failed) {
  }

  private final InstantSource clock;
  private final int limit;
  private final long windowMillis;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  /** The latest end of a lockout so far: while it is in the past, no address is locked out. */
  private final AtomicLong lockedUntil = new AtomicLong();

  public AuthThrottle(InstantSource clock, int limit, long windowMillis) {
    this.clock = clock;
    this.limit = limit;
    this.windowMillis = windowMillis;
  }

  /** Whether any address may be locked out now; when false, {@link #retryAfter} is 0 for every address. */
  public boolean active() {
    return lockedUntil.get() > clock.millis();
  }

  /** 0 when this address may try a key, else the seconds until it may. */
  public long retryAfter(String address) {
    long now = clock.millis();
    Window w = windows.get(address);
    if (w == null || now - w.start >= windowMillis || w.failed.length < limit) {
      return 0;
    }
    return Math.max(1, (w.start + windowMillis - now + 999) / 1000);
  }

  /** Counts {@code key} as a wrong key sent from {@code address} (once per different key and window). */
  public void failed(String address, String key) {
    long now = clock.millis();
    long print = fingerprint(key);
    if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
      evict(now);
    }
    Window w = windows.compute(address, (k, old) -> {
      if (old == null || now - old.start >= windowMillis) {
        return new Window(now, new long[] {print});
      }
      if (old.failed.length >= limit || Arrays.stream(old.failed).anyMatch(f -> f == print)) {
        return old;
      }
      long[] more = Arrays.copyOf(old.failed, old.failed.length + 1);
      more[old.failed.length] = print;
      return new Window(old.start, more);
    });
    if (w.failed.length >= limit) {
      long end = w.start + windowMillis;
      lockedUntil.accumulateAndGet(end, Math::max);
    }
  }

  /** How many addresses are tracked (for tests). */
  public int size() {
    return windows.size();
  }

  private synchronized void evict(long now) {
    if (windows.size() < MAX_ADDRESSES) {
      return; // another caller made room
    }
    windows.values().removeIf(w -> now - w.start >= windowMillis);
    int excess = windows.size() - MAX_ADDRESSES * 9 / 10;
    if (excess <= 0) {
      return;
    }
    List<Map.Entry<String, Window>> all = new ArrayList<>(windows.entrySet());
    all.sort(Comparator.<Map.Entry<String, Window>>comparingInt(e -> e.getValue().failed.length)
        .thenComparingLong(e -> e.getValue().start));
    for (Map.Entry<String, Window> e : all.subList(0, excess)) {
      windows.remove(e.getKey(), e.getValue());
    }
  }

  /** 64 bits of the key's SHA-256 (not {@code hashCode}, whose collisions anyone can make): a key of its own. */
  private static long fingerprint(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
