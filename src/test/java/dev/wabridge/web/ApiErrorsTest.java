package dev.wabridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.TestApp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The platform API under bad input: every error in the contract's shape, naming the field and the fix. */
class ApiErrorsTest {
  static FakeServer graph;
  static TestApp app;

  @BeforeAll
  static void start() {
    graph = new FakeServer(r -> Response.json(200, "{}"));
    app = new TestApp(false, graph.url());
  }

  @AfterAll
  static void stop() {
    app.close();
    graph.close();
  }

  private static void assertError(TestApp.Reply r, int status, String code, String mentions) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonNode e = r.json().get("error");
    assertThat(e.get("code").asString()).isEqualTo(code);
    assertThat(e.get("message").asString()).contains(mentions);
  }

  @Test
  void noKeyOrWrongKeyIs401() {
    assertError(app.request("GET", "/api/agents", null, null, null, Map.of()), 401, "unauthorized", "Bearer");
    assertError(app.request("GET", "/api/agents", null, "wab_wrong", null, Map.of()), 401, "unauthorized", "not valid");
  }

  @Test
  void aBodyOverTheCapIs413AndSaysWhatToDoInstead() {
    String huge = "{\"name\":\"" + "x".repeat(dev.wabridge.web.WebhookRoutes.MAX_BODY + 1) + "\"}";
    assertError(app.api("POST", "/api/agents", huge), 413, "payload_too_large", "send media as a url");
  }

  @Test
  void invalidAgentBodiesNameTheField() {
    assertError(app.api("POST", "/api/agents", "{not json"), 400, "invalid_json", "JSON");
    assertError(app.api("POST", "/api/agents", ""), 400, "invalid_json", "empty");
    assertError(app.api("POST", "/api/agents", "[]"), 400, "invalid_json", "object");
    assertError(app.api("POST", "/api/agents", "{\"webhook_url\":\"https://a.example/x\"}"), 422, "invalid_name",
        "name");
    assertError(app.api("POST", "/api/agents", "{\"name\":\"a\",\"webhook_url\":\"ftp://x\"}"), 422,
        "invalid_webhook_url", "http");
    assertError(app.api("POST", "/api/agents", "{\"name\":\"a\",\"webhook_url\":\"https://a.example\","
        + "\"timeout_seconds\":0}"), 422, "invalid_timeout_seconds", "1 to 600");
    assertError(app.api("POST", "/api/agents", "{\"name\":\"a\",\"webhook_url\":\"https://a.example\","
        + "\"number_id\":\"num_missing\"}"), 422, "invalid_number_id", "POST /api/numbers");
    assertError(app.api("POST", "/api/agents", "{\"name\":5,\"webhook_url\":\"https://a.example\"}"), 422,
        "invalid_name", "string");
  }

  @Test
  void anAgentsFormatIsAutoUnlessSetAndAnUnknownOneIsRefusedWithTheChoices() {
    JsonNode a = app.api("POST", "/api/agents", "{\"name\":\"F\",\"webhook_url\":\"https://a.example/f\"}").json();
    String id = a.get("id").asString();
    assertThat(a.get("format").asString()).isEqualTo("auto");
    JsonNode created = app.api("POST", "/api/agents", "{\"name\":\"G\",\"webhook_url\":\"https://a.example/g\","
        + "\"format\":\"WhatsApp\"}").json();
    assertThat(created.get("format").asString()).isEqualTo("whatsapp");
    assertThat(app.api("PATCH", "/api/agents/" + id, "{\"format\":\"markdown\"}").json().get("format").asString())
        .isEqualTo("markdown");
    assertThat(app.api("PATCH", "/api/agents/" + id, "{\"name\":\"F2\"}").json().get("format").asString())
        .isEqualTo("markdown");
    assertThat(app.api("GET", "/api/agents/" + id, null).json().get("format").asString()).isEqualTo("markdown");
    assertError(app.api("POST", "/api/agents", "{\"name\":\"a\",\"webhook_url\":\"https://a.example\","
        + "\"format\":\"html\"}"), 422, "invalid_format", "format: must be one of markdown, whatsapp, auto");
    assertError(app.api("PATCH", "/api/agents/" + id, "{\"format\":7}"), 422, "invalid_format",
        "markdown, whatsapp, auto");
    assertError(app.api("PATCH", "/api/agents/" + id, "{\"format\":\"\"}"), 422, "invalid_format", "auto");
    assertThat(app.api("GET", "/api/agents/" + id, null).json().get("format").asString()).isEqualTo("markdown");
  }

  @Test
  void invalidNumberBodiesNameTheField() {
    assertError(app.api("POST", "/api/numbers", "{\"phone_number_id\":\"12ab\",\"display_phone_number\":\"+1\","
        + "\"access_token\":\"t\",\"app_secret\":\"s\",\"verify_token\":\"v\"}"), 422, "invalid_phone_number_id",
        "digits");
    // display_phone_number may be left out (Meta's answer fills it); the access token may not
    assertError(app.api("POST", "/api/numbers", "{\"phone_number_id\":\"12\"}"), 422, "invalid_access_token",
        "required");
  }

  @Test
  void agentLifecycle() {
    JsonNode a = app.api("POST", "/api/agents", "{\"name\":\"Bot\",\"webhook_url\":\"https://a.example/hook\"}").json();
    String id = a.get("id").asString();
    assertThat(a.get("webhook_secret").asString()).startsWith("whsec_");
    assertThat(a.get("mode").asString()).isEqualTo("byoa");
    assertThat(a.get("timeout_seconds").asInt()).isEqualTo(60);
    JsonNode got = app.api("GET", "/api/agents/" + id, null).json();
    assertThat(got.has("webhook_secret")).isFalse();
    assertError(app.api("POST", "/api/agents/" + id + "/deploy", null), 409, "no_number", "number_id");
    JsonNode rotated = app.api("POST", "/api/agents/" + id + "/rotate-secret", null).json();
    assertThat(rotated.get("webhook_secret").asString()).isNotEqualTo(a.get("webhook_secret").asString());
    JsonNode patched = app.api("PATCH", "/api/agents/" + id, "{\"name\":\"Bot 2\",\"debounce_ms\":500}").json();
    assertThat(patched.get("name").asString()).isEqualTo("Bot 2");
    assertThat(patched.get("debounce_ms").asInt()).isEqualTo(500);
    assertThat(app.api("POST", "/api/agents/" + id + "/pause", null).json().get("status").asString())
        .isEqualTo("paused");
    JsonNode list = app.api("GET", "/api/agents?limit=1", null).json();
    assertThat(list.get("data").size()).isEqualTo(1);
    assertThat(list.has("next_cursor")).isTrue();
    assertError(app.api("GET", "/api/agents?limit=500", null), 400, "invalid_limit", "200");
    assertThat(app.api("DELETE", "/api/agents/" + id, null).status()).isEqualTo(204);
    assertError(app.api("GET", "/api/agents/" + id, null), 404, "not_found", id);
  }

  @Test
  void workspacesAreIsolated() {
    JsonNode ws = app.api("POST", "/api/workspaces", "{\"name\":\"Acme\"}").json();
    String otherKey = ws.get("api_key").asString();
    String agentId = app.api("POST", "/api/agents", "{\"name\":\"Mine\",\"webhook_url\":\"https://a.example\"}")
        .json().get("id").asString();
    assertError(app.request("GET", "/api/agents/" + agentId, null, otherKey, null, Map.of()), 404, "not_found",
        agentId);
    assertThat(app.request("GET", "/api/agents", null, otherKey, null, Map.of()).json().get("data").size()).isZero();
    assertError(app.request("POST", "/api/workspaces", "{\"name\":\"x\"}", otherKey, "application/json", Map.of()),
        404, "not_found", "admin");
    JsonNode key = app.request("POST", "/api/keys", "{\"name\":\"ci\"}", otherKey, "application/json", Map.of()).json();
    assertThat(key.get("key").asString()).startsWith("wab_");
    assertThat(app.request("GET", "/api/keys", null, key.get("key").asString(), null, Map.of()).json().get("data")
        .size()).isEqualTo(2);
  }

  @Test
  void unknownEndpointIsJson404() {
    assertError(app.api("GET", "/api/nothing-here", null), 404, "not_found", "/api/nothing-here");
  }

  @Test
  void healthReportsTheDatabase() {
    TestApp.Reply r = app.request("GET", "/healthz", null, null, null, Map.of());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("database").asString()).isEqualTo("ok");
  }
}
