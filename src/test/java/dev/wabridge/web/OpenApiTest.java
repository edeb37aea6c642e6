package dev.wabridge.web;

import dev.wabridge.web.OpenApiRoutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.app.Wabridge;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code src/main/resources/openapi.json} against the running server: valid OpenAPI 3.1 with every reference
 * resolving, served without a key, documenting exactly the routes the server has, and naming exactly the fields
 * the server's answers and agent calls carry. A route or field added without documenting it fails here.
 */
class OpenApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PNID = "106540352242922";
  private static final String APP_SECRET = "app-secret-for-openapi-test";
  private static final Set<HandlerType> VERBS = Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
      HandlerType.PATCH, HandlerType.DELETE);
  private static FakeServer graph;
  private static FakeServer agent;
  private static TestApp app;
  private static JsonNode doc;

  @BeforeAll
  static void start() {
    graph = new FakeServer(r -> Response.json(200, "{\"messaging_product\":\"whatsapp\",\"success\":true,"
        + "\"messages\":[{\"id\":\"wamid.OUT" + System.nanoTime() + "\"}]}"));
    agent = new FakeServer(r -> Response.json(200, "{\"type\":\"message\",\"content\":\"Hello back\"}"));
    app = new TestApp(false, graph.url());
    doc = OpenApiRoutes.load();
  }

  @AfterAll
  static void stop() {
    app.close();
    agent.close();
    graph.close();
  }

  @Test
  void isOpenApi31WithBearerAuth() {
    assertThat(doc.get("openapi").asString()).matches("3\\.1\\.\\d+");
    assertThat(doc.at("/info/title").asString()).isEqualTo("wabridge");
    assertThat(doc.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
    assertThat(doc.at("/security/0/bearer").isArray()).isTrue();
    for (String open : List.of("/api/callback/{token}", "/healthz", "/metrics", "/api/openapi.json")) {
      doc.get("paths").get(open).properties().forEach(op ->
          assertThat(op.getValue().get("security")).as("%s %s needs no key", op.getKey(), open).isEmpty());
    }
  }

  @Test
  void everyContractPathIsPresent() {
    Map<String, List<String>> expected = Map.ofEntries(
        Map.entry("/api/workspaces", List.of("post")),
        Map.entry("/api/keys", List.of("get", "post")),
        Map.entry("/api/keys/{id}", List.of("delete")),
        Map.entry("/api/numbers", List.of("get", "post")),
        Map.entry("/api/numbers/{id}", List.of("get", "patch", "delete")),
        Map.entry("/api/agents", List.of("get", "post")),
        Map.entry("/api/agents/{id}", List.of("get", "patch", "delete")),
        Map.entry("/api/agents/{id}/deploy", List.of("post")),
        Map.entry("/api/agents/{id}/pause", List.of("post")),
        Map.entry("/api/agents/{id}/rotate-secret", List.of("post")),
        Map.entry("/api/agents/{id}/calls", List.of("get")),
        Map.entry("/api/conversations", List.of("get")),
        Map.entry("/api/conversations/{id}", List.of("get")),
        Map.entry("/api/conversations/{id}/messages", List.of("get", "post")),
        Map.entry("/api/conversations/{id}/handoff", List.of("post")),
        Map.entry("/api/conversations/{id}/resume", List.of("post")),
        Map.entry("/api/callback/{token}", List.of("post")),
        Map.entry("/healthz", List.of("get")),
        Map.entry("/metrics", List.of("get")));
    expected.forEach((path, methods) -> {
      assertThat(doc.get("paths").has(path)).as("path %s", path).isTrue();
      methods.forEach(m -> assertThat(doc.get("paths").get(path).has(m)).as("%s %s", m, path).isTrue());
    });
    JsonNode callback = doc.at("/paths/~1api~1callback~1{token}/post");
    assertThat(callback.get("responses").propertyNames()).contains("202", "400", "404", "410", "422");
    assertThat(callback.get("parameters").values()).anyMatch(p -> "Idempotency-Key".equals(p.path("name").asString())
        && "header".equals(p.path("in").asString()));
    assertThat(doc.at("/components/schemas").propertyNames()).contains("Agent", "Number", "Conversation", "Message",
        "AgentCall", "Error", "ListEnvelope", "ReplyBody", "AgentWebhookPayload");
    assertThat(doc.at("/components/schemas/ReplyMessage/oneOf").size()).isGreaterThanOrEqualTo(10);
    assertThat(doc.at("/webhooks/agentMessage/post/requestBody/content/application~1json/schema/$ref").asString())
        .isEqualTo("#/components/schemas/AgentWebhookPayload");
  }

  @Test
  void everyRefResolvesWithinTheDocument() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).hasSizeGreaterThan(50);
    for (String ref : refs) {
      assertThat(ref).as("local reference").startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
    }
  }

  @Test
  void servedWithoutAKeyWithThisServersUrl() {
    TestApp.Reply r = app.request("GET", "/api/openapi.json", null, null, null, Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode served = r.json();
    assertThat(served.at("/servers/0/url").asString()).isEqualTo(app.url());
    assertThat(served.get("paths")).isEqualTo(doc.get("paths"));
    assertThat(served.get("components")).isEqualTo(doc.get("components"));
  }

  @Test
  void documentsExactlyTheRoutesTheServerServes() throws ReflectiveOperationException {
    Set<String> served = new TreeSet<>();
    for (var handler : javalinOf(app.app()).unsafe.internalRouter.allHttpHandlers()) {
      String path = handler.endpoint.path;
      boolean api = path.startsWith("/api/") || path.startsWith("/media/") || path.equals("/healthz")
          || path.equals("/metrics");
      if (api && VERBS.contains(handler.endpoint.method)) {
        served.add(handler.endpoint.method.name() + " " + path);
      }
    }
    Set<String> documented = new TreeSet<>();
    doc.get("paths").properties().forEach(p -> p.getValue().propertyNames()
        .forEach(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
    assertThat(documented).as("operations in openapi.json (actual) vs the server's "
        + "routes (expected); document new routes in src/main/resources/openapi.json").isEqualTo(served);
  }

  @Test
  void answersCarryExactlyTheDocumentedFields() {
    JsonNode number = created(app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\","
        + "\"display_phone_number\":\"+1 555 000 1111\",\"access_token\":\"EAAG-token\",\"app_secret\":\""
        + APP_SECRET + "\",\"verify_token\":\"verify-me\"}"));
    assertFields("Number", number);
    JsonNode created = created(app.api("POST", "/api/agents", "{\"name\":\"Docs\",\"webhook_url\":\"" + agent.url()
        + "/webhook\",\"number_id\":\"" + number.get("id").asString() + "\"}"));
    assertFields("AgentWithSecret", created);
    String agentId = created.get("id").asString();
    assertFields("Agent", app.api("POST", "/api/agents/" + agentId + "/deploy", null).json());
    assertFields("WorkspaceCreated", created(app.api("POST", "/api/workspaces", "{\"name\":\"Docs\"}")));
    assertFields("KeyCreated", created(app.api("POST", "/api/keys", "{\"name\":\"docs\"}")));
    assertFields("ApiKey", app.api("GET", "/api/keys", null).json().at("/data/0"));
    assertFields("ListEnvelope", app.api("GET", "/api/agents", null).json());

    long now = System.currentTimeMillis() / 1000;
    assertThat(app.webhook(Meta.text(PNID, "15551234567", "Kerry", "wamid.DOC1", now, "Hi"), APP_SECRET).status())
        .isEqualTo(200);
    JsonNode payload = Json.parse(Await.value("the agent is called", WAIT,
        () -> agent.requests().stream().findFirst().orElse(null)).body());
    assertFields("AgentWebhookPayload", payload);
    JsonNode conversation = Await.value("the conversation is listed", WAIT, () -> {
      JsonNode first = app.api("GET", "/api/conversations?agent_id=" + agentId, null).json().at("/data/0");
      return first.isMissingNode() ? null : first;
    });
    assertFields("Conversation", conversation);
    String conv = "/api/conversations/" + conversation.get("id").asString();
    JsonNode messages = Await.value("the reply is in the history", WAIT, () -> {
      JsonNode m = app.api("GET", conv + "/messages", null).json();
      return m.get("data").size() == 2 ? m : null;
    });
    assertFields("Message", messages.at("/data/0"));
    assertFields("Message", messages.at("/data/1"));
    assertFields("AgentCall", app.api("GET", "/api/agents/" + agentId + "/calls", null).json().at("/data/0"));
    TestApp.Reply sent = app.api("POST", conv + "/messages", "{\"type\":\"message\",\"content\":\"From a person\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    assertFields("Queued", sent.json());
    assertFields("Conversation", app.api("POST", conv + "/handoff", null).json());
    assertFields("Error", app.api("GET", "/api/agents/agt_missing", null).json());
    assertFields("Health", app.request("GET", "/healthz", null, null, null, Map.of()).json());
  }

  /**
   * The object's keys are the schema's properties: nothing undocumented, nothing documented missing, except the
   * properties a schema with a {@code required} list leaves optional (the payload's {@code merged}).
   */
  private static void assertFields(String schema, JsonNode actual) {
    assertThat(actual.isObject()).as("%s answer %s", schema, actual).isTrue();
    JsonNode definition = doc.at("/components/schemas/" + schema);
    Set<String> documented = properties(definition);
    Set<String> sent = new TreeSet<>(actual.propertyNames());
    Set<String> optional = new TreeSet<>(documented);
    definition.path("required").values().forEach(r -> optional.remove(r.asString()));
    if (!definition.has("required")) {
      optional.clear();
    }
    Set<String> expected = new TreeSet<>(documented);
    expected.removeIf(f -> optional.contains(f) && !sent.contains(f));
    assertThat(sent).as("fields the server sent (actual) vs openapi.json's %s (expected)", schema)
        .isEqualTo(expected);
  }

  private static Set<String> properties(JsonNode schema) {
    Set<String> out = new TreeSet<>();
    if (schema.has("$ref")) {
      return properties(doc.at(schema.get("$ref").asString().substring(1)));
    }
    schema.path("properties").propertyNames().forEach(out::add);
    schema.path("allOf").values().forEach(part -> out.addAll(properties(part)));
    return out;
  }

  private static JsonNode created(TestApp.Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asString());
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.values().forEach(v -> collectRefs(v, refs));
    }
  }

  /** The HTTP server inside the composition root (found by type, so renaming the field does not matter). */
  private static Javalin javalinOf(Wabridge w) throws ReflectiveOperationException {
    Field f = Arrays.stream(Wabridge.class.getDeclaredFields()).filter(x -> x.getType() == HttpServer.class)
        .findFirst().orElseThrow(() -> new AssertionError("Wabridge holds no HttpServer field"));
    f.setAccessible(true);
    return ((HttpServer) f.get(w)).javalin();
  }
}
