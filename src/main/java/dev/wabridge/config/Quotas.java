package dev.wabridge.config;

/**
 * Per-workspace quotas, server-wide ({@code WABRIDGE_QUOTA_*}); {@code 0} means unlimited. They never apply to
 * the operator's {@code default} workspace.
 */
public record Quotas(int numbers, int agents, int queuedMessages) {
  public static final Quotas UNLIMITED = new Quotas(0, 0, 0);

  /** Whether {@code count} has reached {@code quota} (never, for 0). */
  public static boolean reached(int quota, long count) {
    return quota > 0 && count >= quota;
  }
}
