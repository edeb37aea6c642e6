package dev.wabridge.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/** The pipeline's meters, named once here, exported at {@code /metrics}. */
public final class Meters {
  public static final String INBOUND = "wabridge.inbound.messages";
  public static final String STATUSES = "wabridge.inbound.statuses";
  public static final String AGENT_CALLS = "wabridge.agent.calls";
  public static final String AGENT_LATENCY = "wabridge.agent.latency";
  public static final String SENDS = "wabridge.outbound.sends";

  /** How a send to Meta went: the {@code outcome} label of {@link #SENDS}. */
  public enum SendOutcome {
    /** Meta took the message. */
    ACCEPTED,
    /** Put back to wait for the number's or the customer's sending budget. */
    PACED,
    /** Failed in a way Meta says to retry; queued again. */
    RETRIED,
    /** Failed for good. */
    FAILED;

    /** The label value: the name in lower case. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The {@code outcome} label of an answered agent call. */
  private static final String REPLIED = "replied";

  private final MeterRegistry registry;
  private final Counter accepted;
  private final Counter duplicates;
  private final Counter unrouted;
  private final Counter statuses;
  private final Timer agentLatency;

  public Meters(MeterRegistry registry) {
    this.registry = registry;
    this.accepted = Counter.builder(INBOUND).tag("outcome", "accepted").register(registry);
    this.duplicates = Counter.builder(INBOUND).tag("outcome", "duplicate").register(registry);
    this.unrouted = Counter.builder(INBOUND).tag("outcome", "unrouted").register(registry);
    this.statuses = Counter.builder(STATUSES).register(registry);
    this.agentLatency = Timer.builder(AGENT_LATENCY).publishPercentiles(0.5, 0.99).register(registry);
  }

  public void inbound(int acceptedCount, int duplicateCount, int unroutedCount, int statusCount) {
    accepted.increment(acceptedCount);
    duplicates.increment(duplicateCount);
    unrouted.increment(unroutedCount);
    statuses.increment(statusCount);
  }

  /** An agent answered (what it answered may still be unreadable). */
  public void agentReplied(long millis) {
    agentCall(REPLIED, millis);
  }

  /**
   * An agent call failed; its {@code outcome} label is the error code it failed with, as the agent call log and the
   * customer's message show it ({@code agent_timeout}, {@code agent_http_503}, ...).
   */
  public void agentFailed(String errorCode, long millis) {
    agentCall(errorCode, millis);
  }

  private void agentCall(String outcome, long millis) {
    registry.counter(AGENT_CALLS, "outcome", outcome).increment();
    agentLatency.record(Duration.ofMillis(millis));
  }

  public void send(SendOutcome outcome) {
    registry.counter(SENDS, "outcome", outcome.label()).increment();
  }
}
