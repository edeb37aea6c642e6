package dev.wabridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.TestApp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, finding 3: "The sandbox leaks between workspaces. Sandbox phones are global; a reply is filed under
 * whichever agent the phone joined last. Tenant A's reply ("refund approved #A-777") showed in tenant B's
 * {@code GET /sandbox/api/messages}, and an error message disclosed A's agent id."
 *
 * <p>Two tenants chat through the shared sandbox number from the same customer number. Each tenant's agent is a
 * loopback server (allowed by {@code WABRIDGE_AGENT_NETWORK_ALLOWLIST}, as an operator would for a local test).
 */
class SandboxIsolationSecurityTest {
  private static final String PHONE = "+15550007777";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final CopyOnWriteArrayList<JsonNode> callsToA = new CopyOnWriteArrayList<>();
  private FakeServer agentA;
  private FakeServer agentB;
  private TestApp app;
  private Tenant a;
  private Tenant b;

  private record Tenant(String key, String agentId) {
  }

  @BeforeEach
  void start() {
    // A answers later, through its reply_callback; B answers at once.
    agentA = new FakeServer(r -> {
      callsToA.add(Json.parse(r.body()));
      return FakeServer.Response.json(200, "{\"type\":\"none\"}");
    });
    agentB = new FakeServer(r -> FakeServer.Response.json(200, "{\"type\":\"message\",\"content\":\"hello from B\"}"));
    app = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", InstantSource.system(),
        Map.of("WABRIDGE_SANDBOX", "true", "WABRIDGE_AGENT_NETWORK_ALLOWLIST", "127.0.0.1/32")));
    a = tenant("Tenant A", agentA.url());
    b = tenant("Tenant B", agentB.url());
  }

  @AfterEach
  void stop() {
    app.close();
    agentA.close();
    agentB.close();
  }

  @Test
  void aReplyIsFiledUnderTheAgentThatSentItNotThePhonesLastJoin() {
    write(a, "I want a refund");
    JsonNode call = Await.value("A's agent is called", WAIT, () -> callsToA.isEmpty() ? null : callsToA.getFirst());
    // The same customer number now writes to B's agent: under the old code the phone "joined" B.
    write(b, "hi B");
    awaitText(b, "hello from B");

    String callback = call.get("reply_callback").asString();
    TestApp.Reply posted = app.request("POST", callback.substring(app.url().length()),
        "{\"type\":\"message\",\"content\":\"refund approved #A-777\"}", null, "application/json", Map.of());
    assertThat(posted.status()).as(posted.body()).isEqualTo(202);

    awaitText(a, "refund approved #A-777");
    assertThat(chat(b, b.agentId()).toString()).doesNotContain("A-777").contains("hello from B");
    assertThat(chat(a, a.agentId()).toString()).doesNotContain("hello from B");
    // Read without naming the agent: B's phone shows B's own chat, never A's.
    TestApp.Reply joined = app.request("GET", "/sandbox/api/messages?from=" + enc(PHONE), null, b.key(), null,
        Map.of());
    assertThat(joined.status()).as(joined.body()).isEqualTo(200);
    assertThat(joined.body()).doesNotContain("A-777").doesNotContain(a.agentId());
  }

  /** Final read: the contract says GET works on the shared number for every workspace; a tenant got 404. */
  @Test
  void everyWorkspaceReadsTheSharedNumberButCannotChangeIt() {
    TestApp.Reply read = app.request("GET", "/api/numbers/num_sandbox", null, b.key(), null, Map.of());
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).doesNotContain("access_token\":\"EAA").doesNotContain("app_secret\":\"");
    TestApp.Reply change = app.request("PATCH", "/api/numbers/num_sandbox", "{\"away_message\":\"x\"}", b.key(),
        "application/json", Map.of());
    assertThat(change.status()).as(change.body()).isEqualTo(409);
  }

  @Test
  void noErrorNamesAnotherWorkspacesAgent() {
    write(a, "hello A");
    Await.until("A's agent is called", WAIT, () -> !callsToA.isEmpty());
    // B's key has never used this number: the answer names nothing of A's.
    TestApp.Reply r = app.request("GET", "/sandbox/api/messages?from=" + enc(PHONE), null, b.key(), null, Map.of());
    assertThat(r.status()).isBetween(400, 499);
    assertThat(r.body()).doesNotContain(a.agentId());
    TestApp.Reply other = app.request("GET", "/sandbox/api/messages?from=" + enc(PHONE) + "&agent_id=" + a.agentId(),
        null, b.key(), null, Map.of());
    assertThat(other.status()).isEqualTo(404);
    TestApp.Reply write = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + a.agentId()
        + "\",\"from\":\"" + PHONE + "\",\"text\":\"hi\"}", b.key(), "application/json", Map.of());
    assertThat(write.status()).isEqualTo(404);
    assertThat(callsToA).hasSize(1);
  }

  /**
   * Review finding: Meta's media ids were remembered per number, and the sandbox number is shared, so the demo
   * agent's photo reached only the first workspace that asked for it; the second got "not a valid media id".
   */
  @Test
  void twoWorkspacesEachGetTheDemoAgentsPhoto() {
    for (Tenant t : java.util.List.of(a, b)) {
      TestApp.Reply demo = app.request("POST", "/sandbox/api/demo-agent", "{}", t.key(), "application/json",
          Map.of());
      assertThat(demo.status()).as(demo.body()).isEqualTo(201);
      String demoId = demo.json().get("id").asString();
      assertThat(app.request("POST", "/api/agents/" + demoId + "/deploy", null, t.key(), null, Map.of()).status())
          .isEqualTo(200);
      Tenant withDemo = new Tenant(t.key(), demoId);
      write(withDemo, "image");
      Await.until("the demo agent's photo in " + demoId + "'s chat", WAIT, () -> {
        TestApp.Reply r = app.request("GET", "/sandbox/api/messages?agent_id=" + demoId + "&from=" + enc(PHONE),
            null, t.key(), null, Map.of());
        return r.status() == 200 && r.json().get("data").valueStream().anyMatch(x ->
            x.get("direction").asString().equals("outbound") && x.get("type").asString().equals("image"));
      });
    }
  }

  /** Review finding: "a read key changes state": looking at the phone read the business's messages. */
  @Test
  void aReadKeyLooksAtThePhoneWithoutReadingTheMessages() {
    write(a, "hello");
    JsonNode call = Await.value("A's agent is called", WAIT, () -> callsToA.isEmpty() ? null : callsToA.getFirst());
    String callback = call.get("reply_callback").asString();
    assertThat(app.request("POST", callback.substring(app.url().length()), "{\"type\":\"message\",\"content\":"
        + "\"answer\"}", null, "application/json", Map.of()).status()).isEqualTo(202);
    TestApp.Reply made = app.request("POST", "/api/keys", "{\"name\":\"viewer\",\"scope\":\"read\"}", a.key(),
        "application/json", Map.of());
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    String reader = made.json().get("key").asString();
    String path = "/sandbox/api/messages?agent_id=" + a.agentId() + "&from=" + enc(PHONE);
    Await.until("the answer delivered, as the reader sees it", WAIT, () -> {
      TestApp.Reply r = app.request("GET", path, null, reader, null, Map.of());
      return r.status() == 200 && r.json().get("data").valueStream().anyMatch(x -> "outbound".equals(
          x.get("direction").asString()) && "delivered".equals(x.get("status").asString()));
    });
    assertThat(answerStatus(app.request("GET", path, null, reader, null, Map.of()))).isEqualTo("delivered");
    // The workspace's own (full) key looking is the customer reading it.
    assertThat(answerStatus(app.request("GET", path, null, a.key(), null, Map.of()))).isEqualTo("read");
  }

  private static String answerStatus(TestApp.Reply phone) {
    return phone.json().get("data").valueStream().filter(x -> "outbound".equals(x.get("direction").asString()))
        .map(x -> x.get("status").asString()).findFirst().orElseThrow();
  }

  private Tenant tenant(String name, String webhookUrl) {
    TestApp.Reply ws = app.api("POST", "/api/workspaces", "{\"name\":\"" + name + "\"}");
    assertThat(ws.status()).as(ws.body()).isEqualTo(201);
    String key = ws.json().get("api_key").asString();
    TestApp.Reply agent = app.request("POST", "/api/agents", "{\"name\":\"" + name + " bot\",\"webhook_url\":\""
        + webhookUrl + "\",\"number_id\":\"num_sandbox\",\"timeout_seconds\":10}", key, "application/json", Map.of());
    assertThat(agent.status()).as(agent.body()).isEqualTo(201);
    String id = agent.json().get("id").asString();
    TestApp.Reply deployed = app.request("POST", "/api/agents/" + id + "/deploy", null, key, null, Map.of());
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
    return new Tenant(key, id);
  }

  private void write(Tenant t, String text) {
    TestApp.Reply r = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + t.agentId() + "\",\"from\":\""
        + PHONE + "\",\"name\":\"Kerry\",\"text\":\"" + text + "\"}", t.key(), "application/json", Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
  }

  private JsonNode chat(Tenant t, String agentId) {
    TestApp.Reply r = app.request("GET", "/sandbox/api/messages?agent_id=" + agentId + "&from=" + enc(PHONE), null,
        t.key(), null, Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("data");
  }

  /** Polls the tenant's chat (a rate-limited answer is just not yet) until the text shows. */
  private void awaitText(Tenant t, String text) {
    Await.until(text + " in " + t.agentId() + "'s chat", WAIT, () -> {
      TestApp.Reply r = app.request("GET", "/sandbox/api/messages?agent_id=" + t.agentId() + "&from=" + enc(PHONE),
          null, t.key(), null, Map.of());
      return r.status() == 200 && r.body().contains(text);
    });
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
