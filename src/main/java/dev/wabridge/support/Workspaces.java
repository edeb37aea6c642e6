package dev.wabridge.support;

/**
 * The operator's own workspace, {@code default} (the admin key's): trusted, so its agents may live on private
 * addresses and it has no quotas. Every other workspace is a tenant.
 */
public final class Workspaces {
  public static final String DEFAULT = "default";

  private Workspaces() {
  }

  public static boolean isDefault(String workspaceId) {
    return DEFAULT.equals(workspaceId);
  }
}
