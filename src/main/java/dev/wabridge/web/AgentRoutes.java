package dev.wabridge.web;

import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStatus;
import dev.wabridge.agent.AgentCallLog;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.agent.HeldMessages;
import dev.wabridge.support.Json;
import dev.wabridge.web.Api;
import dev.wabridge.web.ApiException;
import dev.wabridge.web.Body;
import dev.wabridge.web.Page;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.number.SimulatedNumbers;
import dev.wabridge.reply.TextFormat;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The Agents API (docs/contract.md section 4). The webhook secret is shown at creation and rotation only. */
public final class AgentRoutes {
  private final AgentStore agents;
  private final NumberStore numbers;
  private final AgentCallLog calls;
  private final SimulatedNumbers simulated;
  private final NetworkPolicy network;
  private final WorkspaceQuotas quotas;
  private final HeldMessages held;

  /**
   * @param network the policy for tenants' workspaces: a webhook_url it refuses is not saved
   * @param held what releases the messages that waited for an agent when it is deployed
   * @param simulated the numbers a plug-in simulates: shared by every workspace, joined on the plug-in's page
   */
  public AgentRoutes(AgentStore agents, NumberStore numbers, AgentCallLog calls, SimulatedNumbers simulated,
                     NetworkPolicy network, WorkspaceQuotas quotas, HeldMessages held) {
    this.network = network;
    this.held = held;
    this.agents = agents;
    this.quotas = quotas;
    this.calls = calls;
    this.numbers = numbers;
    this.simulated = simulated;
  }

  public void register(RoutesConfig r) {
    r.post("/api/agents", this::create);
    r.get("/api/agents", this::list);
    r.get("/api/agents/{id}", ctx -> Api.json(ctx, 200, view(find(ctx), false)));
    r.patch("/api/agents/{id}", this::patch);
    r.delete("/api/agents/{id}", this::delete);
    r.post("/api/agents/{id}/deploy", this::deploy);
    // Resuming a paused agent is deploying it again; the alias says so where a client looks for it.
    r.post("/api/agents/{id}/resume", this::deploy);
    r.post("/api/agents/{id}/pause", ctx -> Api.json(ctx, 200, view(agents.setStatus(find(ctx), AgentStatus.PAUSED), false)));
    r.get("/api/agents/{id}/calls", this::recentCalls);
    r.post("/api/agents/{id}/rotate-secret", ctx -> Api.json(ctx, 200, view(agents.rotateSecret(find(ctx)), true)));
  }

  private void create(Context ctx) {
    Body b = Api.body(ctx);
    String ws = Api.workspace(ctx);
    String name = b.requiredString("name", 100);
    String url = Body.checkUrl("webhook_url", b.requiredString("webhook_url", 2000), network.forWorkspace(ws));
    String numberId = b.optionalString("number_id", 64).orElse(null);
    if (numberId == null) {
      numberId = simulated.shared().map(SimulatedNumbers.Simulated::numberId)
          .filter(id -> numbers.byId(id).isPresent()).orElse(null);
    }
    if (numberId != null) {
      checkNumber(ws, numberId);
    }
    quotas.checkAgents(ws);
    Agent a = agents.create(ws, new AgentStore.NewAgent(name, url, numberId,
        b.optionalInt("timeout_seconds", 1, 600).orElse(60),
        b.optionalString("fallback_message", 4096).orElse(null),
        b.optionalInt("debounce_ms", 0, 60_000).orElse(0), format(b).orElse(TextFormat.AUTO),
        b.optionalBoolean("replay_on_deploy").orElse(true)));
    Api.json(ctx, 201, view(a, true));
  }

  private void list(Context ctx) {
    Page page = Page.of(ctx);
    var rows = agents.list(Api.workspace(ctx), page.limit(), page.cursor());
    Api.json(ctx, 200, Api.list(rows, page.limit(), a -> view(a, false), Agent::id));
  }

  private void recentCalls(Context ctx) {
    Agent a = find(ctx);
    Page page = Page.of(ctx);
    long before;
    try {
      before = page.cursor() == null ? 0 : Long.parseLong(page.cursor());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid_cursor", "cursor must be a next_cursor value from a previous page");
    }
    var rows = calls.recent(a.id(), page.limit(), before);
    Api.json(ctx, 200, Api.list(rows, page.limit(), AgentRoutes::callView, call -> Long.toString(call.seq())));
  }

  static ObjectNode callView(AgentCallLog.Call c) {
    ObjectNode o = Json.object();
    o.put("delivery_id", c.deliveryId());
    o.put("attempt", c.attempt());
    o.put("conversation_id", c.conversationId());
    o.put("message_id", c.messageId());
    o.put("status", "replied".equals(c.outcome()) ? "ok" : "failed");
    o.put("outcome", c.outcome());
    o.put("latency_ms", c.latencyMs());
    o.put("error", c.errorMessage());
    o.put("created_at", Api.time(c.createdAt()));
    return o;
  }

