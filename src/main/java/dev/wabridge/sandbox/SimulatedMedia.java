package dev.wabridge.sandbox;

import dev.wabridge.net.OutboundHttp;
import dev.wabridge.net.TenantHttp;
import dev.wabridge.web.MediaHeaders;
import dev.wabridge.db.Database;
import io.javalin.http.Context;
import java.io.InterruptedIOException;
import java.net.URI;
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
  static final int MAX_REDIRECTS = 5;
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(15);
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("webp", "image/webp"),
      Map.entry("gif", "image/gif"), Map.entry("mp4", "video/mp4"), Map.entry("3gp", "video/3gpp"),
      Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/ogg"), Map.entry("mp3", "audio/mpeg"),
      Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"), Map.entry("amr", "audio/amr"),
      Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"));

  private final Database db;
  private final InstantSource clock;
  private final TenantHttp http;
  private final byte[] linkKey = new byte[32];

  SimulatedMedia(Database db, InstantSource clock, TenantHttp http) {
    this.db = db;
    this.clock = clock;
    this.http = http;
    new SecureRandom().nextBytes(linkKey);
  }

  /**
   * Stores a file for {@code workspaceId}: the customer's workspace for their uploads; null for the business's
   * uploads through the simulated Graph, which the first send naming them claims ({@link #usableBy}).
   */
  Media put(byte[] bytes, String mimeType, String filename, String workspaceId) {
    String id = newMediaId();
    String sha = sha256Hex(bytes);
    db.writer().execute(h -> h.createUpdate("INSERT INTO sandbox_media(id, mime_type, sha256, size, filename, bytes, "
            + "created_at, workspace_id) VALUES (:id, :mime, :sha, :size, :name, :bytes, :now, :w)")
        .bind("id", id).bind("mime", mimeType).bind("sha", sha).bind("size", (long) bytes.length)
        .bind("name", filename).bind("bytes", bytes).bind("now", clock.millis()).bind("w", workspaceId).execute());
    return new Media(id, mimeType, sha, bytes.length, filename, bytes);
  }

  /**
   * Whether a business send of {@code workspaceId} may show this file: it is the workspace's, or an upload no
   * workspace has sent yet (which it then becomes). Another workspace's media id is as unknown as a wrong one.
   */
  boolean usableBy(String id, String workspaceId) {
    return db.writer().execute(h -> {
      h.createUpdate("UPDATE sandbox_media SET workspace_id = :w WHERE id = :id AND workspace_id IS NULL")
          .bind("w", workspaceId).bind("id", id).execute();
      return h.createQuery("SELECT COUNT(*) FROM sandbox_media WHERE id = :id AND workspace_id = :w")
          .bind("id", id).bind("w", workspaceId).mapTo(Integer.class).one() > 0;
    });
  }

  Optional<Media> info(String id) {
    return info(id, null);
  }

  /**
   * The file's metadata if {@code workspaceId} may see it: only its own files, while null (wabridge's own token for
   * the sandbox number) sees every file. Another workspace's file is as unknown as a wrong id.
   */
  Optional<Media> info(String id, String workspaceId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, mime_type, sha256, size, filename FROM sandbox_media "
            + "WHERE id = :id AND (:all OR workspace_id = :w)").bind("id", id).bind("all", workspaceId == null)
        .bind("w", workspaceId)
        .map((rs, c) -> new Media(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
            null)).findOne());
  }

  /** Deletes a file, as Meta's {@code DELETE /{media-id}}: later reads and sends find it unknown. */
  void delete(String id) {
    db.writer().execute(h -> h.createUpdate("DELETE FROM sandbox_media WHERE id = :id").bind("id", id).execute());
  }

  Optional<Media> load(String id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, mime_type, sha256, size, filename, bytes "
            + "FROM sandbox_media WHERE id = :id").bind("id", id)
        .map((rs, c) -> new Media(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
            rs.getBytes(6))).findOne());
  }

  /** A downloaded file, not stored yet: its bytes, the type its server declared, and where it was found. */
  record Downloaded(byte[] bytes, String declaredType, URI uri) {
  }

  /**
   * Downloads a customer's {@code image_url}, connecting only where the caller may: where the caller's workspace may
   * when {@code workspacePolicy} (a {@code full} key), else where any tenant may. Nothing is stored: the caller
   * checks the bytes first. Redirects are followed by hand (at most {@link #MAX_REDIRECTS}), each hop checked; an
   * error names the URL given and what an allowed address answered, never what is at a refused one.
   */
  Downloaded download(String url, int maxBytes, String workspaceId, boolean workspacePolicy) throws MediaException {
    return download(url, maxBytes, workspacePolicy ? http.forWorkspace(workspaceId) : http.guarded());
  }

  /**
   * Downloads a link sent to the simulated Cloud API into the workspace's store, as Meta does: from the addresses
   * any tenant may reach (wabridge itself re-hosts agents' media first, so only a holder of the sandbox token sends
   * links here).
   */
  Media fetchAsMeta(String url, int maxBytes, String workspaceId) throws MediaException {
    Downloaded d = download(url, maxBytes, http.guarded());
    String mime = d.declaredType() == null ? "" : bareMime(d.declaredType());
    if (mime.isEmpty() || mime.equals("application/octet-stream")) {
      mime = guessMime(d.uri().toString());
    }
    return put(d.bytes(), mime, fileName(d.uri().toString()), workspaceId);
  }

  private Downloaded download(String url, int maxBytes, OutboundHttp client) throws MediaException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new MediaException("not a valid URL: " + url);
    }
    OutboundHttp.Fetched f;
    try {
      f = client.fetch(uri, FETCH_TIMEOUT.toMillis(), maxBytes, MAX_REDIRECTS);
    } catch (OutboundHttp.Failure e) {
      throw new MediaException(switch (e.reason()) {
        case POLICY -> e.getMessage();
        case TOO_LARGE -> url + " is larger than " + maxBytes / (1024 * 1024) + " MB";
        case TIMEOUT -> "downloading " + url + " took longer than " + FETCH_TIMEOUT.toSeconds() + " s";
        case REDIRECTS -> url + " " + e.getMessage();
        case REFUSED, CONNECT_TIMEOUT, BROKEN -> "cannot download " + url + ": " + e.getMessage();
      });
    } catch (InterruptedIOException e) {
      throw new MediaException("interrupted while downloading " + url);
    }
    OutboundHttp.Answer a = f.answer();
    if (a.status() != 200) {
      throw new MediaException("downloading " + url + " answered HTTP " + a.status());
    }
    if (a.body().length == 0) {
      throw new MediaException(url + " is empty");
    }
    return new Downloaded(a.body(), a.contentType(), f.uri());
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
