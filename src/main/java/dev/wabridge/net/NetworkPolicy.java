package dev.wabridge.net;

import dev.wabridge.support.Workspaces;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where outbound requests to URLs a workspace chose (agent webhooks, agent media, sandbox {@code image_url}s) may
 * go. The operator's own {@code default} workspace may reach any address. Every other workspace is refused
 * loopback, private, link-local, shared (CGNAT), multicast, reserved and documentation addresses, in every
 * spelling (IPv4-mapped, NAT64 and 6to4 IPv6 addresses count as the IPv4 address inside), unless the address is in
 * {@code WABRIDGE_AGENT_NETWORK_ALLOWLIST}; a host name is refused when any address it resolves to is.
 *
 * <p>One exception, so that tenants can use the sandbox's demo agent: on wabridge's own public URL (same host and
 * port) the demo agent ({@code {path}/sandbox/demo-agent}) and its files ({@code {path}/sandbox/demo/{file}}) may
 * be reached wherever that URL points. Any other path there is judged like any other URL, so a path-routing ingress
 * in front of wabridge does not open its other services to tenants. Connections are per host and port, so the path
 * is checked before every request and every redirect hop ({@link #requestRefusal}); {@link #check} (connect time)
 * lets wabridge's own host and port through.
 *
 * <p>{@link #check} resolves a host once and returns the addresses it checked, so a client that connects to
 * exactly those (see {@code OutboundHttp}) cannot be turned to another address by a second DNS answer.
 */
public final class NetworkPolicy {
  /** The words every refusal starts with. */
  public static final String REFUSED = "refused by network policy";

  /** Name resolution, injectable so that a test can answer differently at each call (DNS rebinding). */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
  }

  /** What {@link #check} found. */
  public sealed interface Verdict {
  }

  /** The host may be reached at these addresses (and only these). */
  public record Allowed(List<InetAddress> addresses) implements Verdict {
  }

  /** The host may not be reached; {@code reason} starts with {@link #REFUSED} and names no resolved address. */
  public record Refused(String reason) implements Verdict {
  }

  /** The name does not resolve (open policy only: a guarded one refuses, saying no more than for a refusal). */
  public record Unresolved(String host) implements Verdict {
  }

  private static final String RANGES = "loopback, private, link-local, shared, multicast or reserved";
  private static final String DEMO_AGENT = "/sandbox/demo-agent";
  private static final String DEMO_FILES = "/sandbox/demo/";
  private static final Pattern DEMO_FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private final boolean guarded;
  private final List<Cidr> allowlist;
  private final Resolver resolver;
  private final String ownHost;
  private final int ownPort;
  /** The raw path of wabridge's public URL, without a trailing slash ("" at the root). */
  private final String ownPath;
  private final NetworkPolicy open;

  private NetworkPolicy(boolean guarded, List<Cidr> allowlist, Resolver resolver, URI own, NetworkPolicy open) {
    this.guarded = guarded;
    this.allowlist = List.copyOf(allowlist);
    this.resolver = resolver;
    this.ownHost = own == null || own.getHost() == null ? null : bare(own.getHost());
    this.ownPort = own == null ? -1 : port(own);
    String path = own == null || own.getRawPath() == null ? "" : own.getRawPath();
    this.ownPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.open = open == null ? this : open;
  }

  /**
   * The policy for tenants' workspaces ({@link #forWorkspace} gives the open one for {@code default}).
   *
   * @param publicUrl wabridge's own public URL, whose demo agent paths are always reachable; null for none
   */
  public static NetworkPolicy guarded(List<Cidr> allowlist, Resolver resolver, String publicUrl) {
    URI own = publicUrl == null ? null : URI.create(publicUrl);
    return new NetworkPolicy(true, allowlist, resolver, own, new NetworkPolicy(false, List.of(), resolver, null, null));
  }

  /** A policy that allows every address (the operator's own workspace, or where no tenant chooses the URL). */
  public static NetworkPolicy open() {
    return new NetworkPolicy(false, List.of(), Resolver.SYSTEM, null, null);
  }

  /** The open policy for the operator's {@code default} workspace, this one for every other workspace. */
  public NetworkPolicy forWorkspace(String workspaceId) {
    return Workspaces.isDefault(workspaceId) ? open : this;
  }

  public boolean isOpen() {
    return !guarded;
  }

  /**
   * The check when a URL is saved: null when it may be saved, else why not (starting with {@link #REFUSED}). It is
   * checked again at every connection, so a name that later resolves elsewhere gains nothing.
   */
  public String refusal(URI uri) {
    if (!guarded) {
      return null;
    }
    if (uri.getHost() == null) {
      return REFUSED + ": the URL has no host";
    }
    if (isOwn(uri) && !demoPath(uri)) {
      return ownPathRefusal(uri);
    }
    return check(uri.getHost(), port(uri)) instanceof Refused r ? r.reason() : null;
  }

  /**
   * The check before each request and each redirect hop, for what the connect-time {@link #check} cannot see: the
   * path. Null unless {@code uri} is on wabridge's own host and port but not on the demo agent's paths, where it is
   * judged as any other host would be (and refused when that host is internal). Looks nothing up otherwise.
   */
  public String requestRefusal(URI uri) {
    if (!guarded || uri.getHost() == null || !isOwn(uri) || demoPath(uri)) {
      return null;
    }
    return ownPathRefusal(uri);
  }

  /** Wabridge's own host and port off the demo paths: judged as that host would be without the exception. */
  private String ownPathRefusal(URI uri) {
    return check(uri.getHost(), port(uri), false) instanceof Refused
        ? REFUSED + ": of wabridge's own address a workspace may reach only the sandbox demo agent (" + ownPath
            + DEMO_AGENT + " and " + ownPath + DEMO_FILES + "…); " + advice()
        : null;
  }

  private boolean isOwn(URI uri) {
    return ownHost != null && uri.getHost() != null && bare(uri.getHost()).equals(ownHost) && port(uri) == ownPort;
  }

  /**
   * The demo agent or one of its files, spelled plainly: its raw path exactly, or one file name of letters,
   * digits, {@code . _ -} not starting with a dot, so that no dot segment, encoded slash or parameter makes an
   * ingress route it elsewhere.
   */
  private boolean demoPath(URI uri) {
    String path = uri.getRawPath();
    if (path == null || !path.startsWith(ownPath)) {
      return false;
    }
    String rest = path.substring(ownPath.length());
    return rest.equals(DEMO_AGENT) || (rest.startsWith(DEMO_FILES)
        && DEMO_FILE.matcher(rest.substring(DEMO_FILES.length())).matches());
  }

  /**
   * Reads {@code host} (a name, a dotted quad, or an IPv6 literal with or without brackets), resolves it once and
   * checks every address. The open policy resolves and checks nothing.
   */
  public Verdict check(String host, int port) {
    return check(host, port, true);
  }

  /** @param ownException whether wabridge's own host and port pass (connect time: the path was checked before) */
  private Verdict check(String host, int port, boolean ownException) {
    String h = bare(host);
    if (guarded && ownException && h.equals(ownHost) && port == ownPort) {
      return open.check(host, port);
    }
    if (h.contains(":")) {
      return literal(host, h, guarded && h.contains("%") ? null : IpLiterals.v6(h.replaceFirst("%.*$", "")));
    }
    if (IpLiterals.looksNumeric(h)) {
      byte[] v4 = IpLiterals.v4(h);
      if (v4 == null && guarded) {
        return new Refused(REFUSED + ": '" + host + "' is not a plain IPv4 address; write IPv4 addresses as four "
            + "decimal numbers without leading zeros (e.g. 203.0.113.7), or use a host name");
      }
      if (v4 != null) {
        return literal(host, h, v4);
      }
    }
    List<InetAddress> addresses;
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      addresses = List.of(address(h, new byte[] {127, 0, 0, 1}), address(h, IpLiterals.v6("::1")));
    } else {
      try {
        addresses = resolver.resolve(h);
      } catch (UnknownHostException e) {
        addresses = List.of();
      }
    }
    // Unresolvable and refused names get the same answer, so the policy tells nothing about internal names.
    if (guarded && (addresses.isEmpty() || !addresses.stream().allMatch(a -> permits(a.getAddress())))) {
      return new Refused(REFUSED + ": " + host + " does not resolve to addresses this workspace may reach ("
          + RANGES + " addresses are refused); " + advice());
    }
    if (addresses.isEmpty()) {
      return new Unresolved(host);
    }
    return new Allowed(addresses);
  }

  /** Lower case, without IPv6 brackets or a DNS name's trailing dot. */
  private static String bare(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      return h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private Verdict literal(String host, String text, byte[] bytes) {
    if (bytes == null) {
      return new Refused(REFUSED + ": '" + host + "' is not a valid IPv6 address" + (text.contains("%")
          ? " (zone ids are not allowed)" : ""));
    }
    if (guarded && !permits(bytes)) {
      return new Refused(REFUSED + ": " + host + " is a " + RANGES + " address that this workspace may not reach; "
          + advice());
    }
    return new Allowed(List.of(address(null, bytes)));
  }

  private static String advice() {
    return "use a public address, or ask the operator to list it in WABRIDGE_AGENT_NETWORK_ALLOWLIST";
  }

  /** Whether a guarded workspace may connect to this address (4 or 16 bytes). */
  public boolean permits(byte[] address) {
    for (Cidr c : allowlist) {
      if (c.contains(address)) {
        return true;
      }
    }
    if (address.length == 16) {
      byte[] inner = SpecialRanges.embeddedV4(address);
      if (inner != null) {
        return permits(inner);
      }
    }
    return !SpecialRanges.blocked(address);
  }

  private static InetAddress address(String host, byte[] bytes) {
    try {
      return InetAddress.getByAddress(host, bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** {@code WABRIDGE_AGENT_NETWORK_ALLOWLIST}: comma-separated address blocks. */
  public static List<Cidr> parseAllowlist(String text) {
    List<Cidr> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        out.add(Cidr.parse(part));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return guarded ? "NetworkPolicy[guarded, allowlist=" + allowlist + "]" : "NetworkPolicy[open]";
  }
}
