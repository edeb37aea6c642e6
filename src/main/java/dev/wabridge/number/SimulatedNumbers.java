package dev.wabridge.number;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The numbers a plug-in simulates (the sandbox's), told to the core at start instead of the core naming them.
 * Such a number is stored like any other; what differs is that its Graph API is the plug-in's and that every
 * workspace's agents may chat on it, through the plug-in's page. Filled while the server is built, before any
 * worker runs; read on every send.
 */
public final class SimulatedNumbers {
  /**
   * @param graphBase the Graph API the number's sends and media go to, version included
   * @param connectBase where a customer joins an agent on it: the agent's join code is appended
   */
  public record Simulated(String numberId, String graphBase, String connectBase) {
  }

  private final Map<String, Simulated> byId = new ConcurrentHashMap<>();

  public void add(Simulated number) {
    byId.put(number.numberId(), number);
  }

  public Optional<Simulated> of(String numberId) {
    return numberId == null ? Optional.empty() : Optional.ofNullable(byId.get(numberId));
  }

  public boolean contains(String numberId) {
    return numberId != null && byId.containsKey(numberId);
  }

  /** The number a new agent gets when it names none: the simulated one, when there is exactly one. */
  public Optional<Simulated> shared() {
    Collection<Simulated> all = byId.values();
    return all.size() == 1 ? all.stream().findFirst() : Optional.empty();
  }
}
