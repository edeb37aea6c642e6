package dev.wabridge.auth;

import dev.wabridge.support.Sha256Hex;
import dev.wabridge.support.Workspaces;

import dev.wabridge.config.SecretBox;
import dev.wabridge.config.Tuning;
import dev.wabridge.db.Database;
import dev.wabridge.support.Ids;
import dev.wabridge.support.ShortCache;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Workspaces and their API keys. Keys are 256-bit random tokens stored as HMAC-SHA-256 under the server secret
 * (a slow hash adds nothing to a key that cannot be guessed; the secret means a copy of the database alone does not
 * let anyone test a key offline). The plain key is shown once, at creation; of other keys only {@code wab_} and 4
 * characters are kept for display, of the admin key (which may come from {@code WABRIDGE_ADMIN_KEY}) nothing. The
 * admin key cannot be deleted: only a restart with {@code WABRIDGE_ADMIN_KEY} replaces it.
 */
public final class ApiKeyStore {
  public static final String ADMIN_KEY_ID = "key_admin";
  /** The {@link SecretBox#mac} purpose of stored key hashes. */
  private static final String HASH_PURPOSE = "api-key";
  /** {@code wab_} and 4 characters of a generated key: enough to tell keys apart, far too few to guess one. */
  static final int PREFIX_LENGTH = 8;
  /** Longer "keys" are not looked up: no key is this long, and hashing megabytes per guess costs CPU. */
  private static final int MAX_KEY_LENGTH = 512;

  /** Who is calling, and what they may do. */
  public record Principal(String workspaceId, String keyId, Scope scope) {
    /** The bootstrap key: manages workspaces. */
    public boolean admin() {
      return scope == Scope.ADMIN;
    }
  }

  /** A key as listed: {@code prefix} is null for the admin key. */
  public record KeyInfo(String id, String name, String prefix, Scope scope, long createdAt) {
  }

  private final Database db;
  private final SecretBox secrets;
  private final InstantSource clock;
  private final ShortCache<String, Optional<Principal>> byHash;

