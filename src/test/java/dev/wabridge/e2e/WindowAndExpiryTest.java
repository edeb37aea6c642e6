package dev.wabridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestApp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Time-bound promises with an injected clock: reply_callback expires after 24 hours (410), and outside the
 * service window a text fails fast with window_closed while a template still goes to Meta.
 */
class WindowAndExpiryTest {
  static final String PNID = "2233445566";
  static final String SECRET = "window-secret";
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  FakeServer graph;
  FakeServer agent;
  TestApp app;
  String callbackPath;
  String conversationId;

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> Response.json(200, "{\"messages\":[{\"id\":\"wamid.W" + System.nanoTime() + "\"}]}"));
    agent = new FakeServer(r -> new Response(204, null, null));
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of()));
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
    String agentId = app.api("POST", "/api/agents", "{\"name\":\"A\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + numberId + "\"}").json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);
    long sentAt = clock.millis() / 1000;
    app.webhook(Meta.text(PNID, "15550100", "Lee", "wamid.WIN", sentAt, "hello"), SECRET);
    Await.until("the agent is called", Duration.ofSeconds(20), () -> agent.requests().size() == 1);
    JsonNode payload = Json.parse(agent.requests().getFirst().body());
    callbackPath = URI.create(payload.get("reply_callback").asString()).getPath();
    conversationId = payload.get("conversation_id").asString();
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  private TestApp.Reply callback(String body) {
    return app.request("POST", callbackPath, body, null, "application/json", Map.of());
  }

  @Test
  void callbackWorksForADayThenAnswers410() {
    clock.advance(Duration.ofHours(23));
    assertThat(callback("{\"content\":\"still here\"}").status()).isEqualTo(202);
    clock.advance(Duration.ofHours(2));
    TestApp.Reply expired = callback("{\"content\":\"too late\"}");
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.json().get("error").get("code").asString()).isEqualTo("callback_expired");
  }

  @Test
  void tamperedTokenIs404() {
    String tampered = callbackPath.substring(0, callbackPath.length() - 2) + "xx";
    assertThat(app.request("POST", tampered, "{\"content\":\"x\"}", null, "application/json", Map.of()).status())
        .isEqualTo(404);
  }

  @Test
  void outsideTheWindowTextFailsFastAndTemplatesStillGo() {
    clock.advance(Duration.ofHours(25));
    TestApp.Reply r = app.api("POST", "/api/conversations/" + conversationId + "/messages",
        "{\"messages\":[{\"type\":\"message\",\"content\":\"we miss you\"},"
            + "{\"type\":\"template\",\"name\":\"win_back\",\"language\":\"en_US\"}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().get("messages").get(0).get("status").asString()).isEqualTo("failed");
    assertThat(r.json().get("messages").get(1).get("status").asString()).isEqualTo("queued");
    Await.until("the template is sent", Duration.ofSeconds(20),
        () -> graph.requests().stream().anyMatch(q -> q.bodyText().contains("\"template\"")));
    assertThat(graph.requests().stream().noneMatch(q -> q.bodyText().contains("we miss you"))).isTrue();
    JsonNode history = app.api("GET", "/api/conversations/" + conversationId + "/messages", null).json().get("data");
    JsonNode failed = history.get(1);
    assertThat(failed.get("error").get("code").asString()).isEqualTo("window_closed");
  }
}
