package dev.wabridge.agent;

import dev.wabridge.config.SecretBox;
import dev.wabridge.config.Tuning;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.db.Database;
import dev.wabridge.db.Sql;
import dev.wabridge.support.Ids;
import dev.wabridge.support.ShortCache;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** Agents. Webhook secrets are stored encrypted (they sign every call, so they must be recoverable). */
public final class AgentStore {
  private static final String COLUMNS = "id, workspace_id, name, webhook_url, webhook_secret_enc, status, number_id, "
      + "join_code, timeout_seconds, fallback_message, debounce_ms, format, created_at, updated_at, replay_on_deploy";

  private final Database db;
  private final SecretBox secrets;
  private final InstantSource clock;
  private final ShortCache<String, Optional<Agent>> byId;
  private final ShortCache<String, Optional<Agent>> ownerByNumber;

  /** @param cache how long an agent's lookups are kept (by id, and a number's owner) */
  public AgentStore(Database db, SecretBox secrets, InstantSource clock, Tuning.Cache cache) {
    this.db = db;
    this.secrets = secrets;
    this.clock = clock;
    this.byId = new ShortCache<>(clock, cache.ttl().toMillis(), cache.entries());
    this.ownerByNumber = new ShortCache<>(clock, cache.ttl().toMillis(), cache.entries());
  }

  public record NewAgent(String name, String webhookUrl, String numberId, int timeoutSeconds,
                         String fallbackMessage, int debounceMs, TextFormat format, boolean replayOnDeploy) {
  }

  public Agent create(String workspaceId, NewAgent a) {
    String id = Ids.newId("agt");
    long now = clock.millis();
    db.writer().execute(h -> h.createUpdate("INSERT INTO agents(" + COLUMNS + ") VALUES (:id, :w, :name, :url, "
            + ":secret, :status, :number, :join, :timeout, :fallback, :debounce, :format, :now, :now, :replay)")
        .bind("id", id).bind("w", workspaceId).bind("status", AgentStatus.DRAFT.wire()).bind("name", a.name()).bind("url", a.webhookUrl())
        .bind("secret", secrets.encrypt(newSecret())).bind("number", a.numberId()).bind("join", Ids.newJoinCode())
        .bind("timeout", a.timeoutSeconds()).bind("fallback", a.fallbackMessage()).bind("debounce", a.debounceMs())
        .bind("format", a.format().wire()).bind("now", now).bind("replay", a.replayOnDeploy() ? 1 : 0).execute());
    invalidate();
    return get(workspaceId, id).orElseThrow();
  }

  static String newSecret() {
    return "whsec_" + Ids.newToken();
  }

  public Optional<Agent> get(String workspaceId, String id) {
    return byId(id).filter(a -> a.workspaceId().equals(workspaceId));
  }

  /** Any workspace; for the worker side, which holds an agent id from a trusted row. */
  public Optional<Agent> byId(String id) {
    return byId.get(id, k -> db.jdbi().withHandle(h -> h.createQuery(
        "SELECT " + COLUMNS + " FROM agents WHERE id = :id").bind("id", k).map(this::map).findOne()));
  }

  /**
   * Whether the agent exists now, read from the database rather than the cache: a conversation whose agent another
   * node deleted a moment ago stops taking replies at once.
   */
  public boolean exists(String id) {
    return db.read(c -> Sql.one(c, "SELECT 1 FROM agents WHERE id = ?", rs -> 1, id)).isPresent();
  }

  /** A deployed agent as the held-message sweep needs it. */
  public record Deployed(String id, String numberId, boolean replayOnDeploy) {
  }

  /** The agents deployed now, read from the database: who may answer held messages, and on which numbers. */
  public List<Deployed> deployed() {
    return db.read(c -> Sql.list(c, "SELECT id, number_id, replay_on_deploy FROM agents WHERE status = ? "
            + "AND number_id IS NOT NULL",
        rs -> new Deployed(rs.getString("id"), rs.getString("number_id"), rs.getInt("replay_on_deploy") != 0),
        AgentStatus.DEPLOYED.wire()));
  }

