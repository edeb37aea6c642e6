package dev.wabridge.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * {@code WABRIDGE_BLOCK_PRIVATE_NETWORKS}: when on, agent webhooks and media URLs that resolve to loopback,
 * private, link-local or unspecified addresses are refused, so a tenant cannot make wabridge call into its own
 * network. Not final so that a test can refuse some addresses and allow loopback.
 */
public class NetworkPolicy {
  private final boolean blockPrivate;

  public NetworkPolicy(boolean blockPrivate) {
    this.blockPrivate = blockPrivate;
  }

  public static NetworkPolicy open() {
    return new NetworkPolicy(false);
  }

  /** Null when the URL may be called, else why not. */
  public String refusal(URI uri) {
    if (!blockPrivate) {
      return null;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
            || a.isMulticastAddress() || isUniqueLocalV6(a)) {
          return uri.getHost() + " resolves to a private address (" + a.getHostAddress()
              + "), which WABRIDGE_BLOCK_PRIVATE_NETWORKS refuses";
        }
      }
      return null;
    } catch (UnknownHostException e) {
      return "cannot resolve " + uri.getHost();
    }
  }

  private static boolean isUniqueLocalV6(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == 16 && (b[0] & 0xfe) == 0xfc;
  }
}
