package dev.wabridge.web;

import dev.wabridge.net.Cidr;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The address of the client behind a request, for security decisions: the TCP peer, unless the peer is in
 * {@code WABRIDGE_TRUSTED_PROXIES}; then the right-most {@code X-Forwarded-For} entry that is not itself a trusted
 * proxy ({@code Forwarded: for=} on a request without {@code X-Forwarded-For}). A client can write any forwarding
 * header it likes, so nothing left of the first untrusted entry is read, and with no trusted proxies (the default)
 * no header is read at all. An entry that is not an address ({@code unknown}, an obfuscated name) stops the walk at
 * the trusted hop to its right. This is the only place that reads the peer address for a security decision.
 */
public final class ClientAddress {
  /** Entries read from the right of a forwarding header at most: no real chain of proxies is longer. */
  public static final int MAX_HOPS = 16;
  private static final byte[] UNKNOWN = new byte[4];

  private final List<Cidr> trusted;

  public ClientAddress(List<Cidr> trustedProxies) {
    this.trusted = List.copyOf(trustedProxies);
  }

  /** The client's address: 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
  public byte[] of(Context ctx) {
    if (trusted.isEmpty()) {
      return peer(ctx.req().getRemoteAddr());
    }
    return resolve(ctx.req().getRemoteAddr(), headers(ctx, "X-Forwarded-For"), headers(ctx, "Forwarded"));
  }

  /**
   * The client's address as one text per client: an IPv4 address, or the /64 of an IPv6 address (one host's or
   * one site's usual allocation, so that a client cannot become many by changing its low bits).
   */
  public String group(Context ctx) {
    return group(of(ctx));
  }

  public byte[] resolve(String peer, List<String> forwardedFor, List<String> forwarded) {
    byte[] address = peer(peer);
    if (!isTrusted(address)) {
      return address;
    }
    List<String> hops = forwardedFor.isEmpty() ? forValues(forwarded) : entries(forwardedFor);
    for (String hop : hops) {
      byte[] a = parseHop(hop);
      if (a == null) {
        return address; // the trusted proxy to its right could not say who its client was
      }
      address = a;
      if (!isTrusted(a)) {
        return a;
      }
    }
    return address; // every hop is a trusted proxy: the left-most one read is the client
  }

  static String group(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    StringBuilder s = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      s.append(Integer.toHexString((a[i] & 0xff) << 8 | a[i + 1] & 0xff)).append(':');
    }
    return s.append(":/64").toString();
  }

  private boolean isTrusted(byte[] address) {
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The peer as the server reports it ({@code 203.0.113.7}, {@code [::1]}, {@code fe80::1%eth0}). */
  private static byte[] peer(String text) {
    if (text == null) {
      return UNKNOWN;
    }
    String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    int zone = s.indexOf('%');
    byte[] a = Cidr.address(zone < 0 ? s : s.substring(0, zone));
    return a == null ? UNKNOWN : unmapped(a);
  }

  /** A forwarding entry: an address, optionally quoted, bracketed and with a port; null when it is none. */
  static byte[] parseHop(String entry) {
    String s = entry.trim();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0 || end + 1 < s.length() && s.charAt(end + 1) != ':') {
        return null;
      }
      s = s.substring(1, end);
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      s = s.substring(0, s.indexOf(':')); // an IPv4 address with a port
    }
    byte[] a = Cidr.address(s);
    return a == null ? null : unmapped(a);
  }

  /** {@code ::ffff:a.b.c.d} is the IPv4 client {@code a.b.c.d}, and is grouped and matched as one. */
  private static byte[] unmapped(byte[] a) {
    if (a.length != 16 || (a[10] & 0xff) != 0xff || (a[11] & 0xff) != 0xff) {
      return a;
    }
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return a;
      }
    }
    return new byte[] {a[12], a[13], a[14], a[15]};
  }

  /** Every header line of {@code name}, in order. */
  private static List<String> headers(Context ctx, String name) {
    var values = ctx.req().getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  /** The comma-separated entries of the header lines, right-most first, at most {@link #MAX_HOPS}. */
  public static List<String> entries(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (int l = lines.size() - 1; l >= 0 && out.size() < MAX_HOPS; l--) {
      String line = lines.get(l);
      int end = line.length();
      while (end >= 0 && out.size() < MAX_HOPS) {
        int comma = line.lastIndexOf(',', end - 1);
        String entry = line.substring(comma + 1, end).trim();
        if (!entry.isEmpty()) {
          out.add(entry);
        }
        end = comma;
      }
    }
    return out;
  }

  /**
   * The {@code for=} of each {@code Forwarded} element (RFC 7239), right-most first; an element without one is
   * kept as an entry that is not an address.
   */
  static List<String> forValues(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String element : entries(lines)) {
      String value = "";
      for (String pair : element.split(";")) {
        String p = pair.trim();
        if (p.length() > 4 && p.substring(0, 4).toLowerCase(Locale.ROOT).equals("for=")) {
          value = p.substring(4);
        }
      }
      out.add(value);
    }
    return out;
  }
}
