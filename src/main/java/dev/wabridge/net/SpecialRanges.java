package dev.wabridge.net;

import java.util.List;

/**
 * The address blocks a tenant's URL may not reach (IANA's special-purpose registries, RFC 6890 and successors):
 * every block that is not globally reachable unicast, plus documentation and benchmarking blocks. IPv6 outside
 * 2000::/3 (global unicast) is refused as a whole; IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address, so no spelling reaches 127.0.0.1.
 */
public final class SpecialRanges {
  private SpecialRanges() {
  }

  public static final List<Cidr> V4 = blocks(
      "0.0.0.0/8", // "this network"; 0.0.0.0 reaches the local host
      "10.0.0.0/8", // private
      "100.64.0.0/10", // shared address space (carrier-grade NAT)
      "127.0.0.0/8", // loopback
      "169.254.0.0/16", // link-local, cloud metadata services
      "172.16.0.0/12", // private
      "192.0.0.0/24", // IETF protocol assignments
      "192.0.2.0/24", // documentation (TEST-NET-1)
      "192.88.99.0/24", // 6to4 relay anycast (deprecated)
      "192.168.0.0/16", // private
      "198.18.0.0/15", // benchmarking
      "198.51.100.0/24", // documentation (TEST-NET-2)
      "203.0.113.0/24", // documentation (TEST-NET-3)
      "224.0.0.0/4", // multicast
      "240.0.0.0/4", // reserved, and 255.255.255.255 broadcast
      "255.255.255.255/32");

  static final List<Cidr> V6 = blocks(
      "::/96", // unspecified, loopback, deprecated IPv4-compatible
      "64:ff9b:1::/48", // local-use NAT64
      "100::/64", // discard-only
      "2001::/23", // IETF protocol assignments, Teredo 2001::/32
      "2001:db8::/32", // documentation
      "3fff::/20", // documentation
      "fc00::/7", // unique local
      "fe80::/10", // link-local
      "fec0::/10", // site-local (deprecated)
      "ff00::/8"); // multicast

  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");
  private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  /** Whether the address (4 or 16 bytes; not one with an {@link #embeddedV4}) is in a refused block. */
  static boolean blocked(byte[] address) {
    if (address.length == 16 && !GLOBAL_UNICAST.contains(address)) {
      return true;
    }
    for (Cidr c : address.length == 4 ? V4 : V6) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The IPv4 address an IPv4-mapped, NAT64 or 6to4 IPv6 address carries, or null. */
  static byte[] embeddedV4(byte[] v6) {
    if (MAPPED.contains(v6) || NAT64.contains(v6)) {
      return java.util.Arrays.copyOfRange(v6, 12, 16);
    }
    if (SIX_TO_FOUR.contains(v6)) {
      return java.util.Arrays.copyOfRange(v6, 2, 6);
    }
    return null;
  }

  private static List<Cidr> blocks(String... texts) {
    return java.util.Arrays.stream(texts).map(Cidr::parse).toList();
  }
}
