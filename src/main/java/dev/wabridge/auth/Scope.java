package dev.wabridge.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do, each scope including the ones before it: {@code read} reads; {@code send} also sends
 * messages as the business; {@code full} also changes the workspace (numbers, agents, keys); {@code admin} (the
 * bootstrap key alone) also manages workspaces and the sandbox's faults.
 */
public enum Scope {
  READ, SEND, FULL, ADMIN;

  /** As written in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean includes(Scope needed) {
    return ordinal() >= needed.ordinal();
  }

  public static Optional<Scope> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    for (Scope scope : values()) {
      if (scope.wire().equals(s)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }
}
