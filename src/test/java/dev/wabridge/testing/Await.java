package dev.wabridge.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for asynchronous work done by real threads over real sockets (no injected clock can stand in for a
 * network round trip). Polls every 10 ms at first, backing off to every 100 ms, and fails with the description
 * after the deadline. The back-off keeps a long wait over the HTTP API under the per-key rate limit (100 requests
 * in 10 s): a fast machine polling every 10 ms spent a key's whole budget in one second.
 */
public final class Await {
  private Await() {
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 10;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
      }
      try {
        Thread.sleep(pause);
        pause = Math.min(100, pause * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  public static <T> T value(String what, Duration timeout, Supplier<T> supplier) {
    Object[] box = new Object[1];
    until(what, timeout, () -> (box[0] = supplier.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
