package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.TestApp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** A real wabridge with the sandbox on, and helpers that use the sandbox as a script or the chat page would. */
final class SandboxFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  final TestApp app;

  SandboxFixture() {
    this(false);
  }

  SandboxFixture(boolean postgres) {
    app = new TestApp(new TestApp.Setup(postgres, "http://127.0.0.1:9", InstantSource.system(),
        Map.of("WABRIDGE_SANDBOX", "true")));
  }

  BusinessNumber number() {
    return app.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number();
  }

  String graph(String rest) {
    return "/sandbox/graph/v23.0/" + rest;
  }

  TestApp.Reply graphPost(String rest, String body) {
    return app.request("POST", graph(rest), body, number().accessToken(), "application/json", Map.of());
  }

  /** Creates an agent on the sandbox number; returns its JSON (with webhook_secret). */
  JsonNode agent(String name, String webhookUrl) {
    TestApp.Reply a = app.api("POST", "/api/agents", "{\"name\":\"" + name + "\",\"webhook_url\":\"" + webhookUrl
        + "\",\"timeout_seconds\":10}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    assertThat(a.json().get("number_id").asString()).isEqualTo("num_sandbox");
    return a.json();
  }

  String write(String agentId, String from, String fields) {
    TestApp.Reply r = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":\""
        + from + "\",\"name\":\"Kerry\"," + fields + "}", TestApp.ADMIN_KEY, "application/json", Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("wamid").asString();
  }

  JsonNode phone(String agentId, String from) {
    TestApp.Reply r = app.request("GET", "/sandbox/api/messages?agent_id=" + agentId + "&from="
        + URLEncoder.encode(from, StandardCharsets.UTF_8), null, TestApp.ADMIN_KEY, null, Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** Polls the phone (which also reads the business's messages) until a bubble matches. */
  JsonNode awaitBubble(String agentId, String from, String what, Predicate<JsonNode> match) {
    return Await.value(what, WAIT, () -> {
      for (JsonNode b : phone(agentId, from).get("data").values()) {
        if (match.test(b)) {
          return b;
        }
      }
      return null;
    });
  }

  static Predicate<JsonNode> outbound(String type) {
    return b -> b.get("direction").asString().equals("outbound") && b.get("type").asString().equals(type);
  }

  JsonNode conversation(String agentId, String phone) {
    JsonNode list = app.api("GET", "/api/conversations?agent_id=" + agentId + "&phone_number="
        + URLEncoder.encode(phone, StandardCharsets.UTF_8), null).json().get("data");
    return list.isEmpty() ? null : list.get(0);
  }

  List<JsonNode> messages(String conversationId) {
    List<JsonNode> out = new java.util.ArrayList<>();
    app.api("GET", "/api/conversations/" + conversationId + "/messages", null).json().get("data").values()
        .forEach(out::add);
    return out;
  }

  static String json(Object o) {
    return Json.string(o);
  }

  @Override
  public void close() {
    app.close();
  }
}
