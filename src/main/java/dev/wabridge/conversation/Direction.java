package dev.wabridge.conversation;

import java.util.Locale;

/** Which way a message went: from the customer to the business, or from the business to the customer. */
public enum Direction {
  /** The customer wrote it (or Meta, for a system notice in the customer's chat). */
  INBOUND,
  /** The business sent it (or meant to: it may have failed or been suppressed). */
  OUTBOUND;

  /** As stored in {@code messages.direction} and shown by the Conversations API. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Direction fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
