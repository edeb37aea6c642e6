package dev.wabridge.outbound;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paces sends before they go, rather than retrying after Meta refuses them: a token bucket per business number
 * (its throughput, 80 messages/s unless set up to 1000) and one per number and customer for Meta's pair rate
 * (a burst of up to 45, then one every 6 s). {@link #reserve} takes a token from both or says how long to wait.
 *
 * <p>The buckets live in this process: with several nodes, each number's budget is split by however the nodes
 * share its traffic, so set a number's throughput to its share when running more than one node.
 */
public final class SendPacer {
  static final int PAIR_BURST = 45;
  static final long PAIR_INTERVAL_MILLIS = 6_000;
  private static final long IDLE_EVICT_MILLIS = PAIR_BURST * PAIR_INTERVAL_MILLIS;

  private final InstantSource clock;
  private final ConcurrentHashMap<String, Bucket> numbers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Bucket> pairs = new ConcurrentHashMap<>();
  private long lastEviction;

  public SendPacer(InstantSource clock) {
    this.clock = clock;
  }

  /** A classic token bucket in milli-tokens; refilled lazily from the clock. */
  private static final class Bucket {
    private final long capacity;
    private final double perMilli;
    private double tokens;
    private long updated;

    Bucket(long capacity, double perMilli, long now) {
      this.capacity = capacity;
      this.perMilli = perMilli;
      this.tokens = capacity;
      this.updated = now;
    }

    synchronized long waitMillis(long now) {
      refill(now);
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMilli);
    }

    synchronized void take(long now) {
      refill(now);
      tokens -= 1;
    }

    synchronized boolean idle(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      if (now > updated) {
        tokens = Math.min(capacity, tokens + (now - updated) * perMilli);
        updated = now;
      }
    }
  }

  /**
   * Takes one send from the number's and the pair's budgets. Returns 0 when the send may go now, else the
   * milliseconds until it may (nothing is taken then).
   */
  public long reserve(String numberId, int throughputMps, String recipient) {
    long now = clock.millis();
    evictIdle(now);
    int mps = Math.max(1, throughputMps);
    Bucket number = numbers.compute(numberId, (k, b) -> b == null || b.capacity != mps
        ? new Bucket(mps, mps / 1000.0, now) : b);
    Bucket pair = pairs.computeIfAbsent(numberId + "|" + recipient,
        k -> new Bucket(PAIR_BURST, 1.0 / PAIR_INTERVAL_MILLIS, now));
    synchronized (pair) {
      long pairWait = pair.waitMillis(now);
      if (pairWait > 0) {
        return pairWait;
      }
      long numberWait = number.waitMillis(now);
      if (numberWait > 0) {
        return numberWait;
      }
      number.take(now);
      pair.take(now);
      return 0;
    }
  }

  /** Meta said the pair is over its rate: empty the pair's bucket so the next send waits a full interval. */
  public void pairLimited(String numberId, String recipient) {
    Bucket pair = pairs.get(numberId + "|" + recipient);
    if (pair != null) {
      synchronized (pair) {
        pair.tokens = Math.min(pair.tokens, 0);
      }
    }
  }

  private void evictIdle(long now) {
    if (now - lastEviction < IDLE_EVICT_MILLIS) {
      return;
    }
    lastEviction = now;
    pairs.values().removeIf(b -> b.idle(now));
  }

  int trackedPairs() {
    return pairs.size();
  }
}
