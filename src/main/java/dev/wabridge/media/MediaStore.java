package dev.wabridge.media;

import dev.wabridge.config.PrivateFiles;
import dev.wabridge.config.SecretBox;
import dev.wabridge.db.Database;
import dev.wabridge.support.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Media wabridge hosts: bytes in {@code WABRIDGE_DATA_DIR/media} (directories {@code 0700}, files {@code 0600}),
 * written to a temporary file and moved into place before the row that names them commits, handed out as signed
 * links that expire ({@code /media/{id}?exp=…&sig=…}).
 */
public final class MediaStore {
  public record Stored(String id, String workspaceId, String sha256, String mimeType, long size, String filename,
                       long createdAt) {
  }

  private final Database db;
  private final Path dir;
  private final SecretBox secrets;
  private final String linkBase;
  private final InstantSource clock;
  private final long linkMillis;

  /** @param linkValidity how long a link handed to an agent stays valid */
  public MediaStore(Database db, Path dataDir, SecretBox secrets, String linkBase, InstantSource clock,
                    Duration linkValidity) {
    this.db = db;
    this.dir = dataDir.resolve("media");
    this.secrets = secrets;
    this.linkBase = linkBase;
    this.clock = clock;
    this.linkMillis = linkValidity.toMillis();
  }

  public Stored put(String workspaceId, byte[] bytes, String mimeType, String filename) {
    String id = Ids.newId("med");
    Path target = path(id);
    try {
      PrivateFiles.createDirectories(target.getParent());
      Path tmp = PrivateFiles.createTempFile(target.getParent(), id, ".part");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store media in " + dir, e);
    }
    Stored s = new Stored(id, workspaceId, sha256Hex(bytes), mimeType, bytes.length, filename, clock.millis());
    db.writer().execute(h -> h.createUpdate("INSERT INTO media(id, workspace_id, sha256, mime_type, size, filename, "
            + "created_at) VALUES (:id, :w, :sha, :mime, :size, :name, :now)")
        .bind("id", s.id()).bind("w", workspaceId).bind("sha", s.sha256()).bind("mime", mimeType)
        .bind("size", s.size()).bind("name", filename).bind("now", s.createdAt()).execute());
    return s;
  }

  public Optional<Stored> get(String id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, workspace_id, sha256, mime_type, size, filename, "
            + "created_at FROM media WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getLong(5), rs.getString(6), rs.getLong(7))).findOne());
  }

  public Path path(String id) {
    String safe = id.replaceAll("[^A-Za-z0-9_]", "");
    return dir.resolve(safe.substring(Math.max(0, safe.length() - 2))).resolve(safe);
  }

  /** A link valid for {@code linkValidity} from now. */
  public String signedUrl(String id) {
    long exp = (clock.millis() + linkMillis) / 1000;
    return linkBase + "/media/" + id + "?exp=" + exp + "&sig=" + sign(id, exp);
  }

  /** Whether a link's signature is right; expiry is checked separately so that it can answer 410. */
  public boolean signatureValid(String id, long exp, String sig) {
    return sig != null && MessageDigest.isEqual(sign(id, exp).getBytes(), sig.getBytes());
  }

  public boolean expired(long exp) {
    return clock.millis() / 1000 > exp;
  }

  private String sign(String id, long exp) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secrets.mac("media", id + ":" + exp));
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
