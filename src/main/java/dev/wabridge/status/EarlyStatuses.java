package dev.wabridge.status;

import org.jdbi.v3.core.Handle;

/**
 * The statuses kept for a wamid not recorded yet ({@link StatusApplier}) wait a day at most: a send is recorded
 * within seconds of Meta's answer, so a status still waiting after a day names a message that will never show up
 * (another system's send on a shared number, or a send whose recording failed for good).
 */
public final class EarlyStatuses {
  private static final long KEPT_MILLIS = 24L * 3600 * 1000;

  private EarlyStatuses() {
  }

  /** For the housekeeper: deletes statuses kept longer than a day. */
  public static void purge(Handle h, long now) {
    h.createUpdate("DELETE FROM early_statuses WHERE received_at < :t").bind("t", now - KEPT_MILLIS).execute();
  }
}
