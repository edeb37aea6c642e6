package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.app.Wabridge;
import dev.wabridge.config.Config;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A restart of wabridge keeps the sandbox number, its credentials and every phone's chat, and the chat goes on. */
class SandboxRestartTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private String base;

  private JsonNode call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TestApp.ADMIN_KEY)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return Json.parse(r.body());
  }

  private List<String> texts(String agentId) throws Exception {
    List<String> out = new ArrayList<>();
    call("GET", "/sandbox/api/messages?from=%2B15550107020&agent_id=" + agentId, null).get("data").values()
        .forEach(m -> out.add(m.get("direction").asString() + ":" + m.get("text").asString("")));
    return out;
  }

  @Test
  void chatsSurviveARestart() throws Exception {
    Path dir = Files.createTempDirectory("wabridge-sandbox-restart");
    int port = TestApp.freePort();
    base = "http://localhost:" + port;
    Config config = Config.from(Map.of("WABRIDGE_PORT", Integer.toString(port), "WABRIDGE_DATA_DIR", dir.toString(),
        "WABRIDGE_ADMIN_KEY", TestApp.ADMIN_KEY, "WABRIDGE_GRAPH_URL", "http://127.0.0.1:9"));
    String agentId;
    String token;
    try (Wabridge first = Wabridge.start(config, InstantSource.system())) {
      token = first.plugin(SandboxPlugin.class).orElseThrow().sandbox().number().accessToken();
      agentId = call("POST", "/api/agents", "{\"name\":\"Demo\",\"webhook_url\":\"" + base + "/sandbox/demo-agent\"}")
          .get("id").asString();
      call("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":\"+15550107020\","
          + "\"text\":\"before\"}");
      Await.until("the echo before the restart", Duration.ofSeconds(20),
          () -> uncheck(() -> texts(agentId).contains("outbound:You said: *before*")));
    }
    try (Wabridge second = Wabridge.start(config, InstantSource.system())) {
      assertThat(second.plugin(SandboxPlugin.class).orElseThrow().sandbox().number().accessToken()).isEqualTo(token);
      assertThat(texts(agentId)).startsWith("inbound:before", "outbound:You said: *before*");
      call("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":\"+15550107020\","
          + "\"text\":\"after\"}");
      Await.until("the echo after the restart", Duration.ofSeconds(20),
          () -> uncheck(() -> texts(agentId).contains("outbound:You said: *after*")));
    }
  }

  private int status(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TestApp.ADMIN_KEY).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * Review finding: the sandbox's number is shared because the number says so, not because the plug-in runs. With
   * the sandbox turned off after it ran, num_sandbox still belongs to the system, still takes any number of agents,
   * and shows no WhatsApp link to its made-up phone.
   */
  @Test
  void theSandboxNumberStaysSharedWhenTheSandboxIsTurnedOff() throws Exception {
    Path dir = Files.createTempDirectory("wabridge-sandbox-off");
    int port = TestApp.freePort();
    base = "http://localhost:" + port;
    Map<String, String> env = Map.of("WABRIDGE_PORT", Integer.toString(port), "WABRIDGE_DATA_DIR", dir.toString(),
        "WABRIDGE_ADMIN_KEY", TestApp.ADMIN_KEY, "WABRIDGE_GRAPH_URL", "http://127.0.0.1:9",
        "WABRIDGE_AGENT_NETWORK_ALLOWLIST", "127.0.0.0/8");
    try (Wabridge on = Wabridge.start(Config.from(env), InstantSource.system())) {
      assertThat(on.plugin(SandboxPlugin.class)).isPresent();
    }
    Map<String, String> off = new java.util.HashMap<>(env);
    off.put("WABRIDGE_SANDBOX", "false");
    try (Wabridge second = Wabridge.start(Config.from(off), InstantSource.system())) {
      assertThat(second.plugin(SandboxPlugin.class)).isEmpty();
      assertThat(status("PATCH", "/api/numbers/num_sandbox", "{\"away_message\":\"x\"}")).isEqualTo(409);
      List<String> ids = new ArrayList<>();
      for (String name : List.of("One", "Two")) {
        JsonNode a = call("POST", "/api/agents", "{\"name\":\"" + name + "\",\"webhook_url\":\"" + base
            + "/hook\",\"number_id\":\"num_sandbox\"}");
        assertThat(a.get("connect_url").isNull()).as(a.toString()).isTrue();
        ids.add(a.get("id").asString());
      }
      for (String id : ids) {
        assertThat(status("POST", "/api/agents/" + id + "/deploy", null)).as("deploy " + id).isEqualTo(200);
      }
      JsonNode unnumbered = call("POST", "/api/agents", "{\"name\":\"None\",\"webhook_url\":\"" + base
          + "/hook\"}");
      assertThat(unnumbered.get("number_id").isNull()).isTrue();
    }
  }

  private interface Check {
    boolean get() throws Exception;
  }

  private static boolean uncheck(Check c) {
    try {
      return c.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
