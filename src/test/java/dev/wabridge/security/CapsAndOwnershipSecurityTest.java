package dev.wabridge.security;

import dev.wabridge.config.Tuning;
import dev.wabridge.sandbox.SandboxPlugin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestApp;
import dev.wabridge.whatsapp.PhoneNumberLookup;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11 ("Trust"), caps and ownership: finding 4 (second half: any key rewrote {@code num_sandbox}), finding 7
 * (no caps where they matter) and finding 8 (squatting a phone_number_id). Each test names its finding and failed
 * on the code before the fix.
 */
class CapsAndOwnershipSecurityTest {
  static final String PNID = "106540352242922";
  static final String SECRET = "caps-app-secret";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String META_BAD_TOKEN = "{\"error\":{\"message\":\"Invalid OAuth access token - Cannot parse access "
      + "token\",\"type\":\"OAuthException\",\"code\":190,\"fbtrace_id\":\"Abc\"}}";
  static final String META_CANNOT_SEE = "{\"error\":{\"message\":\"Unsupported get request. Object with ID '" + PNID
      + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please "
      + "read the Graph API documentation at https://developers.facebook.com/docs/graph-api\",\"type\":"
      + "\"GraphMethodException\",\"code\":100,\"error_subcode\":33,\"fbtrace_id\":\"Abc\"}}";

  final MutableClock clock = new MutableClock(Instant.now());
  final List<AutoCloseable> open = new ArrayList<>();
  FakeServer graph;
  FakeServer agent;
  TestApp app;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T open(T c) {
    open.add(c);
    return c;
  }

  /** A wabridge on a fake Graph that accepts sends, with an agent that answers nothing unless told. */
  private void start(Map<String, String> env) {
    start(false, env);
  }

  private void start(boolean postgres, Map<String, String> env) {
    // Tenants' agents here are loopback servers: the operator lists them, as for a local test.
    Map<String, String> withAllowlist = new java.util.HashMap<>(env);
    withAllowlist.put("WABRIDGE_AGENT_NETWORK_ALLOWLIST", "127.0.0.1/32");
    graph = open(new FakeServer(r -> r.bodyText().contains("\"status\":\"read\"")
        ? Response.json(200, "{\"success\":true}")
        : Response.json(200, "{\"messages\":[{\"id\":\"wamid.S" + System.nanoTime() + "\"}]}")));
    agent = open(new FakeServer(r -> new Response(204, null, null)));
    app = open(new TestApp(new TestApp.Setup(postgres, graph.url(), clock, withAllowlist)));
  }

