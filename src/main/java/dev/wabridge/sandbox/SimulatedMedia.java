package dev.wabridge.sandbox;

import dev.wabridge.media.MediaHeaders;
import dev.wabridge.store.Database;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The simulated Cloud API's media store: uploads and fetched links get a numeric media id (as Meta's), a hex
 * SHA-256 and a size, and are kept in the database. The chat page reads them through signed {@code /sandbox/files}
 * links (a browser cannot send the Bearer token Meta's lookaside URLs need).
 */
final class SimulatedMedia {
  /** A stored file; {@code bytes} is null when only the metadata was read. */
  record Media(String id, String mimeType, String sha256, long size, String filename, byte[] bytes) {
  }

  /** A fetch or upload that could not be stored, with the reason for the person or agent that sent it. */
  static final class MediaException extends Exception {
    MediaException(String message) {
      super(message, null, false, false);
    }
  }

  static final int MAX_BYTES = 16 * 1024 * 1024;
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("webp", "image/webp"),
      Map.entry("gif", "image/gif"), Map.entry("mp4", "video/mp4"), Map.entry("3gp", "video/3gpp"),
      Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/ogg"), Map.entry("mp3", "audio/mpeg"),
      Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"), Map.entry("amr", "audio/amr"),
      Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"));

  private final Database db;
  private final InstantSource clock;
  private final HttpClient http;
  private final byte[] linkKey = new byte[32];

  SimulatedMedia(Database db, InstantSource clock, HttpClient http) {
    this.db = db;
    this.clock = clock;
    this.http = http;
    new SecureRandom().nextBytes(linkKey);
  }

  Media put(byte[] bytes, String mimeType, String filename) {
    String id = newMediaId();
    String sha = sha256Hex(bytes);
    db.writer().execute(h -> h.createUpdate("INSERT INTO sandbox_media(id, mime_type, sha256, size, filename, bytes, "
            + "created_at) VALUES (:id, :mime, :sha, :size, :name, :bytes, :now)")
        .bind("id", id).bind("mime", mimeType).bind("sha", sha).bind("size", (long) bytes.length)
        .bind("name", filename).bind("bytes", bytes).bind("now", clock.millis()).execute());
    return new Media(id, mimeType, sha, bytes.length, filename, bytes);
  }

  Optional<Media> info(String id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, mime_type, sha256, size, filename FROM sandbox_media "
            + "WHERE id = :id").bind("id", id)
        .map((rs, c) -> new Media(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
            null)).findOne());
  }

  Optional<Media> load(String id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, mime_type, sha256, size, filename, bytes "
            + "FROM sandbox_media WHERE id = :id").bind("id", id)
        .map((rs, c) -> new Media(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
            rs.getBytes(6))).findOne());
  }

  /** Downloads a link into the store, as Meta does for media sent by link. */
  Media fetch(String url, int maxBytes) throws MediaException {
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
          .header("User-Agent", "wabridge-sandbox").GET().build();
    } catch (IllegalArgumentException e) {
      throw new MediaException("not a valid URL: " + url);
    }
    try {
      HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new MediaException("downloading " + url + " answered HTTP " + resp.statusCode());
        }
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
          throw new MediaException(url + " is larger than " + maxBytes / (1024 * 1024) + " MB");
        }
        if (bytes.length == 0) {
          throw new MediaException(url + " is empty");
        }
        String mime = resp.headers().firstValue("Content-Type").map(SimulatedMedia::bareMime).orElse("");
        if (mime.isEmpty() || mime.equals("application/octet-stream")) {
          mime = guessMime(url);
        }
        return put(bytes, mime, fileName(url));
      }
    } catch (IOException e) {
      throw new MediaException("cannot download " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaException("interrupted while downloading " + url);
    }
  }

  /** Answers with a stored file's bytes under {@link MediaHeaders}: inline only for sniffed media, else a download. */
  void serve(Context ctx, Media m) {
    byte[] head = java.util.Arrays.copyOf(m.bytes(), Math.min(m.bytes().length, MediaHeaders.SNIFF_BYTES));
    MediaHeaders.describe(ctx, m.mimeType(), head, m.filename());
    ctx.header("Cache-Control", "private, max-age=86400");
    ctx.status(200).result(m.bytes());
  }

  /** The chat page's link to a file: unguessable, valid while this process runs. */
  String pageUrl(String id) {
    return "/sandbox/files/" + id + "?sig=" + sign(id);
  }

  boolean validSignature(String id, String sig) {
    return sig != null && MessageDigest.isEqual(sign(id).getBytes(StandardCharsets.UTF_8),
        sig.getBytes(StandardCharsets.UTF_8));
  }

  private String sign(String id) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(linkKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String bareMime(String contentType) {
    int semi = contentType.indexOf(';');
    String base = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return base.equals("audio/ogg") && contentType.contains("opus") ? "audio/ogg" : base;
  }

  static String guessMime(String nameOrUrl) {
    String path = nameOrUrl.replaceAll("[?#].*$", "");
    int dot = path.lastIndexOf('.');
    String ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    return BY_EXTENSION.getOrDefault(ext, "application/octet-stream");
  }

  static String fileName(String url) {
    String path = url.replaceAll("[?#].*$", "");
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.isBlank() ? null : java.net.URLDecoder.decode(name, StandardCharsets.UTF_8);
  }

  /** Meta's media ids are 15 to 16 digit numbers; ours start with 9 so they are easy to tell apart in logs. */
  private static String newMediaId() {
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder("9");
    for (int i = 0; i < 15; i++) {
      sb.append(r.nextInt(10));
    }
    return sb.toString();
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
