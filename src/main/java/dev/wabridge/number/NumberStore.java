package dev.wabridge.number;

import dev.wabridge.support.Sha256Hex;
import dev.wabridge.config.SecretBox;
import dev.wabridge.config.Tuning;
import dev.wabridge.db.Database;
import dev.wabridge.support.Ids;
import dev.wabridge.support.ShortCache;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Registered numbers. Access tokens and app secrets are stored encrypted; verify tokens only as hashes. The
 * webhook path looks numbers up by {@code phone_number_id} through an in-memory cache that writes invalidate.
 */
public final class NumberStore {
  private static final String COLUMNS = "id, workspace_id, phone_number_id, display_phone_number, waba_id, "
      + "access_token_enc, app_secret_enc, throughput_mps, created_at, updated_at, away_message, shared";

  /** Registration takes at most this many characters: a longer token matches nothing and is not hashed. */
  private static final int MAX_VERIFY_TOKEN = 512;

  private final Database db;
  private final SecretBox secrets;
  private final InstantSource clock;
  private final ShortCache<String, Optional<BusinessNumber>> byPhoneNumberId;
  private final ShortCache<String, Optional<BusinessNumber>> byId;
  private final ShortCache<String, List<Signer>> signers;

  /** @param cache how long a number's lookups are kept, and the account-level signers */
  public NumberStore(Database db, SecretBox secrets, InstantSource clock, Tuning.Cache cache) {
    this.db = db;
    this.secrets = secrets;
    this.clock = clock;
    this.byPhoneNumberId = new ShortCache<>(clock, cache.ttl().toMillis(), cache.entries());
    this.byId = new ShortCache<>(clock, cache.ttl().toMillis(), cache.entries());
    this.signers = new ShortCache<>(clock, cache.ttl().toMillis(), 1);
  }

  public record NewNumber(String phoneNumberId, String displayPhoneNumber, String accessToken, String appSecret,
                          String verifyToken, String wabaId, int throughputMps, String awayMessage) {
    public NewNumber(String phoneNumberId, String displayPhoneNumber, String accessToken, String appSecret,
                     String verifyToken, String wabaId, int throughputMps) {
      this(phoneNumberId, displayPhoneNumber, accessToken, appSecret, verifyToken, wabaId, throughputMps, null);
    }
  }

  public BusinessNumber create(String workspaceId, String id, NewNumber n) {
    long now = clock.millis();
    String numberId = id != null ? id : Ids.newId("num");
    db.writer().execute(h -> h.createUpdate("INSERT INTO numbers(id, workspace_id, phone_number_id, "
            + "display_phone_number, waba_id, access_token_enc, app_secret_enc, verify_token_hash, throughput_mps, "
            + "created_at, updated_at, away_message) VALUES (:id, :w, :pnid, :display, :waba, :token, :secret, :verify, "
            + ":mps, :now, :now, :away)")
        .bind("id", numberId).bind("w", workspaceId).bind("pnid", n.phoneNumberId())
        .bind("display", n.displayPhoneNumber()).bind("waba", n.wabaId())
        .bind("token", secrets.encrypt(n.accessToken())).bind("secret", secrets.encrypt(n.appSecret()))
        .bind("verify", verifyHash(n.verifyToken())).bind("mps", n.throughputMps()).bind("now", now)
        .bind("away", n.awayMessage()).execute());
    invalidate(n.phoneNumberId());
    return get(workspaceId, numberId).orElseThrow();
  }

  public boolean phoneNumberIdTaken(String phoneNumberId) {
    return findByPhoneNumberId(phoneNumberId).isPresent();
  }

  /** A number the workspace may use: its own, or a shared one. */
  public Optional<BusinessNumber> usable(String workspaceId, String id) {
    return get(workspaceId, id).or(() -> byId(id).filter(BusinessNumber::shared));
  }

  /** Whether the number with this id is a shared one ({@link BusinessNumber#shared}); false when there is none. */
  public boolean shared(String id) {
    return id != null && byId(id).map(BusinessNumber::shared).orElse(false);
  }

  /** Marks a number shared: usable from every workspace. Its owner (a plug-in) calls it when it sets the number up. */
  public void share(String id) {
    db.writer().execute(h -> h.createUpdate("UPDATE numbers SET shared = 1 WHERE id = :id").bind("id", id).execute());
    byId(id).ifPresent(n -> invalidate(n.phoneNumberId()));
  }

