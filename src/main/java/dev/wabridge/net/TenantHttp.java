package dev.wabridge.net;

import dev.wabridge.net.NetworkPolicy;
import java.time.Duration;

/**
 * Outbound HTTP to URLs a workspace chose: one client for the operator's {@code default} workspace (any address)
 * and one for every other workspace (only where the {@link NetworkPolicy} allows). Two clients, not one, so that a
 * kept-alive connection opened for the operator's workspace never carries a tenant's request to the same host.
 */
public final class TenantHttp implements AutoCloseable {
  private final NetworkPolicy policy;
  private final OutboundHttp open;
  private final OutboundHttp guarded;

  /** @param policy the tenants' (guarded) policy */
  public TenantHttp(String name, Duration connectTimeout, String userAgent, NetworkPolicy policy) {
    this.policy = policy;
    this.open = new OutboundHttp(name + "-default", connectTimeout, userAgent, NetworkPolicy.open());
    this.guarded = new OutboundHttp(name, connectTimeout, userAgent, policy);
  }

  /** The client for a workspace's URLs. */
  public OutboundHttp forWorkspace(String workspaceId) {
    return policy.forWorkspace(workspaceId).isOpen() ? open : guarded;
  }

  /** The client for URLs the operator chose (the Graph API's): any address, as the default workspace's. */
  public OutboundHttp open() {
    return open;
  }

  /** The client for URLs no workspace of the operator's chose (as Meta would fetch them: tenants' rules). */
  public OutboundHttp guarded() {
    return guarded;
  }

  /** The policy a workspace's URLs are checked against when saved. */
  public NetworkPolicy policy(String workspaceId) {
    return policy.forWorkspace(workspaceId);
  }

  @Override
  public void close() {
    open.close();
    guarded.close();
  }
}
