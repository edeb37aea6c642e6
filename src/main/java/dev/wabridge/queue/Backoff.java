package dev.wabridge.queue;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped; Meta's pair-rate limit asks for 4^n seconds instead. */
public final class Backoff {
  private Backoff() {
  }

  /** Delay before retry number {@code attempt} (0-based). */
  public static long delayMillis(int attempt, long baseMillis, long capMillis) {
    long exp = baseMillis << Math.min(attempt, 20);
    long ceiling = Math.min(capMillis, exp <= 0 ? capMillis : exp);
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  /** 1, 4, 16, 64, 256 s … for Meta's 131056, capped at 15 minutes. */
  public static long pairRateMillis(int attempt) {
    long seconds = 1L << (2 * Math.min(attempt, 10));
    return Math.min(15 * 60_000L, seconds * 1000);
  }
}
