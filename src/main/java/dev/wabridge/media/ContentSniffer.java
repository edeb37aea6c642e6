package dev.wabridge.media;

/**
 * Tells a file's type from its first bytes, not from its name or the server's Content-Type, so an HTML error
 * page is never sent as an "image". Returns null when the bytes are of no type WhatsApp takes.
 */
public final class ContentSniffer {
  private ContentSniffer() {
  }

  public static String sniff(byte[] b) {
    if (b.length < 4) {
      return null;
    }
    if (u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
      return "image/jpeg";
    }
    if (u(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "image/png";
    }
    if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP")) {
      return "image/webp";
    }
    if (startsWith(b, 0, "%PDF")) {
      return "application/pdf";
    }
    if (startsWith(b, 0, "OggS")) {
      return "audio/ogg";
    }
    if (startsWith(b, 0, "#!AMR")) {
      return "audio/amr";
    }
    if (startsWith(b, 0, "ID3") || u(b, 0) == 0xFF && (u(b, 1) & 0xE6) == 0xE2) {
      return "audio/mpeg";
    }
    if (u(b, 0) == 0xFF && (u(b, 1) & 0xF6) == 0xF0) {
      return "audio/aac";
    }
    if (b.length >= 12 && startsWith(b, 4, "ftyp")) {
      String brand = new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (brand.startsWith("3g")) {
        return "video/3gpp";
      }
      if (brand.startsWith("M4A")) {
        return "audio/mp4";
      }
      return "video/mp4";
    }
    if (startsWith(b, 0, "PK\u0003\u0004")) {
      return "application/zip";
    }
    if (startsWith(b, 0, "\u00D0\u00CF\u0011\u00E0")) {
      return "application/x-ole";
    }
    return looksLikeText(b) ? "text/plain" : null;
  }

  /**
   * The MIME type to declare for bytes whose server claims {@code declared}: the sniffed type, except that
   * Office files (zip or OLE containers) keep a declared Office type.
   */
  public static String resolve(byte[] bytes, String declared) {
    String sniffed = sniff(bytes);
    if (sniffed == null) {
      return null;
    }
    String d = declared == null ? "" : MediaKind.base(declared);
    if ((sniffed.equals("application/zip") || sniffed.equals("application/x-ole")) && d.startsWith("application/")) {
      return d;
    }
    if (sniffed.equals("text/plain") && (d.startsWith("text/html") || d.contains("xml"))) {
      return null;
    }
    return sniffed;
  }

  private static boolean looksLikeText(byte[] b) {
    int n = Math.min(b.length, 512);
    String head = new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading().toLowerCase();
    if (head.startsWith("<!doctype") || head.startsWith("<html") || head.startsWith("<?xml")) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      int c = u(b, i);
      if (c < 0x09 || c > 0x0D && c < 0x20 && c != 0x1B) {
        return false;
      }
    }
    return true;
  }

  private static int u(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static boolean startsWith(byte[] b, int offset, String s) {
    if (b.length < offset + s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if ((b[offset + i] & 0xFF) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