  private void patch(Context ctx) {
    Agent a = find(ctx);
    Body b = Api.body(ctx);
    Optional<String> url = b.optionalString("webhook_url", 2000)
        .map(u -> Body.checkUrl("webhook_url", u, network.forWorkspace(a.workspaceId())));
    Optional<String> numberId = b.optionalString("number_id", 64);
    numberId.ifPresent(n -> checkNumber(a.workspaceId(), n));
    if (a.deployed() && numberId.isPresent() && !numberId.get().equals(a.numberId())) {
      checkFreeNumber(a, numberId.get());
    }
    boolean clearFallback = b.has("fallback_message") && b.optionalString("fallback_message", 4096).isEmpty();
    Agent updated = agents.update(a, new AgentStore.AgentPatch(b.optionalString("name", 100), url, numberId,
        b.optionalInt("timeout_seconds", 1, 600), b.optionalString("fallback_message", 4096), clearFallback,
        b.optionalInt("debounce_ms", 0, 60_000), format(b), b.optionalBoolean("replay_on_deploy")));
    if (updated.deployed() && !java.util.Objects.equals(updated.numberId(), a.numberId())) {
      // Deployed on another number: what waits there is the agent's now.
      held.releaseFor(updated);
    }
    Api.json(ctx, 200, view(updated, false));
  }

  /** How the agent writes its text: {@code markdown}, {@code whatsapp} or {@code auto}. */
  private static Optional<TextFormat> format(Body b) {
    JsonNode v = b.node().get("format");
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    return Optional.of((v.isString() ? TextFormat.parse(v.asString()) : Optional.<TextFormat>empty())
        .orElseThrow(() -> ApiException.invalid("format", "must be one of " + TextFormat.allowed())));
  }

  private void delete(Context ctx) {
    agents.delete(find(ctx));
    ctx.status(204);
  }

  private void deploy(Context ctx) {
    Agent a = find(ctx);
    if (a.numberId() == null) {
      throw ApiException.conflict("no_number", "attach a number first: PATCH /api/agents/" + a.id()
          + " with {\"number_id\": \"num_…\"}");
    }
    checkFreeNumber(a, a.numberId());
    Agent deployed = agents.setStatus(a, AgentStatus.DEPLOYED);
    held.releaseFor(deployed);
    Api.json(ctx, 200, view(deployed, false));
  }

  /** One deployed agent per number of one workspace; a shared number takes any number of agents. */
  private void checkFreeNumber(Agent a, String numberId) {
    if (numbers.shared(numberId)) {
      return;
    }
    agents.deployedFor(numberId).filter(other -> !other.id().equals(a.id())).ifPresent(other -> {
      throw ApiException.conflict("number_in_use", "agent " + other.id() + " is already deployed on " + numberId
          + "; pause it first (POST /api/agents/" + other.id() + "/pause)");
    });
  }

  private void checkNumber(String ws, String numberId) {
    if (numbers.usable(ws, numberId).isEmpty()) {
      throw ApiException.invalid("number_id", "no number '" + numberId + "' in this workspace; register it with "
          + "POST /api/numbers first");
    }
  }

  private Agent find(Context ctx) {
    String id = ctx.pathParam("id");
    return agents.get(Api.workspace(ctx), id).orElseThrow(() -> ApiException.notFound("agent", id));
  }

  ObjectNode view(Agent a, boolean withSecret) {
    ObjectNode o = Json.object();
    o.put("id", a.id());
    o.put("name", a.name());
    o.put("mode", "byoa");
    o.put("webhook_url", a.webhookUrl());
    if (withSecret) {
      o.put("webhook_secret", a.webhookSecret());
    }
    o.put("status", a.status().wire());
    o.put("number_id", a.numberId());
    o.put("connect_url", connectUrl(a));
    o.put("timeout_seconds", a.timeoutSeconds());
    o.put("fallback_message", a.fallbackMessage());
    o.put("debounce_ms", a.debounceMs());
    o.put("format", a.format().wire());
    o.put("replay_on_deploy", a.replayOnDeploy());
    o.put("created_at", Api.time(a.createdAt()));
    o.put("updated_at", Api.time(a.updatedAt()));
    return o;
  }

  /**
   * Where a customer reaches the agent: the simulated chat of a number a plug-in simulates, else WhatsApp's link to
   * the number; none for a shared number nobody simulates now (the sandbox is off), whose phone is not real.
   */
  private String connectUrl(Agent a) {
    if (a.numberId() == null) {
      return null;
    }
    Optional<SimulatedNumbers.Simulated> page = simulated.of(a.numberId());
    if (page.isPresent()) {
      return page.get().connectBase() + a.joinCode();
    }
    return numbers.byId(a.numberId()).filter(n -> !n.shared()).map(BusinessNumber::displayPhoneNumber)
        .map(d -> "https://wa.me/" + d.replaceAll("\\D", "")).orElse(null);
  }
}
