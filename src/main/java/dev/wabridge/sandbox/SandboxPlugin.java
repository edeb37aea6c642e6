package dev.wabridge.sandbox;

import dev.wabridge.app.Core;
import dev.wabridge.app.Plugin;
import dev.wabridge.config.Config;
import dev.wabridge.number.SimulatedNumbers;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox as a plug-in ({@code WABRIDGE_SANDBOX}, on by default): builds the {@link Sandbox} on the core's
 * services, adds its routes, and tells the core that {@code num_sandbox} is simulated: its Graph API is the
 * sandbox's and the sandbox says which agent a message to it is for.
 */
public final class SandboxPlugin implements Plugin {
  private volatile Sandbox sandbox;

  @Override
  public boolean enabled(Config config) {
    return config.sandbox();
  }

  @Override
  public Installed install(Core core) {
    Sandbox built = core.lifecycle().closeAtEnd("sandbox", Sandbox.create(core));
    core.http().add(built::register);
    sandbox = built;
    String publicUrl = core.config().publicUrl();
    SimulatedNumbers.Simulated number = new SimulatedNumbers.Simulated(SandboxNumber.ID,
        publicUrl + GraphRoutes.BASE + "/" + core.config().graphVersion(), publicUrl + "/sandbox/connect/");
    return new Installed(List.of(number), Optional.of(built.router()));
  }

  /** The simulated WhatsApp, once installed. */
  public Sandbox sandbox() {
    return sandbox;
  }
}
