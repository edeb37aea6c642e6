package dev.wabridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Dashboards and alerts read the outcome labels at /metrics: their values do not change with the code's names. */
class MetersTest {
  @Test
  void outcomesKeepTheirLabelValues() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Meters meters = new Meters(registry);
    for (Meters.SendOutcome o : Meters.SendOutcome.values()) {
      meters.send(o);
    }
    meters.agentReplied(12);
    meters.agentFailed("agent_http_503", 40);

    assertThat(outcomes(registry, Meters.SENDS)).containsExactlyInAnyOrder("accepted", "paced", "retried", "failed");
    assertThat(outcomes(registry, Meters.AGENT_CALLS)).containsExactlyInAnyOrder("replied", "agent_http_503");
  }

  private static Set<String> outcomes(SimpleMeterRegistry registry, String name) {
    return registry.find(name).meters().stream().map(Meter::getId).map(id -> id.getTag("outcome"))
        .collect(Collectors.toSet());
  }
}
