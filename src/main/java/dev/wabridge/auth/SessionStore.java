package dev.wabridge.auth;

import dev.wabridge.config.SecretBox;
import dev.wabridge.db.Database;
import dev.wabridge.support.Ids;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Browser sessions of the console and the sandbox, in the database so they survive restarts and work on every node.
 * Guarantees: the token a browser holds is 256 random bits and is never stored (the row's id is its HMAC under the
 * server secret); a session ends {@code idle} after its last use and {@code max} after sign-in at the latest
 * ({@code config.Tuning}'s {@code sessionIdle} and {@code sessionMax}); last use is written at most once per
 * {@link #TOUCH_MILLIS}, not per request.
 */
public final class SessionStore {
  static final long TOUCH_MILLIS = 60_000;
  /** A token as {@link Ids#newToken} makes it: 43 URL-safe base64 characters. */
  private static final String TOKEN_SHAPE = "[A-Za-z0-9_-]{43}";

  /** One signed-in browser. */
  public record Session(String id, String keyId, String csrfToken, long createdAt, long lastUsedAt, long expiresAt) {
    public boolean expired(long now) {
      return now >= expiresAt;
    }
  }

  /** A new session and the token its cookie carries (shown once, never stored). */
  public record Created(String token, Session session) {
    @Override
    public String toString() {
      return "Created[token=redacted, session=" + session.id() + "]";
    }
  }

  private final Database db;
  private final SecretBox secrets;
  private final InstantSource clock;
  private final long idleMillis;
  private final long maxMillis;

  /**
   * @param idle how long a session lives after its last use
   * @param max how long it lives after sign-in, however much it is used
   */
  public SessionStore(Database db, SecretBox secrets, InstantSource clock, Duration idle, Duration max) {
    this.db = db;
    this.secrets = secrets;
    this.clock = clock;
    this.idleMillis = idle.toMillis();
    this.maxMillis = max.toMillis();
  }

  public Created create(String keyId) {
    String token = Ids.newToken();
    long now = clock.millis();
    Session s = new Session(hash(token), keyId, Ids.newToken(), now, now, expiry(now, now));
    db.writer().execute(h -> h.createUpdate("INSERT INTO sessions(id, key_id, csrf_token, created_at, last_used_at, "
            + "expires_at) VALUES (:id, :key, :csrf, :created, :used, :expires)")
        .bind("id", s.id()).bind("key", keyId).bind("csrf", s.csrfToken()).bind("created", now).bind("used", now)
        .bind("expires", s.expiresAt()).execute());
    return new Created(token, s);
  }

  /** The session a cookie's token names, expired or not; empty for an unknown or malformed token. */
  public Optional<Session> find(String token) {
    if (token == null || !token.matches(TOKEN_SHAPE)) {
      return Optional.empty();
    }
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, key_id, csrf_token, created_at, last_used_at, "
            + "expires_at FROM sessions WHERE id = :id").bind("id", hash(token))
        .map((rs, c) -> new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6))).findOne());
  }

  /** Records a use: pushes the idle expiry out, at most once per {@link #TOUCH_MILLIS}. Returns the session now. */
  public Session touch(Session s) {
    long now = clock.millis();
    if (now - s.lastUsedAt() < TOUCH_MILLIS) {
      return s;
    }
    long expires = expiry(s.createdAt(), now);
    db.writer().execute(h -> h.createUpdate("UPDATE sessions SET last_used_at = :now, expires_at = :expires "
        + "WHERE id = :id").bind("now", now).bind("expires", expires).bind("id", s.id()).execute());
    return new Session(s.id(), s.keyId(), s.csrfToken(), s.createdAt(), now, expires);
  }

  public void delete(Session s) {
    db.writer().execute(h -> h.createUpdate("DELETE FROM sessions WHERE id = :id").bind("id", s.id()).execute());
  }

  /** For the housekeeper: deletes sessions that ended, and those whose key is gone. */
  public static void purgeEnded(Handle h, long now) {
    h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now OR NOT EXISTS "
        + "(SELECT 1 FROM api_keys k WHERE k.id = sessions.key_id)").bind("now", now).execute();
  }

  public long now() {
    return clock.millis();
  }

  private long expiry(long createdAt, long lastUsedAt) {
    return Math.min(createdAt + maxMillis, lastUsedAt + idleMillis);
  }

  private String hash(String token) {
    return secrets.macHex("session", token);
  }
}
