package dev.wabridge.api;

import dev.wabridge.store.Database;
import dev.wabridge.store.Ids;
import dev.wabridge.store.ShortCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Workspaces and their API keys. Keys are 256-bit random tokens, so they are stored as SHA-256 hashes (a slow
 * hash adds nothing to a key that cannot be guessed); the plain key is shown once, at creation.
 */
public final class ApiKeyStore {
  public static final String DEFAULT_WORKSPACE = "default";
  static final String ADMIN_KEY_ID = "key_admin";

  /** Who is calling, and what they may do. */
  public record Principal(String workspaceId, String keyId, Scope scope) {
    /** The bootstrap key: manages workspaces. */
    public boolean admin() {
      return scope == Scope.ADMIN;
    }
  }

  public record KeyInfo(String id, String name, String prefix, Scope scope, long createdAt) {
  }

  private final Database db;
  private final InstantSource clock;
  private final ShortCache<String, Optional<Principal>> byHash;

  public ApiKeyStore(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
    this.byHash = new ShortCache<>(clock, 5_000, 10_000);
  }

  /**
   * Creates the default workspace and the admin key. Returns the admin key when it was generated now (so it
   * can be printed once); empty when it came from the environment or already existed.
   */
  public Optional<String> bootstrap(Optional<String> configuredAdminKey) {
    long now = clock.millis();
    return db.writer().execute(h -> {
      h.createUpdate("INSERT INTO workspaces(id, name, created_at) VALUES ('default', 'Default', :now) "
          + "ON CONFLICT (id) DO NOTHING").bind("now", now).execute();
      boolean exists = h.createQuery("SELECT COUNT(*) FROM api_keys WHERE id = :id").bind("id", ADMIN_KEY_ID)
          .mapTo(Integer.class).one() > 0;
      if (configuredAdminKey.isPresent()) {
        String k = configuredAdminKey.get();
        h.createUpdate("DELETE FROM api_keys WHERE id = :id").bind("id", ADMIN_KEY_ID).execute();
        insertKey(h, ADMIN_KEY_ID, DEFAULT_WORKSPACE, "admin", k, Scope.ADMIN, now);
        return Optional.<String>empty();
      }
      if (exists) {
        return Optional.<String>empty();
      }
      String k = newKey();
      insertKey(h, ADMIN_KEY_ID, DEFAULT_WORKSPACE, "admin", k, Scope.ADMIN, now);
      return Optional.of(k);
    });
  }

  public Optional<Principal> authenticate(String key) {
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    String hash = hash(key.trim());
    // Unknown keys are not remembered: guesses must not fill the cache.
    return byHash.get(hash, k -> db.jdbi().withHandle(h -> h.createQuery(
            "SELECT workspace_id, id, scope FROM api_keys WHERE key_hash = :hash").bind("hash", k)
        .map((rs, c) -> principal(rs)).findOne()), Optional::isPresent);
  }

  /** The key with this id, as a caller (a session names its key by id). */
  public Optional<Principal> principalById(String keyId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT workspace_id, id, scope FROM api_keys WHERE id = :id")
        .bind("id", keyId).map((rs, c) -> principal(rs)).findOne());
  }

  private static Principal principal(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Principal(rs.getString(1), rs.getString(2), Scope.parse(rs.getString(3)).orElse(Scope.READ));
  }

  public record CreatedKey(String id, String name, String key) {
  }

  public CreatedKey createKey(String workspaceId, String name, Scope scope) {
    String id = Ids.newId("key");
    String key = newKey();
    db.writer().execute(h -> {
      insertKey(h, id, workspaceId, name, key, scope, clock.millis());
      return null;
    });
    return new CreatedKey(id, name, key);
  }

  public List<KeyInfo> listKeys(String workspaceId, int limit, String afterId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, name, prefix, scope, created_at FROM api_keys "
            + "WHERE workspace_id = :w AND id > :after ORDER BY id LIMIT :limit")
        .bind("w", workspaceId).bind("after", afterId == null ? "" : afterId).bind("limit", limit)
        .map((rs, c) -> new KeyInfo(rs.getString(1), rs.getString(2), rs.getString(3),
            Scope.parse(rs.getString(4)).orElse(Scope.READ), rs.getLong(5))).list());
  }

  public boolean deleteKey(String workspaceId, String id) {
    int n = db.writer().execute(h -> h.createUpdate("DELETE FROM api_keys WHERE workspace_id = :w AND id = :id")
        .bind("w", workspaceId).bind("id", id).execute());
    byHash.invalidateIf(p -> p.isPresent() && p.get().keyId().equals(id));
    return n > 0;
  }

  public record Workspace(String id, String name, String apiKey) {
  }

  public Workspace createWorkspace(String name) {
    String id = Ids.newId("ws");
    String key = newKey();
    long now = clock.millis();
    db.writer().execute(h -> {
      h.createUpdate("INSERT INTO workspaces(id, name, created_at) VALUES (:id, :name, :now)")
          .bind("id", id).bind("name", name).bind("now", now).execute();
      insertKey(h, Ids.newId("key"), id, "default", key, Scope.FULL, now);
      return null;
    });
    return new Workspace(id, name, key);
  }

  private static void insertKey(org.jdbi.v3.core.Handle h, String id, String workspaceId, String name, String key,
                                Scope scope, long now) {
    h.createUpdate("INSERT INTO api_keys(id, workspace_id, name, key_hash, prefix, admin, scope, created_at) "
            + "VALUES (:id, :w, :name, :hash, :prefix, :admin, :scope, :now)")
        .bind("id", id).bind("w", workspaceId).bind("name", name).bind("hash", hash(key))
        .bind("prefix", key.substring(0, Math.min(8, key.length()))).bind("admin", scope == Scope.ADMIN ? 1 : 0)
        .bind("scope", scope.wire()).bind("now", now)
        .execute();
  }

  static String newKey() {
    return "wab_" + Ids.newToken();
  }

  public static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
