package dev.wabridge.sandbox;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * Fault injection for the simulated Graph API: while a plan is set, each send waits {@code latencyMs} and then
 * fails with Meta's error for {@code errorCode} with probability {@code rate}. Mark-read calls are not affected.
 */
final class Faults {
  /** What to inject. {@code errorCode} null means latency only. */
  record Plan(Integer errorCode, double rate, long latencyMs) {
  }

  private final AtomicReference<Plan> plan = new AtomicReference<>();
  private final DoubleSupplier random;

  Faults() {
    this(() -> ThreadLocalRandom.current().nextDouble());
  }

  Faults(DoubleSupplier random) {
    this.random = random;
  }

  void set(Plan p) {
    plan.set(p);
  }

  void clear() {
    plan.set(null);
  }

  Optional<Plan> current() {
    return Optional.ofNullable(plan.get());
  }

  /** Applies the plan to one send: sleeps the latency, then returns the error to answer with, if any. */
  Optional<MetaError> roll() {
    Plan p = plan.get();
    if (p == null) {
      return Optional.empty();
    }
    if (p.latencyMs() > 0) {
      try {
        Thread.sleep(p.latencyMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (p.errorCode() == null || random.getAsDouble() >= p.rate()) {
      return Optional.empty();
    }
    return MetaError.of(p.errorCode());
  }
}
