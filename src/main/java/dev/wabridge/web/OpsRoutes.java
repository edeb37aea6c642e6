package dev.wabridge.web;

import dev.wabridge.support.Json;
import dev.wabridge.db.Database;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import tools.jackson.databind.node.ObjectNode;

/** {@code /healthz} (the database answers) and {@code /metrics} (Prometheus text). */
public final class OpsRoutes {
  private final Database db;
  private final PrometheusMeterRegistry registry;

  public OpsRoutes(Database db, PrometheusMeterRegistry registry) {
    this.db = db;
    this.registry = registry;
  }

  public void register(RoutesConfig r) {
    r.get("/healthz", ctx -> {
      boolean ok = db.ping();
      ObjectNode o = Json.object();
      o.put("status", ok ? "ok" : "unavailable");
      o.put("database", ok ? "ok" : "unreachable");
      ctx.status(ok ? 200 : 503).contentType("application/json").result(Json.bytes(o));
    });
    r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(registry.scrape()));
  }
}
