package dev.wabridge.media;

import java.util.Map;
import java.util.Set;

/**
 * Tells a file's type from its first bytes, not from its name or the server's Content-Type, so an HTML error
 * page is never sent as an "image" and a customer's "photo" that is really a web page is never stored as one.
 * Markup (HTML, SVG, XML) is never reported as a type: it sniffs as null.
 */
public final class ContentSniffer {
  /** What bytes of no recognised (or of a markup) type are stored and served as. */
  public static final String UNKNOWN = "application/octet-stream";
  /** One ISO base media file (ftyp box) is told apart by brand only; these names are the same kind of file. */
  private static final Set<String> ISO_MEDIA = Set.of("video/mp4", "audio/mp4", "video/3gpp", "audio/3gpp",
      "video/quicktime");
  /** Names senders use for a type, besides the registered one. */
  private static final Map<String, String> ALIASES = Map.of("image/jpg", "image/jpeg", "image/pjpeg", "image/jpeg",
      "audio/mp3", "audio/mpeg", "audio/x-m4a", "audio/mp4", "audio/m4a", "audio/mp4", "audio/opus", "audio/ogg",
      "application/ogg", "audio/ogg", "audio/x-wav", "audio/wav");

  /** What a customer's file is, by its bytes, next to the type its sender declared. */
  public record Verdict(String mimeType, String declared, boolean mismatch) {
  }

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
    if (startsWith(b, 0, "GIF87a") || startsWith(b, 0, "GIF89a")) {
      return "image/gif";
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

  /**
   * A customer's file as what its bytes are: the sniffed type, except that a declared type naming the same kind of
   * file is kept (with its parameters, as {@code audio/ogg; codecs=opus}): Office types for zip and OLE
   * containers, any non-markup {@code text/*} for plain text, and MP4, M4A and 3GP for one another. Bytes of no
   * known type (markup included) are {@link #UNKNOWN}. {@code mismatch} says the declared type was not kept.
   */
  public static Verdict verify(byte[] bytes, String declared) {
    String d = declared == null ? "" : canonical(declared);
    String sniffed = sniff(bytes);
    boolean keep;
    if (sniffed == null) {
      keep = false;
    } else if (sniffed.equals("application/zip") || sniffed.equals("application/x-ole")) {
      keep = d.startsWith("application/") && !markup(d);
    } else if (sniffed.equals("text/plain")) {
      keep = d.startsWith("text/") && !markup(d);
    } else {
      keep = sameKind(sniffed, d);
    }
    if (keep) {
      return new Verdict(declared.trim(), declared, false);
    }
    String actual = sniffed == null ? UNKNOWN : sniffed;
    return new Verdict(actual, declared, !actual.equals(d));
  }

  /** Whether two MIME types (parameters and case aside) name the same kind of file. */
  public static boolean sameKind(String a, String b) {
    String x = canonical(a);
    String y = canonical(b);
    return x.equals(y) || ISO_MEDIA.contains(x) && ISO_MEDIA.contains(y);
  }

  /** {@code "Image/JPG; x=y"} → {@code "image/jpeg"}. */
  public static String canonical(String mime) {
    String base = MediaKind.base(mime);
    return ALIASES.getOrDefault(base, base);
  }

  /** Types a browser would render as a document that can run script. */
  private static boolean markup(String base) {
    return base.contains("html") || base.contains("javascript") || base.contains("ecmascript")
        || base.endsWith("/xml") || base.endsWith("+xml") || base.contains("svg");
  }

  private static boolean looksLikeText(byte[] b) {
    int n = Math.min(b.length, 512);
    String head = new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading().toLowerCase();
    if (head.startsWith("<!doctype") || head.startsWith("<html") || head.startsWith("<?xml") || head.startsWith("<svg")
        || head.startsWith("<script")) {
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
