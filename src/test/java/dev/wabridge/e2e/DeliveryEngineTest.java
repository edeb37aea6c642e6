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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The delivery engine against a Graph API that answers with each of Meta's error codes, and the agent side's
 * debounce and handoff. Backoff runs on an injected clock, moved forward instead of slept through.
 */
class DeliveryEngineTest {
  static final String PNID = "3344556677";
  static final String SECRET = "engine-secret";
  static final Duration WAIT = Duration.ofSeconds(20);

  final MutableClock clock = new MutableClock(Instant.now());
  final Map<String, AtomicInteger> attemptsByRecipient = new ConcurrentHashMap<>();
  volatile Function<Request, Response> sendBehaviour = r -> ok();
  FakeServer graph;
  FakeServer agent;
  TestApp app;
  String agentId;

  static Response ok() {
    return Response.json(200, "{\"messages\":[{\"id\":\"wamid.E" + System.nanoTime() + "\"}]}");
  }

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> {
      if (r.bodyText().contains("\"status\":\"read\"")) {
        return Response.json(200, "{\"success\":true}");
      }
      String to = Json.parse(r.body()).get("to").asString();
      attemptsByRecipient.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
      return sendBehaviour.apply(r);
    });
    agent = new FakeServer(r -> Response.json(200, "{\"content\":\"re: " + Json.parse(r.body()).get("message")
        .asString().replace("\n", "|") + "\"}"));
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of()));
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\","
        + "\"throughput_mps\":1000}").json().get("id").asString();
    agentId = app.api("POST", "/api/agents", "{\"name\":\"E\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + numberId + "\"}").json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  private void customerWrites(String from, String wamid, String text) {
    assertThat(app.webhook(Meta.text(PNID, from, "C", wamid, clock.millis() / 1000, text), SECRET).status())
        .isEqualTo(200);
  }

  private JsonNode lastMessage(String phone) {
    JsonNode convs = app.api("GET", "/api/conversations?phone_number=%2B" + phone, null).json().get("data");
    if (convs.isEmpty()) {
      return null;
    }
    JsonNode msgs = app.api("GET", "/api/conversations/" + convs.get(0).get("id").asString() + "/messages", null)
        .json().get("data");
    return msgs.get(msgs.size() - 1);
  }

  /** Moves the clock past each backoff until the condition holds. */
  private void advanceUntil(String what, java.util.function.BooleanSupplier done) {
    advanceUntil(what, Duration.ofSeconds(30), done);
  }

  private void advanceUntil(String what, Duration step, java.util.function.BooleanSupplier done) {
    Await.until(what, WAIT, () -> {
      if (done.getAsBoolean()) {
        return true;
      }
      clock.advance(step);
      return false;
    });
  }

  static Response metaError(int http, String code, String title) {
    return Response.json(http, "{\"error\":{\"message\":\"(#" + code + ") " + title + "\",\"type\":\"OAuthException\","
        + "\"code\":" + code + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"" + title + "\"},"
        + "\"fbtrace_id\":\"x\"}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"130429", "131056", "80007", "4", "131000", "131016", "http500", "http503"})
  void throttlingAndTransientErrorsAreRetriedAndDeliverOnce(String code) {
    sendBehaviour = r -> attemptsByRecipient.get(Json.parse(r.body()).get("to").asString()).get() == 1
        ? (code.startsWith("http") ? new Response(Integer.parseInt(code.substring(4)), "text/html",
        "<html>oops</html>".getBytes()) : metaError(code.equals("4") || code.equals("80007") ? 429 : 400, code,
        "Rate limit hit")) : ok();
    customerWrites("15557000001", "wamid.R" + code, "hello");
    advanceUntil("the reply is sent after a retry", () -> {
      JsonNode m = lastMessage("15557000001");
      return m != null && "outbound".equals(m.get("direction").asString()) && "sent".equals(m.get("status").asString());
    });
    assertThat(attemptsByRecipient.get("+15557000001").get()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"131047", "131026", "100", "190", "368", "131053"})
  void permanentErrorsFailAtOnceWithMetasCode(String code) {
    sendBehaviour = r -> metaError(code.equals("190") ? 401 : code.equals("368") ? 403 : 400, code, "Permanent " + code);
    customerWrites("15557000002", "wamid.P" + code, "hello");
    JsonNode failed = Await.value("the reply fails", WAIT, () -> {
      JsonNode m = lastMessage("15557000002");
      return m != null && "failed".equals(m.get("status").asString()) ? m : null;
    });
    assertThat(failed.get("error").get("code").asString()).isEqualTo(code);
    assertThat(failed.get("error").get("message").asString()).contains("Permanent " + code);
    assertThat(attemptsByRecipient.get("+15557000002").get()).isEqualTo(1);
  }

  @Test
  void aMessageNeverRetriesPastItsDeadline() {
    sendBehaviour = r -> metaError(400, "131000", "Something went wrong");
    customerWrites("15557000003", "wamid.DL", "hello");
    advanceUntil("the reply fails at its deadline", Duration.ofMinutes(10), () -> {
      JsonNode m = lastMessage("15557000003");
      return m != null && "failed".equals(m.get("status").asString());
    });
    JsonNode failed = lastMessage("15557000003");
    assertThat(failed.get("error").get("code").asString()).isIn("131000", "deadline_exceeded", "window_closed");
  }

  @Test
  void quickMessagesWithinTheDebounceGapBecomeOneCall() {
    app.api("PATCH", "/api/agents/" + agentId, "{\"debounce_ms\":3000}");
    customerWrites("15557000004", "wamid.D1", "I want");
    customerWrites("15557000004", "wamid.D2", "to change");
    customerWrites("15557000004", "wamid.D3", "my order");
    assertThat(agent.requests()).isEmpty();
    clock.advance(Duration.ofMillis(3_100));
    Await.until("one merged call", WAIT, () -> agent.requests().size() == 1);
    JsonNode payload = Json.parse(agent.requests().getFirst().body());
    assertThat(payload.get("message").asString()).isEqualTo("I want\nto change\nmy order");
    assertThat(payload.get("merged").size()).isEqualTo(3);
    Await.until("one reply", WAIT, () -> attemptsByRecipient.containsKey("+15557000004"));
    assertThat(agent.requests()).hasSize(1);
  }

  @Test
  void whileHandedOffTheAgentIsSilentAndTheBusinessCanWrite() {
    customerWrites("15557000005", "wamid.H1", "first");
    Await.until("agent answers", WAIT, () -> agent.requests().size() == 1);
    String conv = app.api("GET", "/api/conversations?phone_number=%2B15557000005", null).json().get("data").get(0)
        .get("id").asString();
    assertThat(app.api("POST", "/api/conversations/" + conv + "/handoff", null).json().get("handoff").asBoolean())
        .isTrue();
    customerWrites("15557000005", "wamid.H2", "I want a person");
    TestApp.Reply sent = app.api("POST", "/api/conversations/" + conv + "/messages",
        "{\"type\":\"message\",\"content\":\"Hi, this is Sam from support\"}");
    assertThat(sent.status()).isEqualTo(202);
    Await.until("the business message is sent", WAIT, () -> graph.requests().stream()
        .anyMatch(r -> r.bodyText().contains("Sam from support")));
    assertThat(agent.requests()).hasSize(1);
    app.api("POST", "/api/conversations/" + conv + "/resume", null);
    customerWrites("15557000005", "wamid.H3", "thanks, bot again");
    Await.until("agent answers again", WAIT, () -> agent.requests().size() == 2);
    assertThat(Json.parse(agent.requests().get(1).body()).get("message").asString()).isEqualTo("thanks, bot again");
  }

  @Test
  void paceBeforeSendingOneCustomersLongBurst() {
    agent.respondWith(r -> Response.json(200, "[" + String.join(",", java.util.Collections.nCopies(50, "\"part\""))
        + "]"));
    customerWrites("15557000006", "wamid.B1", "tell me everything");
    Await.until("the burst of 45 goes at once", WAIT, () -> attemptsByRecipient.containsKey("+15557000006")
        && attemptsByRecipient.get("+15557000006").get() == 45);
    assertThat(attemptsByRecipient.get("+15557000006").get()).isEqualTo(45);
    advanceUntil("the rest follow at the pair rate", () -> attemptsByRecipient.get("+15557000006").get() == 50);
    List<Request> sends = graph.requests().stream().filter(r -> r.bodyText().contains("\"to\"")).toList();
    assertThat(sends).hasSize(50);
  }
}
