package dev.wabridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Agents that time out, fail, answer garbage or 10 MB, dribble their answer byte by byte, or are not there at
 * all: the conversation is never stuck, the fallback reaches the customer, the failure shows on the
 * conversation, and the next message is answered.
 */
class AgentMisbehaviourTest {
  static final String PNID = "4455667788";
  static final String SECRET = "misbehave-secret";
  static final Duration WAIT = Duration.ofSeconds(25);

  final MutableClock clock = new MutableClock(Instant.now());
  FakeServer graph;
  FakeServer agent;
  TestApp app;
  String agentId;

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> r.bodyText().contains("\"status\":\"read\"") ? Response.json(200, "{\"success\":true}")
        : Response.json(200, "{\"messages\":[{\"id\":\"wamid.A" + System.nanoTime() + "\"}]}"));
    agent = new FakeServer(r -> Response.json(200, "{\"content\":\"fine\"}"));
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of()));
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
    agentId = app.api("POST", "/api/agents", "{\"name\":\"X\",\"webhook_url\":\"" + agent.url() + "\",\"number_id\":\""
        + numberId + "\",\"timeout_seconds\":2,\"fallback_message\":\"Sorry, try again soon\"}").json().get("id")
        .asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  private List<String> sentTexts() {
    return graph.requests().stream().filter(r -> r.bodyText().contains("\"to\""))
        .map(r -> Json.parse(r.body()).get("text").get("body").asString()).toList();
  }

  private void write(String wamid, String text) {
    app.webhook(Meta.text(PNID, "15558000001", "Zoe", wamid, clock.millis() / 1000, text), SECRET);
  }

  private JsonNode inbound(String text) {
    String conv = app.api("GET", "/api/conversations", null).json().get("data").get(0).get("id").asString();
    for (JsonNode m : app.api("GET", "/api/conversations/" + conv + "/messages", null).json().get("data").values()) {
      if (text.equals(m.get("text").asString())) {
        return m;
      }
    }
    return null;
  }

  /** After a failure the fallback goes, the failure is on the message, and the next message gets through. */
  private void assertRecovered(String code) {
    Await.until("the fallback is sent", WAIT, () -> sentTexts().contains("Sorry, try again soon"));
    assertThat(inbound("hello").get("error").get("code").asString()).isEqualTo(code);
    agent.respondWith(r -> Response.json(200, "{\"content\":\"fine\"}"));
    write("wamid.NEXT", "next");
    Await.until("the next message is answered", WAIT, () -> sentTexts().contains("fine"));
  }

  @Test
  void aTenMegabyteAnswerIsRefused() {
    byte[] big = new byte[10 << 20];
    java.util.Arrays.fill(big, (byte) 'a');
    agent.respondWith(r -> new Response(200, "text/plain", big));
    write("wamid.BIG", "hello");
    assertRecovered("agent_response_too_large");
  }

  @Test
  void garbageCalledJsonIsAFailure() {
    agent.respondWith(r -> Response.json(200, "{\"type\": \"message\", \"content\": "));
    write("wamid.GARBAGE", "hello");
    assertRecovered("agent_bad_reply");
  }

  @Test
  void anHttp500IsAFinalFailure() {
    agent.respondWith(r -> Response.json(500, "{\"detail\":\"boom\"}"));
    write("wamid.500", "hello");
    assertRecovered("agent_http_500");
    assertThat(agent.requests().stream().filter(r -> r.bodyText().contains("\"hello\"")).count()).isEqualTo(1);
  }

  @Test
  void a503IsRetriedUnderTheSameDeliveryId() {
    AtomicInteger calls = new AtomicInteger();
    agent.respondWith(r -> calls.incrementAndGet() < 3 ? Response.json(503, "{}")
        : Response.json(200, "{\"content\":\"third time lucky\"}"));
    write("wamid.503", "hello");
    Await.until("the answer after two retries", WAIT, () -> {
      clock.advance(Duration.ofSeconds(10));
      return sentTexts().contains("third time lucky");
    });
    List<String> deliveries = agent.requests().stream().map(r -> r.header("X-Wabridge-Delivery")).distinct().toList();
    assertThat(agent.requests()).hasSize(3);
    assertThat(deliveries).hasSize(1);
  }

  @Test
  void anAgentThatIsNotThereIsRetriedThenTheFallbackGoes() {
    int closedPort = TestApp.freePort();
    app.api("PATCH", "/api/agents/" + agentId, "{\"webhook_url\":\"http://127.0.0.1:" + closedPort + "/hook\"}");
    write("wamid.GONE", "hello");
    Await.until("the fallback is sent", WAIT, () -> {
      clock.advance(Duration.ofSeconds(30));
      return sentTexts().contains("Sorry, try again soon");
    });
    assertThat(inbound("hello").get("error").get("code").asString()).isEqualTo("agent_unreachable");
    JsonNode calls = app.api("GET", "/api/agents/" + agentId + "/calls", null).json().get("data");
    assertThat(calls.size()).isEqualTo(5);
  }

  @Test
  void anAnswerDribbledByteByByteTimesOut() throws Exception {
    try (ServerSocket slow = new ServerSocket(0)) {
      Thread server = Thread.ofVirtual().start(() -> dribble(slow));
      app.api("PATCH", "/api/agents/" + agentId, "{\"webhook_url\":\"http://127.0.0.1:" + slow.getLocalPort() + "/\"}");
      write("wamid.SLOW", "hello");
      Await.until("the fallback is sent", WAIT, () -> sentTexts().contains("Sorry, try again soon"));
      assertThat(inbound("hello").get("error").get("code").asString()).isEqualTo("agent_timeout");
      server.interrupt();
    }
    app.api("PATCH", "/api/agents/" + agentId, "{\"webhook_url\":\"" + agent.url() + "\"}");
    write("wamid.AFTER", "next");
    Await.until("the next message is answered", WAIT, () -> sentTexts().contains("fine"));
  }

  private static void dribble(ServerSocket server) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      in.read(buf);
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int i = 0; i < 1000; i++) {
        out.write('{');
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException ignored) {
      // the client gave up, as it should
    }
  }
}