  private TestApp sandboxApp() {
    return open(new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", clock, Map.of("WABRIDGE_SANDBOX", "true"))));
  }

  /** A tenant's workspace (made by the admin); returns its API key. */
  private String tenant(String name) {
    TestApp.Reply w = app.api("POST", "/api/workspaces", "{\"name\":\"" + name + "\"}");
    assertThat(w.status()).as(w.body()).isEqualTo(201);
    return w.json().get("api_key").asString();
  }

  private TestApp.Reply call(String method, String path, String body, String key) {
    return app.request(method, path, body, key, "application/json", Map.of());
  }

  private TestApp.Reply registerNumber(String key, String pnid, String token) {
    return call("POST", "/api/numbers", "{\"phone_number_id\":\"" + pnid + "\",\"display_phone_number\":"
        + "\"+1 555 0100\",\"access_token\":\"" + token + "\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v-"
        + pnid + "\"}", key);
  }

  /** A number with a deployed agent in the key's workspace, and a conversation a customer opened on it. */
  private String conversation(String key, String pnid) {
    TestApp.Reply n = registerNumber(key, pnid, "EAAG-good");
    assertThat(n.status()).as(n.body()).isEqualTo(201);
    TestApp.Reply a = call("POST", "/api/agents", "{\"name\":\"Bot\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + n.json().get("id").asString() + "\"}", key);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    call("POST", "/api/agents/" + a.json().get("id").asString() + "/deploy", null, key);
    customerWrites(pnid, "wamid.IN" + System.nanoTime(), "hello");
    return Await.value("the conversation", WAIT, () -> {
      JsonNode data = call("GET", "/api/conversations", null, key).json().get("data");
      return data.isEmpty() ? null : data.get(0).get("id").asString();
    });
  }

  private void customerWrites(String pnid, String wamid, String text) {
    assertThat(app.webhook(Meta.text(pnid, "15557001000", "Kim", wamid, clock.millis() / 1000, text), SECRET)
        .status()).isEqualTo(200);
  }

  private List<JsonNode> outbound(String key, String conv) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode m : call("GET", "/api/conversations/" + conv + "/messages?limit=200", null, key).json().get("data")
        .values()) {
      if (m.get("direction").asString().equals("outbound")) {
        out.add(m);
      }
    }
    return out;
  }

  /** The path of the reply_callback the agent was given. */
  private String replyCallback() {
    FakeServer.Request first = Await.value("the agent is called", WAIT, () -> agent.requests().isEmpty() ? null
        : agent.requests().getFirst());
    return URI.create(Json.parse(first.body()).get("reply_callback").asString()).getPath();
  }

  private static String texts(int n) {
    return "[" + String.join(",", Collections.nCopies(n, "\"m\"")) + "]";
  }

  private static void assertError(TestApp.Reply r, int status, String code, String... mentions) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("error").get("code").asString()).isEqualTo(code);
    for (String m : mentions) {
      assertThat(r.json().get("error").get("message").asString()).contains(m);
    }
  }

  // Finding 4 (second half): a non-admin key of the default workspace could PATCH num_sandbox's app secret and
  // then forge sandbox webhooks for every tenant.
  @Test
  void finding4_noKeyMayChangeOrDeleteTheSandboxNumber() {
    TestApp sandbox = sandboxApp();
    String before = sandbox.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number().appSecret();
    TestApp.Reply key = sandbox.api("POST", "/api/keys", "{\"name\":\"ops\"}");
    String full = key.json().get("key").asString();
    for (String k : List.of(full, TestApp.ADMIN_KEY)) {
      TestApp.Reply patch = sandbox.request("PATCH", "/api/numbers/num_sandbox", "{\"app_secret\":\"forged\","
          + "\"access_token\":\"EAAG-mine\"}", k, "application/json", Map.of());
      assertError(patch, 409, "system_number", "num_sandbox", "belongs to the system");
      assertError(sandbox.request("DELETE", "/api/numbers/num_sandbox", null, k, null, Map.of()), 409,
          "system_number");
    }
    assertThat(sandbox.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number().appSecret()).isEqualTo(before);
    TestApp.Reply get = sandbox.api("GET", "/api/numbers/num_sandbox", null);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body()).doesNotContain(before).doesNotContain(
        sandbox.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number().accessToken());
  }

  // Finding 7: "One POST /api/conversations/{id}/messages with 20,000 messages queued all of them."
  @Test
  void finding7_aSendOfMoreThanFiftyMessagesIsRefusedWholeAndQueuesNothing() {
    start(Map.of());
    String conv = conversation(TestApp.ADMIN_KEY, PNID);
    assertError(call("POST", "/api/conversations/" + conv + "/messages", texts(20_000), TestApp.ADMIN_KEY), 422,
        "too_many_messages", "at most 50");
    assertError(call("POST", "/api/conversations/" + conv + "/messages", "{\"type\":\"text\",\"content\":\""
        + "x".repeat(51 * 4096) + "\"}", TestApp.ADMIN_KEY), 422, "too_many_messages", "4096");
    assertThat(outbound(TestApp.ADMIN_KEY, conv)).isEmpty();
    TestApp.Reply fifty = call("POST", "/api/conversations/" + conv + "/messages", texts(50), TestApp.ADMIN_KEY);
    assertThat(fifty.status()).as(fifty.body()).isEqualTo(202);
    assertThat(fifty.json().get("messages").size()).isEqualTo(50);
  }

  // Finding 7: the same cap on a reply_callback body.
  @Test
  void finding7_aReplyCallbackOfMoreThanFiftyMessagesIsRefused() {
    start(Map.of());
    String conv = conversation(TestApp.ADMIN_KEY, PNID);
    TestApp.Reply r = app.request("POST", replyCallback(), texts(51), null, "application/json", Map.of());
    assertError(r, 422, "too_many_messages", "at most 50");
    assertThat(outbound(TestApp.ADMIN_KEY, conv)).isEmpty();
  }

  // Finding 7: an agent's own answer, already accepted, can no longer queue thousands: the first 50 go, the rest
  // is recorded as dropped on the conversation and on the agent's call.
  @Test
  void finding7_anAgentAnsweringThousandsSendsFiftyAndRecordsTheRestAsDropped() {
    start(Map.of());
    agent.respondWith(r -> Response.json(200, texts(2_000)));
    String conv = conversation(TestApp.ADMIN_KEY, PNID);
    List<JsonNode> out = Await.value("the reply is stored", WAIT, () -> {
      List<JsonNode> o = outbound(TestApp.ADMIN_KEY, conv);
      return o.size() >= 51 ? o : null;
    });
    assertThat(out).hasSize(51);
    List<JsonNode> dropped = out.stream().filter(m -> m.get("status").asString().equals("failed")).toList();
    assertThat(dropped).hasSize(1);
    assertThat(dropped.getFirst().get("error").get("code").asString()).isEqualTo("too_many_messages");
    assertThat(dropped.getFirst().get("error").get("message").asString()).contains("first 50", "at most 50");
    String agentId = call("GET", "/api/conversations/" + conv, null, TestApp.ADMIN_KEY).json().get("agent_id")
        .asString();
    JsonNode call = call("GET", "/api/agents/" + agentId + "/calls", null, TestApp.ADMIN_KEY).json().get("data").get(0);
    assertThat(call.get("outcome").asString()).isEqualTo("too_many_messages");
    assertThat(call.get("error").asString()).contains("at most 50");
  }

  // Finding 7: "reply callbacks … are not rate limited."
  @Test
  void finding7_replyCallbacksAreRateLimitedPerConversation() {
    start(Map.of());
    conversation(TestApp.ADMIN_KEY, PNID);
    String callback = replyCallback();
    for (int i = 0; i < 100; i++) {
      assertThat(app.request("POST", callback, null, null, null, Map.of()).status()).isEqualTo(202);
    }
    TestApp.Reply limited = app.request("POST", callback, null, null, null, Map.of());
    assertError(limited, 429, "rate_limited", "this conversation");
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 10);
    clock.advance(Duration.ofSeconds(10));
    assertThat(app.request("POST", callback, null, null, null, Map.of()).status()).isEqualTo(202);
  }

  // Finding 7: "/sandbox/api [is] not rate limited." The lead's ApiAuth.require (base commit) already limits it per
  // key; this proves it, and that a burst without a valid key neither passes nor spends a key's budget.
  @Test
  void finding7_theSandboxApiIsRateLimitedPerKeyAndUnauthenticatedBurstsSpendNothing() {
    TestApp sandbox = sandboxApp();
    for (int i = 0; i < 300; i++) {
      // Nine different wrong keys, again and again: a tenth would lock this address out (AuthThrottleSecurityTest).
      String key = i % 2 == 0 ? null : "wab_guess_" + i % 9;
      assertThat(sandbox.request("GET", "/sandbox/api/agents", null, key, null, Map.of()).status()).isEqualTo(401);
    }
    for (int i = 0; i < 100; i++) {
      assertThat(sandbox.request("GET", "/sandbox/api/agents", null, TestApp.ADMIN_KEY, null, Map.of()).status())
          .isEqualTo(200);
    }
    TestApp.Reply limited = sandbox.request("GET", "/sandbox/api/agents", null, TestApp.ADMIN_KEY, null, Map.of());
    assertError(limited, 429, "rate_limited");
    assertThat(limited.header("Retry-After")).isNotNull();
  }

  // Finding 7: "per-workspace quotas for numbers, agents and queued messages" did not exist.
  @Test
  void finding7_numbersAndAgentsHaveAQuotaPerWorkspaceButNotForTheOperator() {
    start(Map.of("WABRIDGE_QUOTA_NUMBERS", "1", "WABRIDGE_QUOTA_AGENTS", "1"));
    String key = tenant("acme");
    assertThat(registerNumber(key, "2001", "EAAG-good").status()).isEqualTo(201);
    assertError(registerNumber(key, "2002", "EAAG-good"), 422, "quota_exceeded", "1 numbers",
        "WABRIDGE_QUOTA_NUMBERS");
    assertThat(graph.lookups()).as("refused before asking Meta").hasSize(1);
    String agentBody = "{\"name\":\"a\",\"webhook_url\":\"" + agent.url() + "\"}";
    assertThat(call("POST", "/api/agents", agentBody, key).status()).isEqualTo(201);
    assertError(call("POST", "/api/agents", agentBody, key), 422, "quota_exceeded", "1 agents",
        "WABRIDGE_QUOTA_AGENTS");
    for (String pnid : List.of("3001", "3002")) {
      assertThat(registerNumber(TestApp.ADMIN_KEY, pnid, "EAAG-good").status()).isEqualTo(201);
      assertThat(app.api("POST", "/api/agents", agentBody).status()).isEqualTo(201);
    }
  }

  // Review finding: each key has its own rate limit, so minting keys multiplied a workspace's budget.
  @Test
  void aWorkspaceCannotMultiplyItsRateLimitByMintingKeys() {
    start(Map.of());
    String key = tenant("acme");
    // The workspace's first key counts: 49 more, then the cap.
    for (int i = 1; i < dev.wabridge.auth.WorkspaceQuotas.MAX_KEYS; i++) {
      assertThat(call("POST", "/api/keys", "{\"name\":\"k" + i + "\"}", key).status()).isEqualTo(201);
      if (i % 40 == 0) {
        clock.advance(java.time.Duration.ofSeconds(11)); // past the key's own rate limit window
      }
    }
    assertError(call("POST", "/api/keys", "{\"name\":\"one too many\"}", key), 422, "quota_exceeded", "50 API keys");
  }

  // Finding 7: a workspace's queued sends have a quota: the API answers 429 queue_full and queues nothing; an
  // agent's reply over it is kept as failed messages that name the quota. (Both databases: the count is SQL.)
  @ParameterizedTest(name = "postgres={0}")
  @ValueSource(booleans = {false, true})
  void finding7_queuedMessagesHaveAQuotaPerWorkspace(boolean postgres) {
    start(postgres, Map.of("WABRIDGE_QUOTA_QUEUED_MESSAGES", "3"));
    String key = tenant("acme");
    String conv = conversation(key, PNID);
    Map<String, String> once = Map.of("Idempotency-Key", "first-three");
    TestApp.Reply three = app.request("POST", replyCallback(), texts(3), null, "application/json", once);
    assertThat(three.status()).as(three.body()).isEqualTo(202);
    TestApp.Reply full = call("POST", "/api/conversations/" + conv + "/messages", texts(1), key);
    assertError(full, 429, "queue_full", "quota is 3", "WABRIDGE_QUOTA_QUEUED_MESSAGES", "nothing was queued");
    assertThat(full.header("Retry-After")).isEqualTo("5");
    TestApp.Reply retried = app.request("POST", replyCallback(), texts(3), null, "application/json", once);
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    assertThat(retried.json().findValuesAsString("id")).as("a retry gets its first answer (its messages, each with "
        + "its status now), full queue or not").isEqualTo(three.json().findValuesAsString("id"));
    assertThat(outbound(key, conv)).hasSize(3);
    Await.until("the three are sent", WAIT, () -> outbound(key, conv).stream()
        .allMatch(m -> m.get("status").asString().equals("sent")));
    clock.advance(Duration.ofSeconds(2));
    assertThat(call("POST", "/api/conversations/" + conv + "/messages", texts(1), key).status())
        .as("the queue emptied; seen within a second").isEqualTo(202);

    agent.respondWith(r -> Response.json(200, texts(5)));
    customerWrites(PNID, "wamid.Q2", "tell me five things");
    List<JsonNode> refused = Await.value("the agent's reply is kept as failed", WAIT, () -> {
      List<JsonNode> f = outbound(key, conv).stream().filter(m -> m.get("error") != null
          && !m.get("error").isNull() && m.get("error").get("code").asString().equals("quota_exceeded")).toList();
      return f.size() == 5 ? f : null;
    });
    assertThat(refused.getFirst().get("error").get("message").asString()).contains("WABRIDGE_QUOTA_QUEUED_MESSAGES");
    assertThat(refused.getFirst().get("text").asString()).isEqualTo("m");
  }

  // Finding 8: "Anyone who registers a phone_number_id first, with any token, blocks its real owner."
  @Test
  void finding8_aTokenMetaRefusesCannotRegisterANumber() {
    start(Map.of());
    String key = tenant("squatter");
    Map<String, String> messages = new HashMap<>();
    for (String metaAnswer : List.of(META_BAD_TOKEN, META_CANNOT_SEE)) {
      graph.numberLookups(r -> Response.json(metaAnswer.contains("190") ? 401 : 400, metaAnswer));
      TestApp.Reply r = registerNumber(key, PNID, "EAAG-not-for-this-number");
      assertError(r, 422, "token_cannot_access_number", PNID);
      messages.put(metaAnswer, r.json().get("error").get("message").asString());
    }
    TestApp.Reply unsendable = registerNumber(key, PNID, "EAAG\\r\\nX-Injected: 1");
    assertError(unsendable, 422, "token_cannot_access_number");
    messages.put("a token no header can carry", unsendable.json().get("error").get("message").asString());
    assertThat(new HashSet<>(messages.values())).as("one answer whatever Meta said").hasSize(1);
    assertThat(call("GET", "/api/numbers", null, key).json().get("data").size()).isZero();
    FakeServer.Request lookup = graph.lookups().getLast();
    assertThat(lookup.path()).isEqualTo("/v23.0/" + PNID);
    assertThat(lookup.header("Authorization")).isEqualTo("Bearer EAAG-not-for-this-number");
  }

  // Finding 8: "… and the 409 tells them the id exists." A registered id now answers exactly as a bad token does.
  @Test
  void finding8_aRegisteredIdAnswersExactlyAsABadTokenDoes() {
    start(Map.of());
    assertThat(registerNumber(tenant("owner"), PNID, "EAAG-owner").status()).isEqualTo(201);
    String other = tenant("other");
    TestApp.Reply taken = registerNumber(other, PNID, "EAAG-readable-too");
    graph.numberLookups(r -> Response.json(401, META_BAD_TOKEN));
    TestApp.Reply bad = registerNumber(other, PNID, "EAAG-bad");
    assertThat(taken.status()).isEqualTo(422);
    assertThat(taken.body()).isEqualTo(bad.body()).doesNotContain("exist").doesNotContain("already");
    assertThat(registerNumber(TestApp.ADMIN_KEY, PNID, "EAAG-bad").body()).isEqualTo(bad.body());
  }

  // Finding 8: Meta not answering is not a verdict on the token: 502, retry, nothing saved.
  @Test
  void finding8_whenMetaCannotBeAskedTheCallerIsToldToRetry() {
    start(Map.of());
    graph.numberLookups(r -> Response.json(503, "{\"error\":{\"message\":\"(#2) Service temporarily unavailable\","
        + "\"type\":\"OAuthException\",\"code\":2,\"is_transient\":true}}"));
    assertError(registerNumber(TestApp.ADMIN_KEY, PNID, "EAAG-good"), 502, "graph_unavailable", "retry");
    graph.close();
    assertError(registerNumber(TestApp.ADMIN_KEY, PNID, "EAAG-good"), 502, "graph_unavailable", "retry");
    assertThat(app.api("GET", "/api/numbers", null).json().get("data").size()).isZero();
  }

  // Finding 8: a new access_token is checked too, or a PATCH would do what a POST no longer can.
  @Test
  void finding8_aNewAccessTokenMustReadTheNumberToo() {
    start(Map.of());
    String key = tenant("acme");
    String id = registerNumber(key, PNID, "EAAG-good").json().get("id").asString();
    graph.numberLookups(r -> Response.json(400, META_CANNOT_SEE));
    assertError(call("PATCH", "/api/numbers/" + id, "{\"access_token\":\"EAAG-other\"}", key), 422,
        "token_cannot_access_number");
    assertThat(graph.lookups().getLast().header("Authorization")).isEqualTo("Bearer EAAG-other");
    assertThat(call("PATCH", "/api/numbers/" + id, "{\"throughput_mps\":10}", key).status())
        .as("other fields need no Graph call").isEqualTo(200);
  }

  // Not a finding: with Meta asked anyway, a left-out display_phone_number comes from Meta's answer.
  @Test
  void ownership_theDisplayNumberComesFromMetaWhenLeftOut() {
    start(Map.of());
    TestApp.Reply r = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"access_token\":\"t\","
        + "\"app_secret\":\"s\",\"verify_token\":\"v\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("display_phone_number").asString()).isEqualTo("+1 555-000-1111");
  }

  // Finding 8: the sandbox's simulated Graph answers the ownership lookup as Meta does, so the check works there.
  @Test
  void finding8_theSandboxGraphAnswersTheNumberLookupLikeMeta() {
    TestApp sandbox = sandboxApp();
    var number = sandbox.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number();
    String base = sandbox.url() + "/sandbox/graph/v23.0";
    try (PhoneNumberLookup lookup = new PhoneNumberLookup(base, "test", Tuning.DEFAULTS.graph().numberLookup())) {
      var readable = lookup.lookup(number.accessToken(), number.phoneNumberId());
      assertThat(readable).isInstanceOf(PhoneNumberLookup.Readable.class);
      assertThat(((PhoneNumberLookup.Readable) readable).displayPhoneNumber()).isEqualTo(number.displayPhoneNumber());
      var badToken = lookup.lookup("EAAG-wrong", number.phoneNumberId());
      assertThat(((PhoneNumberLookup.Refused) badToken).error().code()).isEqualTo("190");
      var other = lookup.lookup(number.accessToken(), PNID);
      assertThat(((PhoneNumberLookup.Refused) other).error().code()).isEqualTo("100");
    }
    TestApp.Reply raw = sandbox.request("GET", "/sandbox/graph/v23.0/" + PNID, null, number.accessToken(), null,
        Map.of());
    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.json().get("error").get("error_subcode").asInt()).isEqualTo(33);
    assertThat(raw.json().get("error").get("message").asString()).startsWith("Unsupported get request. Object with ID '"
        + PNID + "' does not exist");
  }
}
