package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.web.Api;
import dev.wabridge.web.ApiAuth;
import dev.wabridge.web.ApiException;
import dev.wabridge.web.Body;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /sandbox/api/faults}: what share of the simulated Graph API's sends fail, with which Meta error, and how
 * slowly it answers. Faults affect every sandbox user, so only the admin key may read or set them; to any other
 * key the route does not exist.
 */
final class FaultRoutes {
  private final ApiAuth auth;
  private final Faults faults;

  FaultRoutes(ApiAuth auth, Faults faults) {
    this.auth = auth;
    this.faults = faults;
  }

  void register(RoutesConfig r) {
    r.get("/sandbox/api/faults", ctx -> {
      admin(ctx);
      Api.json(ctx, 200, faultsView());
    });
    r.post("/sandbox/api/faults", this::setFaults);
    r.delete("/sandbox/api/faults", ctx -> {
      admin(ctx);
      faults.clear();
      ctx.status(204);
    });
  }

  private void setFaults(Context ctx) {
    admin(ctx);
    Body b = Api.body(ctx);
    Integer code = b.optionalInt("error_code", 0, Integer.MAX_VALUE).orElse(null);
    if (code != null && MetaError.of(code).isEmpty()) {
      throw ApiException.invalid("error_code", "must be one of " + MetaError.codes().stream().sorted().toList()
          + " (or null for latency only)");
    }
    double rate = 1.0;
    JsonNode given = b.node().get("rate");
    if (given != null && !given.isNull()) {
      if (!given.isNumber() || given.asDouble() < 0 || given.asDouble() > 1) {
        throw ApiException.invalid("rate", "must be a number from 0 to 1 (the share of sends that fail)");
      }
      rate = given.asDouble();
    }
    int latency = b.optionalInt("latency_ms", 0, 30_000).orElse(0);
    faults.set(new Faults.Plan(code, rate, latency));
    Api.json(ctx, 200, faultsView());
  }

  private ObjectNode faultsView() {
    ObjectNode o = Json.object();
    Optional<Faults.Plan> plan = faults.current();
    if (plan.isPresent()) {
      o.put("error_code", plan.get().errorCode());
      o.put("rate", plan.get().rate());
      o.put("latency_ms", plan.get().latencyMs());
    } else {
      o.putNull("error_code");
      o.put("rate", 0.0);
      o.put("latency_ms", 0);
    }
    return o;
  }

  private void admin(Context ctx) {
    if (!auth.authorize(ctx, auth.require(ctx)).admin()) {
      throw new ApiException(404, "not_found", "sandbox faults affect every sandbox user; set them with the admin key");
    }
  }
}