  /** @param cache how long a key's lookup is kept: a revoked key may still be let in for that long */
  public ApiKeyStore(Database db, SecretBox secrets, InstantSource clock, Tuning.Cache cache) {
    this.db = db;
    this.secrets = secrets;
    this.clock = clock;
    this.byHash = new ShortCache<>(clock, cache.ttl().toMillis(), cache.entries());
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
      Optional<String> stored = h.createQuery("SELECT key_hash FROM api_keys WHERE id = :id")
          .bind("id", ADMIN_KEY_ID).mapTo(String.class).findOne();
      if (configuredAdminKey.isPresent()) {
        String plain = configuredAdminKey.get().trim();
        if (stored.isPresent() && !stored.get().equals(hash(plain)) && !stored.get().equals(Sha256Hex.of(plain))) {
          // A new admin key replaces a leaked one: whoever signed in with the old one is signed out too.
          h.createUpdate("DELETE FROM sessions WHERE key_id = :id").bind("id", ADMIN_KEY_ID).execute();
        }
        h.createUpdate("DELETE FROM api_keys WHERE id = :id").bind("id", ADMIN_KEY_ID).execute();
        insertKey(h, new NewKey(ADMIN_KEY_ID, Workspaces.DEFAULT, "admin", plain, null, Scope.ADMIN), now);
        return Optional.<String>empty();
      }
      if (stored.isPresent()) {
        return Optional.<String>empty();
      }
      String k = newKey();
      insertKey(h, new NewKey(ADMIN_KEY_ID, Workspaces.DEFAULT, "admin", k, null, Scope.ADMIN), now);
      return Optional.of(k);
    });
  }

  public Optional<Principal> authenticate(String key) {
    if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      return Optional.empty();
    }
    String plain = key.trim();
    // Unknown keys are not remembered: guesses must not fill the cache.
    return byHash.get(hash(plain), h -> lookup(plain, h), Optional::isPresent);
  }

  /**
   * The key's row by its HMAC, or by the plain SHA-256 that keys were stored as before (one query for both); a row
   * found the old way is rewritten with the HMAC.
   */
  private Optional<Principal> lookup(String plain, String hmac) {
    String legacy = Sha256Hex.of(plain);
    record Row(Principal principal, String hash) {
    }
    Optional<Row> row = db.jdbi().withHandle(h -> h.createQuery("SELECT workspace_id, id, scope, key_hash "
            + "FROM api_keys WHERE key_hash IN (:hmac, :legacy)").bind("hmac", hmac).bind("legacy", legacy)
        .map((rs, c) -> new Row(principal(rs), rs.getString(4))).findFirst());
    row.filter(r -> r.hash().equals(legacy)).ifPresent(r -> db.writer().execute(h -> h.createUpdate(
            "UPDATE api_keys SET key_hash = :hmac WHERE id = :id AND key_hash = :legacy")
        .bind("hmac", hmac).bind("id", r.principal().keyId()).bind("legacy", legacy).execute()));
    return row.map(Row::principal);
  }

  /** The key with this id, as a caller (a session names its key by id). */
  public Optional<Principal> principalById(String keyId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT workspace_id, id, scope FROM api_keys WHERE id = :id")
        .bind("id", keyId).map((rs, c) -> principal(rs)).findOne());
  }

  /** A key's name, for a page to show who is signed in; null when the key is gone. */
  public String name(String keyId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM api_keys WHERE id = :id").bind("id", keyId)
        .mapTo(String.class).findOne().orElse(null));
  }

  private static Principal principal(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Principal(rs.getString(1), rs.getString(2), Scope.parse(rs.getString(3)).orElse(Scope.READ));
  }

  /** A key just made: {@code key} is shown once. */
  public record CreatedKey(String id, String name, String key, String prefix, Scope scope, long createdAt) {
  }

  /** A new key of {@code scope} (never {@code admin}: there is one admin key). */
  public CreatedKey createKey(String workspaceId, String name, Scope scope) {
    if (scope == Scope.ADMIN) {
      throw new IllegalArgumentException("the admin key is made at start only");
    }
    String id = Ids.newId("key");
    String key = newKey();
    long now = clock.millis();
    db.writer().execute(h -> {
      insertKey(h, new NewKey(id, workspaceId, name, key, prefixOf(key), scope), now);
      return null;
    });
    return new CreatedKey(id, name, key, prefixOf(key), scope, now);
  }

  public List<KeyInfo> listKeys(String workspaceId, int limit, String afterId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, name, prefix, scope, created_at FROM api_keys "
            + "WHERE workspace_id = :w AND id > :after ORDER BY id LIMIT :limit")
        .bind("w", workspaceId).bind("after", afterId == null ? "" : afterId).bind("limit", limit)
        .map((rs, c) -> new KeyInfo(rs.getString(1), rs.getString(2), emptyToNull(rs.getString(3)),
            Scope.parse(rs.getString(4)).orElse(Scope.READ), rs.getLong(5))).list());
  }

  /** Whether {@code id} is the admin key, which no API call may delete. */
  public static boolean isAdminKey(String id) {
    return ADMIN_KEY_ID.equals(id);
  }

  /** Deletes a key of the workspace; never the admin key. */
  public boolean deleteKey(String workspaceId, String id) {
    if (isAdminKey(id)) {
      return false;
    }
    int n = db.writer().execute(h -> h.createUpdate("DELETE FROM api_keys WHERE workspace_id = :w AND id = :id "
            + "AND id <> :admin").bind("w", workspaceId).bind("id", id).bind("admin", ADMIN_KEY_ID).execute());
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
      insertKey(h, new NewKey(Ids.newId("key"), id, "default", key, prefixOf(key), Scope.FULL), now);
      return null;
    });
    return new Workspace(id, name, key);
  }

  private record NewKey(String id, String workspaceId, String name, String key, String prefix, Scope scope) {
  }

  /** The database has no null prefix (a NOT NULL column): an empty one stands for none. */
  private void insertKey(Handle h, NewKey k, long now) {
    h.createUpdate("INSERT INTO api_keys(id, workspace_id, name, key_hash, prefix, admin, scope, created_at) "
            + "VALUES (:id, :w, :name, :hash, :prefix, :admin, :scope, :now)")
        .bind("id", k.id()).bind("w", k.workspaceId()).bind("name", k.name()).bind("hash", hash(k.key()))
        .bind("prefix", k.prefix() == null ? "" : k.prefix()).bind("admin", k.scope() == Scope.ADMIN ? 1 : 0)
        .bind("scope", k.scope().wire()).bind("now", now)
        .execute();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String prefixOf(String generatedKey) {
    return generatedKey.substring(0, PREFIX_LENGTH);
  }

  static String newKey() {
    return "wab_" + Ids.newToken();
  }

  /** What is stored for a key: hex HMAC-SHA-256 under the server secret. */
  String hash(String key) {
    return secrets.macHex(HASH_PURPOSE, key);
  }
}
