package dev.wabridge.app;

import dev.wabridge.config.Config;
import dev.wabridge.inbound.WebhookIntake;
import dev.wabridge.number.SimulatedNumbers;
import java.util.List;
import java.util.Optional;

/**
 * A part of wabridge the core does not name (the sandbox): found on the class path through
 * {@code META-INF/services/dev.wabridge.app.Plugin}, turned on by the configuration, and built on the core's
 * services once they exist. It adds its routes to {@link Core#http()} and what it must stop to
 * {@link Core#lifecycle()}; what it tells the core back is the numbers it simulates.
 */
public interface Plugin {

  /** Whether the configuration turns it on; read once at start. */
  boolean enabled(Config config);

  /** Builds it, before the workers and the HTTP server start. */
  Installed install(Core core);

  /**
   * What the core must know of an installed plug-in.
   *
   * @param numbers the numbers it simulates (their Graph API is the plug-in's)
   * @param router who answers a message to one of those numbers; empty when it simulates none
   */
  record Installed(List<SimulatedNumbers.Simulated> numbers, Optional<WebhookIntake.AgentRouter> router) {
  }
}
