package dev.wabridge.net;

import java.util.Arrays;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}: the first {@code prefix} bits of
 * {@code network} (4 bytes for IPv4, 16 for IPv6; the bits after the prefix are zero). Parsing reads only
 * literal addresses, never a host name, so it never touches DNS.
 */
public record Cidr(byte[] network, int prefix) {
  public Cidr {
    network = network.clone();
    if (network.length != 4 && network.length != 16 || prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("bad block");
    }
    for (int bit = prefix; bit < network.length * 8; bit++) {
      network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
  }

  /**
   * {@code a.b.c.d/n} or an IPv6 address {@code /n}; an address without a prefix is a block of one.
   *
   * @throws IllegalArgumentException with a message fit for an operator
   */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = address(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + s + "' is not an address block such as 10.1.0.0/16 or fd00::/8");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bytes.length * 8) {
        throw new IllegalArgumentException("'" + s + "' has a bad prefix length (0 to " + bytes.length * 8 + ")");
      }
      prefix = Integer.parseInt(p);
    }
    return new Cidr(bytes, prefix);
  }

  /**
   * The 4 or 16 bytes of an IP address literal ({@code 203.0.113.7}, {@code 2001:db8::1}; no brackets, port or zone
   * id), or null when the text is not one. Never touches DNS.
   */
  public static byte[] address(String text) {
    return text.contains(":") ? IpLiterals.v6(text) : IpLiterals.v4(text);
  }

  /** Whether {@code address} (4 or 16 bytes) is in this block; an IPv4 address is never in an IPv6 block. */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      java.net.InetAddress a = network.length == 4 ? java.net.InetAddress.getByAddress(network)
          : java.net.Inet6Address.getByAddress(null, network, null);
      return a.getHostAddress() + "/" + prefix;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