  public Optional<Agent> byJoinCode(String joinCode) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM agents WHERE join_code = :j")
        .bind("j", joinCode).map(this::map).findOne());
  }

  /** The one deployed agent answering a number, if any. */
  public Optional<Agent> deployedFor(String numberId) {
    return ownerFor(numberId).filter(Agent::deployed);
  }

  /**
   * The agent a customer's message on a number belongs to: the deployed one, else the one last changed among those
   * attached to the number (paused, or a draft), whose conversation keeps the message until it answers.
   */
  public Optional<Agent> ownerFor(String numberId) {
    return ownerByNumber.get(numberId, n -> db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
            + " FROM agents WHERE number_id = :n ORDER BY CASE WHEN status = :deployed THEN 0 ELSE 1 END, "
            + "updated_at DESC, id LIMIT 1")
        .bind("n", n).bind("deployed", AgentStatus.DEPLOYED.wire()).map(this::map).findOne()));
  }

  public List<Agent> list(String workspaceId, int limit, String afterId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM agents WHERE workspace_id = :w "
            + "AND id > :after ORDER BY id LIMIT :limit")
        .bind("w", workspaceId).bind("after", afterId == null ? "" : afterId).bind("limit", limit)
        .map(this::map).list());
  }

  public record AgentPatch(Optional<String> name, Optional<String> webhookUrl, Optional<String> numberId,
                           Optional<Integer> timeoutSeconds, Optional<String> fallbackMessage,
                           boolean clearFallback, Optional<Integer> debounceMs, Optional<TextFormat> format,
                           Optional<Boolean> replayOnDeploy) {
  }

  public Agent update(Agent a, AgentPatch p) {
    db.writer().execute(h -> h.createUpdate("UPDATE agents SET name = :name, webhook_url = :url, number_id = :number, "
            + "timeout_seconds = :timeout, fallback_message = :fallback, debounce_ms = :debounce, format = :format, "
            + "replay_on_deploy = :replay, updated_at = :now WHERE id = :id")
        .bind("name", p.name().orElse(a.name())).bind("url", p.webhookUrl().orElse(a.webhookUrl()))
        .bind("number", p.numberId().orElse(a.numberId()))
        .bind("timeout", p.timeoutSeconds().orElse(a.timeoutSeconds()))
        .bind("fallback", p.clearFallback() ? null : p.fallbackMessage().orElse(a.fallbackMessage()))
        .bind("debounce", p.debounceMs().orElse(a.debounceMs()))
        .bind("format", p.format().orElse(a.format()).wire())
        .bind("replay", p.replayOnDeploy().orElse(a.replayOnDeploy()) ? 1 : 0)
        .bind("now", clock.millis()).bind("id", a.id()).execute());
    invalidate();
    return byId(a.id()).orElseThrow();
  }

  public Agent setStatus(Agent a, AgentStatus status) {
    db.writer().execute(h -> h.createUpdate("UPDATE agents SET status = :s, updated_at = :now WHERE id = :id")
        .bind("s", status.wire()).bind("now", clock.millis()).bind("id", a.id()).execute());
    invalidate();
    return byId(a.id()).orElseThrow();
  }

  /** Replaces the webhook secret; returns the agent with the new secret. */
  public Agent rotateSecret(Agent a) {
    db.writer().execute(h -> h.createUpdate("UPDATE agents SET webhook_secret_enc = :s, updated_at = :now WHERE id = :id")
        .bind("s", secrets.encrypt(newSecret())).bind("now", clock.millis()).bind("id", a.id()).execute());
    invalidate();
    return byId(a.id()).orElseThrow();
  }

  public void delete(Agent a) {
    db.writer().execute(h -> h.createUpdate("DELETE FROM agents WHERE id = :id").bind("id", a.id()).execute());
    invalidate();
  }

  private void invalidate() {
    byId.clear();
    ownerByNumber.clear();
  }

  private Agent map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Agent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        secrets.decrypt(rs.getString(5)), AgentStatus.fromWire(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getInt(9),
        rs.getString(10), rs.getInt(11), TextFormat.parse(rs.getString(12)).orElse(TextFormat.AUTO), rs.getLong(13),
        rs.getLong(14), rs.getInt(15) == 1);
  }
}
