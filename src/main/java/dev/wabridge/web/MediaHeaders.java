package dev.wabridge.web;

import dev.wabridge.media.ContentSniffer;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The headers every stored file leaves wabridge with ({@code /media/{id}}, the sandbox's {@code /sandbox/files/{id}}
 * and its simulated lookaside), so that no file, whatever its sender declared, can run as a page on wabridge's
 * origin. A file is served inline only when its stored type is a raster image, audio, video or PDF and its bytes
 * sniff as that type; anything else is {@code application/octet-stream} with {@code Content-Disposition:
 * attachment}. Every response says {@code X-Content-Type-Options: nosniff} and {@code Content-Security-Policy:
 * default-src 'none'; sandbox}, so even a file a browser chose to render runs no script and has no origin.
 */
public final class MediaHeaders {
  public static final String CSP = "default-src 'none'; sandbox";
  /** Enough of a file to sniff its type. */
  public static final int SNIFF_BYTES = 512;
  private static final int MAX_FILENAME = 200;
  private static final Set<String> INLINE = Set.of("image/jpeg", "image/png", "image/gif", "image/webp",
      "audio/ogg", "audio/mpeg", "audio/aac", "audio/amr", "audio/mp4", "video/mp4", "video/3gpp",
      "application/pdf");

  private MediaHeaders() {
  }

  /** The headers for any response on a media route, errors included. */
  public static void protect(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("Referrer-Policy", "no-referrer");
  }

  /**
   * Sets Content-Type and Content-Disposition for a file stored as {@code storedType} whose first bytes are
   * {@code head} (at least {@link #SNIFF_BYTES} of them when the file is that long).
   */
  public static void describe(Context ctx, String storedType, byte[] head, String filename) {
    protect(ctx);
    String inline = inlineType(storedType, head);
    ctx.contentType(inline == null ? ContentSniffer.UNKNOWN : inline);
    ctx.header("Content-Disposition", disposition(inline == null ? "attachment" : "inline", filename));
  }

  /** The type to render the file as, or null when it must be downloaded. */
  static String inlineType(String storedType, byte[] head) {
    if (storedType == null) {
      return null;
    }
    String stored = ContentSniffer.canonical(storedType);
    String sniffed = ContentSniffer.sniff(head);
    return INLINE.contains(stored) && sniffed != null && ContentSniffer.sameKind(stored, sniffed) ? stored : null;
  }

  /**
   * {@code attachment; filename="x.pdf"}, with RFC 6266's {@code filename*} (RFC 5987 UTF-8) for a name that is not
   * plain ASCII. Control characters, quotes, backslashes and path separators never reach the header.
   */
  static String disposition(String type, String filename) {
    if (filename == null) {
      return type;
    }
    String clean = filename.replaceAll("[\\p{Cntrl}\"\\\\/\\u2028\\u2029]", "_").strip();
    if (clean.codePointCount(0, clean.length()) > MAX_FILENAME) {
      clean = clean.substring(0, clean.offsetByCodePoints(0, MAX_FILENAME));
    }
    if (clean.isEmpty()) {
      return type;
    }
    String ascii = clean.replaceAll("[^\\x20-\\x7E]", "_");
    if (ascii.equals(clean)) {
      return type + "; filename=\"" + ascii + "\"";
    }
    return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + rfc5987(clean);
  }

  private static String rfc5987(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
