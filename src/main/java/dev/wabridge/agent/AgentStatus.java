package dev.wabridge.agent;

import java.util.Locale;

/**
 * Where an agent is in its life: created as a draft, deployed to answer its number, paused (its customers' messages
 * wait for it). Stored and shown in the API by {@link #wire()}.
 */
public enum AgentStatus {
  /** Created, not yet answering (except on the shared test number, where it can be tried). */
  DRAFT,
  /** Answers its number. */
  DEPLOYED,
  /** Stopped by its owner: messages wait, held, until it is resumed. */
  PAUSED;

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status a row holds; an unknown name is a corrupt row. */
  public static AgentStatus fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