  public Optional<BusinessNumber> get(String workspaceId, String id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM numbers WHERE id = :id AND workspace_id = :w")
        .bind("id", id).bind("w", workspaceId).map(this::map).findOne());
  }

  /** Any workspace; for the worker side, which already holds a number id from a trusted row. */
  public Optional<BusinessNumber> byId(String id) {
    return byId.get(id, k -> db.jdbi().withHandle(h -> h.createQuery(
        "SELECT " + COLUMNS + " FROM numbers WHERE id = :id").bind("id", k).map(this::map).findOne()));
  }

  public Optional<BusinessNumber> findByPhoneNumberId(String phoneNumberId) {
    if (phoneNumberId == null) {
      return Optional.empty();
    }
    // Only numbers we know are remembered: ids from unsigned webhook bodies must not fill the cache.
    return byPhoneNumberId.get(phoneNumberId, pnid -> db.jdbi().withHandle(h -> h.createQuery(
        "SELECT " + COLUMNS + " FROM numbers WHERE phone_number_id = :p").bind("p", pnid).map(this::map).findOne()),
        Optional::isPresent);
  }

  /**
   * Whether a registered number has this verify token. Tokens stored before they were HMACs (plain SHA-256) still
   * match, and are rewritten as HMACs when they do.
   */
  public boolean verifyTokenMatches(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_VERIFY_TOKEN) {
      return false;
    }
    String hmac = verifyHash(token);
    String legacy = Sha256Hex.of(token);
    List<String> found = db.jdbi().withHandle(h -> h.createQuery("SELECT verify_token_hash FROM numbers "
        + "WHERE verify_token_hash IN (:v, :legacy)").bind("v", hmac).bind("legacy", legacy).mapTo(String.class)
        .list());
    if (found.contains(legacy)) {
      db.writer().execute(h -> h.createUpdate("UPDATE numbers SET verify_token_hash = :v "
          + "WHERE verify_token_hash = :legacy").bind("v", hmac).bind("legacy", legacy).execute());
    }
    return !found.isEmpty();
  }

  /**
   * A verify token as stored: HMAC-SHA-256 under the server secret. Operators choose these tokens, so they may be
   * guessable; without the secret a copy of the database does not let anyone test guesses.
   */
  private String verifyHash(String token) {
    return secrets.macHex("verify-token", token);
  }

  /** A registered number's WhatsApp Business Account id (null when not given), app secret and workspace. */
  public record Signer(String wabaId, String appSecret, String workspaceId) {
    @Override
    public String toString() {
      return "Signer[waba_id=" + wabaId + ", workspace_id=" + workspaceId + "]";
    }
  }

  /**
   * The accounts and app secrets of every registered number but the shared ones, without repeats, oldest number first:
   * who may sign an account-level webhook, which names no number. Kept a few seconds, so that unsigned webhooks
   * cannot make every number be read and decrypted each time.
   */
  public List<Signer> signers() {
    return signers.get("all", k -> db.jdbi().withHandle(h -> h.createQuery("SELECT waba_id, app_secret_enc, "
            + "workspace_id FROM numbers WHERE shared = 0 ORDER BY created_at, id")
        .map((rs, c) -> new Signer(rs.getString(1), secrets.decrypt(rs.getString(2)), rs.getString(3))).list())
        .stream().distinct().toList());
  }

  public List<BusinessNumber> list(String workspaceId, int limit, String afterId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM numbers WHERE workspace_id = :w "
            + "AND id > :after ORDER BY id LIMIT :limit")
        .bind("w", workspaceId).bind("after", afterId == null ? "" : afterId).bind("limit", limit)
        .map(this::map).list());
  }

  public record NumberPatch(Optional<String> displayPhoneNumber, Optional<String> accessToken,
                            Optional<String> appSecret, Optional<String> verifyToken, Optional<String> wabaId,
                            Optional<Integer> throughputMps, Optional<String> awayMessage, boolean clearAwayMessage) {
    public NumberPatch(Optional<String> displayPhoneNumber, Optional<String> accessToken, Optional<String> appSecret,
                       Optional<String> verifyToken, Optional<String> wabaId, Optional<Integer> throughputMps) {
      this(displayPhoneNumber, accessToken, appSecret, verifyToken, wabaId, throughputMps, Optional.empty(), false);
    }
  }

  public Optional<BusinessNumber> update(String workspaceId, String id, NumberPatch p) {
    Optional<BusinessNumber> existing = get(workspaceId, id);
    if (existing.isEmpty()) {
      return existing;
    }
    BusinessNumber e = existing.get();
    db.writer().execute(h -> h.createUpdate("UPDATE numbers SET display_phone_number = :display, waba_id = :waba, "
            + "access_token_enc = :token, app_secret_enc = :secret, throughput_mps = :mps, away_message = :away, "
            + "updated_at = :now"
            + (p.verifyToken().isPresent() ? ", verify_token_hash = :verify" : "") + " WHERE id = :id")
        .bind("display", p.displayPhoneNumber().orElse(e.displayPhoneNumber()))
        .bind("waba", p.wabaId().orElse(e.wabaId()))
        .bind("token", secrets.encrypt(p.accessToken().orElse(e.accessToken())))
        .bind("secret", secrets.encrypt(p.appSecret().orElse(e.appSecret())))
        .bind("mps", p.throughputMps().orElse(e.throughputMps()))
        .bind("away", p.clearAwayMessage() ? null : p.awayMessage().orElse(e.awayMessage()))
        .bind("verify", p.verifyToken().map(this::verifyHash).orElse(null))
        .bind("now", clock.millis()).bind("id", id).execute());
    invalidate(e.phoneNumberId());
    return get(workspaceId, id);
  }

  public boolean delete(String workspaceId, String id) {
    Optional<BusinessNumber> existing = get(workspaceId, id);
    if (existing.isEmpty()) {
      return false;
    }
    db.writer().execute(h -> h.createUpdate("DELETE FROM numbers WHERE id = :id").bind("id", id).execute());
    invalidate(existing.get().phoneNumberId());
    return true;
  }

  private void invalidate(String phoneNumberId) {
    byPhoneNumberId.invalidate(phoneNumberId);
    byId.clear();
    signers.clear();
  }

  private BusinessNumber map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new BusinessNumber(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        secrets.decrypt(rs.getString(6)), secrets.decrypt(rs.getString(7)), rs.getInt(8), rs.getLong(9),
        rs.getLong(10), rs.getString(11), rs.getInt(12) != 0);
  }
}
