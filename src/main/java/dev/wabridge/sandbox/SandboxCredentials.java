package dev.wabridge.sandbox;

import dev.wabridge.config.SecretBox;
import dev.wabridge.db.Database;
import dev.wabridge.support.Ids;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;

/**
 * Each workspace's access token for the simulated Graph API, so a developer can point any Cloud API client at the
 * sandbox. A token reaches only its workspace's sandbox traffic: sends to that workspace's simulated customers, its
 * media, mark-read of its customers' messages.
 *
 * <p>The token is derived from a stored random salt under the server secret ({@link SecretBox#mac}), so the
 * workspace can read it again, while the database alone cannot produce it; the row keeps the token's HMAC to find
 * the workspace a presented token belongs to, as API keys are kept. Revoking replaces the salt: the old token stops
 * working at once and the next read issues a new one.
 */
final class SandboxCredentials {
  /** Meta's user tokens start with EAA; {@code EAASBX} says "sandbox" in logs and never reaches Meta. */
  static final String PREFIX = "EAASBX";
  private static final String TOKEN = "sandbox-graph-token";
  private static final String HASH = "sandbox-graph-token-hash";

  private final Database db;
  private final SecretBox secrets;
  private final InstantSource clock;

  SandboxCredentials(Database db, SecretBox secrets, InstantSource clock) {
    this.db = db;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** The workspace's token, issued on first use. */
  String token(String workspaceId) {
    Optional<String> salt = salt(workspaceId);
    if (salt.isPresent()) {
      return derive(workspaceId, salt.get());
    }
    String fresh = Ids.newToken();
    String token = derive(workspaceId, fresh);
    db.writer().execute(h -> h.createUpdate("INSERT INTO sandbox_credentials(workspace_id, salt, token_hash, "
            + "created_at) VALUES (:w, :s, :h, :now) ON CONFLICT (workspace_id) DO NOTHING")
        .bind("w", workspaceId).bind("s", fresh).bind("h", secrets.macHex(HASH, token)).bind("now", clock.millis())
        .execute());
    // Two first reads at once: the row that won is the token.
    return derive(workspaceId, salt(workspaceId).orElseThrow());
  }

  /** Ends the workspace's token; the next {@link #token} issues another. */
  void revoke(String workspaceId) {
    db.writer().execute(h -> h.createUpdate("DELETE FROM sandbox_credentials WHERE workspace_id = :w")
        .bind("w", workspaceId).execute());
  }

  /** The workspace a presented token belongs to, if it is a live sandbox token. */
  Optional<String> workspaceOf(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String hash = secrets.macHex(HASH, token);
    return db.jdbi().withHandle(h -> h.createQuery("SELECT workspace_id FROM sandbox_credentials "
        + "WHERE token_hash = :h").bind("h", hash).mapTo(String.class).findOne());
  }

  private Optional<String> salt(String workspaceId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT salt FROM sandbox_credentials WHERE workspace_id = :w")
        .bind("w", workspaceId).mapTo(String.class).findOne());
  }

  private String derive(String workspaceId, String salt) {
    return PREFIX + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(secrets.mac(TOKEN, workspaceId + '\n' + salt));
  }
}
