package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStatus;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.web.Api;
import dev.wabridge.web.ApiAuth;
import dev.wabridge.web.ApiException;
import dev.wabridge.auth.ApiKeyStore.Principal;
import dev.wabridge.web.Body;
import dev.wabridge.auth.Scope;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.sandbox.PhoneSimulator.ChatView;
import dev.wabridge.sandbox.PhoneStore.Bubble;
import dev.wabridge.sandbox.PhoneStore.Phone;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox chat's own JSON API, scriptable with any API key ({@code Authorization: Bearer}): a simulated
 * customer writes to an agent of the key's workspace, reads what their phone shows, and lists the agents to chat
 * with ({@link FaultRoutes} sets the simulated API's failures). Errors are the contract's
 * {@code {"error": {"code", "message"}}}.
 */
final class SandboxApiRoutes {
  private final ApiAuth auth;
  private final AgentStore agents;
  private final PhoneStore phones;
  private final PhoneSimulator simulator;
  private final CustomerInput input;
  private final SimulatedMedia media;
  private final String publicUrl;
  private final WorkspaceQuotas quotas;

  SandboxApiRoutes(ApiAuth auth, AgentStore agents, PhoneStore phones, PhoneSimulator simulator,
                   CustomerInput input, SimulatedMedia media, String publicUrl, WorkspaceQuotas quotas) {
    this.auth = auth;
    this.quotas = quotas;
    this.agents = agents;
    this.phones = phones;
    this.simulator = simulator;
    this.input = input;
    this.media = media;
    this.publicUrl = publicUrl;
  }

  void register(RoutesConfig r) {
    r.post("/sandbox/api/messages", this::write);
    r.get("/sandbox/api/messages", this::read);
    r.get("/sandbox/api/agents", this::agents);
    r.post("/sandbox/api/demo-agent", this::createDemoAgent);
  }

  private void write(Context ctx) {
    Principal p = principal(ctx);
    Body b = Api.body(ctx);
    Agent agent = agent(p, b.optionalString("agent_id", 64), b.optionalString("join_code", 64), Optional.empty());
    if (agent.status() == AgentStatus.PAUSED) {
      throw ApiException.conflict("agent_paused", "agent '" + agent.name() + "' is paused; deploy it in the console "
          + "(or POST /api/agents/" + agent.id() + "/deploy) to chat with it");
    }
    if (!SandboxNumber.ID.equals(agent.numberId())) {
      throw ApiException.conflict("not_on_sandbox", "agent '" + agent.name() + "' answers on number "
          + agent.numberId() + ", not the sandbox; PATCH /api/agents/" + agent.id()
          + " with {\"number_id\": \"num_sandbox\"} to chat with it here");
    }
    String phone = CustomerInput.phone("from", b.optionalString("from", 32).orElse(null));
    String name = b.optionalString("name", 60).orElse("Customer " + phone.substring(Math.max(1, phone.length() - 4)));
    String workspace = p.workspaceId();
    PhoneSimulator.Profile profile = profile(b, phones.phone(workspace, phone));
    CustomerInput.Typed typed = input.read(b, workspace, p.scope().includes(Scope.FULL),
        () -> phones.latestInteractive(workspace, phone, agent.id()).orElse(null));
    String wamid = simulator.customerWrites(workspace, agent.id(), phone, name, profile, typed.message(),
        typed.text());
    ObjectNode out = Json.object();
    out.put("wamid", wamid);
    Api.json(ctx, 202, out);
  }

  /**
   * What the customer shows of themselves, as the message sets it ({@code username}: a string sets it, null clears
   * it; {@code withhold_phone}: a boolean) on top of what the phone had. Meta withholds only the numbers of users
   * who set a username, so withholding needs one.
   */
  static PhoneSimulator.Profile profile(Body b, Optional<Phone> known) {
    String username = known.map(Phone::username).orElse(null);
    if (b.has("username")) {
      username = b.optionalString("username", 35).orElse(null);
      if (username != null && !username.matches("[A-Za-z0-9._]{3,35}")) {
        throw ApiException.invalid("username", "must be 3 to 35 letters, digits, dots or underscores (got '"
            + username + "')");
      }
    }
    boolean withhold = known.map(Phone::withholdPhone).orElse(false);
    JsonNode given = b.node().get("withhold_phone");
    if (given != null && !given.isNull()) {
      if (!given.isBoolean()) {
        throw ApiException.invalid("withhold_phone", "must be true or false");
      }
      withhold = given.asBoolean();
    }
    if (withhold && username == null) {
      throw ApiException.invalid("withhold_phone", "needs a username: Meta withholds only the numbers of customers "
          + "who set one");
    }
    return new PhoneSimulator.Profile(username, withhold);
  }

  private void read(Context ctx) {
    Principal p = principal(ctx);
    String phone = CustomerInput.phone("from", ctx.queryParam("from"));
    Agent agent = agent(p, Optional.ofNullable(ctx.queryParam("agent_id")).filter(s -> !s.isBlank()),
        Optional.ofNullable(ctx.queryParam("join_code")).filter(s -> !s.isBlank()),
        phones.phone(p.workspaceId(), phone).map(Phone::agentId));
    // Looking at the phone reads the business's messages, which sends "read" statuses: a change, so a read-only key
    // only looks.
    ChatView view = simulator.view(p.workspaceId(), phone, agent.id(), p.scope().includes(Scope.SEND));
    ObjectNode out = Json.object();
    ArrayNode data = out.putArray("data");
    for (Bubble bubble : view.bubbles()) {
      data.add(bubbleView(bubble));
    }
    out.put("typing", view.typing());
    out.set("agent", agentView(agent));
    out.set("customer", phones.phone(p.workspaceId(), phone).map(SandboxApiRoutes::customerView)
        .orElse(null));
    Api.json(ctx, 200, out);
  }

  /** The customer as the agent will know them: number, name, BSUID, username and whether the number is withheld. */
  private static ObjectNode customerView(Phone c) {
    ObjectNode o = Json.object();
    o.put("phone", c.phone());
    o.put("name", c.name());
    o.put("user_id", c.userId());
    o.put("username", c.username());
    o.put("withhold_phone", c.withholdPhone());
    return o;
  }

  private ObjectNode bubbleView(Bubble b) {
    ObjectNode o = Json.object();
    o.put("id", b.wamid());
    o.put("direction", b.direction());
    o.put("type", b.type());
    o.put("text", b.text());
    if (b.mediaId() != null) {
      ObjectNode m = o.putObject("media");
      media.info(b.mediaId()).ifPresentOrElse(info -> {
        m.put("url", media.pageUrl(info.id()));
        m.put("mime_type", info.mimeType());
        m.put("filename", Optional.ofNullable(Json.text(Json.parse(b.content()), "filename")).orElse(info.filename()));
        m.put("size", info.size());
      }, () -> o.putNull("media"));
    } else {
      o.putNull("media");
    }
    o.set("content", Json.parse(b.content()));
    o.put("status", b.status());
    o.put("reaction", b.reaction());
    o.put("created_at", Api.time(b.createdAt()));
    return o;
  }

  private void agents(Context ctx) {
    Principal p = principal(ctx);
    ObjectNode out = Json.object();
    ArrayNode data = out.putArray("data");
    agents.list(p.workspaceId(), 200, null).stream()
        .filter(a -> SandboxNumber.ID.equals(a.numberId()))
        .forEach(a -> data.add(agentView(a)));
    out.putNull("next_cursor");
    Api.json(ctx, 200, out);
  }

  private void createDemoAgent(Context ctx) {
    Principal p = principal(ctx);
    quotas.checkAgents(p.workspaceId());
    Agent a = agents.create(p.workspaceId(), new AgentStore.NewAgent("Demo agent", publicUrl + DemoAgent.PATH,
        SandboxNumber.ID, 30, null, 0, TextFormat.AUTO, true));
    Api.json(ctx, 201, agentView(a));
  }

  private ObjectNode agentView(Agent a) {
    ObjectNode o = Json.object();
    o.put("id", a.id());
    o.put("name", a.name());
    o.put("status", a.status().wire());
    o.put("join_code", a.joinCode());
    o.put("connect_url", publicUrl + "/sandbox/connect/" + a.joinCode());
    o.put("webhook_url", a.webhookUrl());
    return o;
  }

  private Agent agent(Principal p, Optional<String> agentId, Optional<String> joinCode, Optional<String> joined) {
    Optional<Agent> found;
    String asked;
    if (agentId.isPresent()) {
      asked = agentId.get();
      found = agents.get(p.workspaceId(), asked);
    } else if (joinCode.isPresent()) {
      asked = joinCode.get();
      found = agents.byJoinCode(asked).filter(a -> a.workspaceId().equals(p.workspaceId()));
    } else if (joined.isPresent()) {
      asked = joined.get();
      found = agents.get(p.workspaceId(), asked);
    } else {
      throw ApiException.invalid("agent_id", "is required (or join_code): the agent the customer writes to");
    }
    return found.orElseThrow(() -> ApiException.notFound("agent", asked));
  }

  private Principal principal(Context ctx) {
    return auth.authorize(ctx, auth.require(ctx));
  }
}
