package dev.wabridge.net;

import java.util.Locale;

/**
 * Reads IP address literals strictly and without DNS: an IPv4 address only as four decimal numbers from 0 to 255
 * without leading zeros, an IPv6 address only in RFC 4291 text form (optionally ending in such an IPv4 address).
 * Also says when a host name would be read as an IPv4 address by some client (a URL parser reads
 * {@code 2130706433}, {@code 0x7f.1} or {@code 0177.0.0.1} as 127.0.0.1; the JDK reads {@code 0177.0.0.1} as
 * 177.0.0.1): those spellings mean different things to different clients, so the network policy refuses them.
 */
public final class IpLiterals {
  private IpLiterals() {
  }

  /** The 4 bytes of a canonical dotted quad, or null. */
  public static byte[] v4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !p.chars().allMatch(
          c -> c >= '0' && c <= '9')) {
        return null;
      }
      int n = Integer.parseInt(p);
      if (n > 255) {
        return null;
      }
      out[i] = (byte) n;
    }
    return out;
  }

  /** The 16 bytes of an IPv6 literal (no brackets, no zone id), or null. */
  public static byte[] v6(String s) {
    if (s.length() < 2 || s.length() > 45) {
      return null;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] head = groups(gap < 0 ? s : s.substring(0, gap), gap < 0);
    byte[] tail = gap < 0 ? new byte[0] : groups(s.substring(gap + 2), true);
    if (head == null || tail == null) {
      return null;
    }
    int given = head.length + tail.length;
    if (gap < 0 ? given != 16 : given > 14) {
      return null;
    }
    byte[] out = new byte[16];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, 16 - tail.length, tail.length);
    return out;
  }

  /** Colon-separated hex groups, the last of which may be a dotted quad when {@code v4Last}; empty text is none. */
  private static byte[] groups(String s, boolean v4Last) {
    if (s.isEmpty()) {
      return new byte[0];
    }
    String[] parts = s.split(":", -1);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && v4Last && p.contains(".")) {
        byte[] quad = v4(p);
        if (quad == null) {
          return null;
        }
        out.writeBytes(quad);
        continue;
      }
      if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return null;
      }
      int n = Integer.parseInt(p, 16);
      out.write(n >>> 8);
      out.write(n & 0xff);
    }
    return out.toByteArray();
  }

  /**
   * Whether a URL parser would read this host as an IPv4 address: its last dot-separated label (a trailing dot
   * aside) is a decimal number or {@code 0x} followed by hex digits (WHATWG URL, "ends in a number").
   */
  static boolean looksNumeric(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = h.substring(h.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    if (last.isEmpty()) {
      return false;
    }
    if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return last.startsWith("0x") && last.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
  }
}
