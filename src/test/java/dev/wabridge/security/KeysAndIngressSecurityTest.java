package dev.wabridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.config.Tuning;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11 ("Trust"), keys and ingress: key scopes and the admin key, statuses bound to their number, webhook
 * ingress caps, files at rest, slow clients. Each test names the finding it guards.
 */
class KeysAndIngressSecurityTest {
  static FakeServer graph;
  static TestApp app;

  @BeforeAll
  static void start() {
    graph = new FakeServer(r -> Response.json(200, "{\"messages\":[{\"id\":\"wamid.X" + System.nanoTime() + "\"}]}"));
    app = new TestApp(false, graph.url());
  }

  @AfterAll
  static void stop() {
    app.close();
    graph.close();
  }

  static TestApp.Reply call(String method, String path, String body, String key) {
    return app.request(method, path, body, key, "application/json", Map.of());
  }

  static String code(TestApp.Reply r) {
    return r.json().get("error").get("code").asString();
  }

  static JsonNode newKey(String withKey, String body) {
    TestApp.Reply r = call("POST", "/api/keys", body, withKey);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // Finding 4: "A non-admin key of the default workspace can lock the admin out (DELETE /api/keys/key_admin → 204)".
  @Test
  void noKeyCanDeleteTheAdminKey() {
    String full = newKey(TestApp.ADMIN_KEY, "{\"name\":\"ops\"}").get("key").asString();
    TestApp.Reply r = call("DELETE", "/api/keys/key_admin", null, full);
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(code(r)).isEqualTo("admin_key_protected");
    assertThat(r.json().get("error").get("message").asString()).contains("WABRIDGE_ADMIN_KEY");
    assertThat(call("DELETE", "/api/keys/key_admin", null, TestApp.ADMIN_KEY).status()).isEqualTo(409);
    assertThat(call("GET", "/api/keys", null, TestApp.ADMIN_KEY).status()).isEqualTo(200);
  }

  // Finding 4 / "Keys": a read key cannot send or change anything; a send key sends but changes nothing else.
  @Test
  void aReadKeyOnlyReadsAndASendKeyOnlySends() {
    JsonNode read = newKey(TestApp.ADMIN_KEY, "{\"name\":\"dashboard\",\"scope\":\"read\"}");
    assertThat(read.get("scope").asString()).isEqualTo("read");
    String r = read.get("key").asString();
    assertThat(call("GET", "/api/agents", null, r).status()).isEqualTo(200);
    TestApp.Reply create = call("POST", "/api/agents", "{\"name\":\"x\",\"webhook_url\":\"https://a.example\"}", r);
    assertThat(create.status()).as(create.body()).isEqualTo(403);
    assertThat(code(create)).isEqualTo("insufficient_scope");
    assertThat(create.json().get("error").get("message").asString()).contains("'full'").contains("'read'");
    TestApp.Reply send = call("POST", "/api/conversations/conv_nope/messages", "{\"text\":\"hi\"}", r);
    assertThat(send.status()).isEqualTo(403);
    assertThat(send.json().get("error").get("message").asString()).contains("'send'");
    assertThat(call("POST", "/api/keys", "{\"name\":\"more\"}", r).status()).isEqualTo(403);
    assertThat(call("DELETE", "/api/keys/" + read.get("id").asString(), null, r).status()).isEqualTo(403);

    String s = newKey(TestApp.ADMIN_KEY, "{\"name\":\"crm\",\"scope\":\"send\"}").get("key").asString();
    assertThat(call("POST", "/api/conversations/conv_nope/messages", "{\"text\":\"hi\"}", s).status())
        .isEqualTo(404);
    assertThat(call("POST", "/api/numbers", "{}", s).status()).isEqualTo(403);
    assertThat(call("POST", "/api/conversations/conv_nope/handoff", null, s).status()).isEqualTo(403);
  }

  // "Keys": admin can never be created; a bad scope is a 422 naming the field and the allowed values.
  @Test
  void keyScopesAreCheckedWhenKeysAreMade() {
    TestApp.Reply admin = call("POST", "/api/keys", "{\"name\":\"x\",\"scope\":\"admin\"}", TestApp.ADMIN_KEY);
    assertThat(admin.status()).isEqualTo(422);
    assertThat(code(admin)).isEqualTo("invalid_scope");
    TestApp.Reply bad = call("POST", "/api/keys", "{\"name\":\"x\",\"scope\":\"root\"}", TestApp.ADMIN_KEY);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("error").get("message").asString()).contains("scope").contains("read, send, full");
    JsonNode made = newKey(TestApp.ADMIN_KEY, "{\"name\":\"default-scope\"}");
    assertThat(made.get("scope").asString()).isEqualTo("full");
    JsonNode listed = null;
    for (JsonNode k : call("GET", "/api/keys?limit=200", null, TestApp.ADMIN_KEY).json().get("data").values()) {
      if (k.get("id").asString().equals(made.get("id").asString())) {
        listed = k;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("scope").asString()).isEqualTo("full");
    assertThat(listed.get("prefix").asString()).isEqualTo(made.get("key").asString().substring(0, 8));
  }

  // Finding 9: "API keys are unsalted SHA-256 and the admin key's first 8 characters are stored in clear and
  // listed by GET /api/keys".
  @Test
  void keysAreStoredAsHmacsAndTheAdminKeyLeavesNoPrefix() {
    String key = newKey(TestApp.ADMIN_KEY, "{\"name\":\"hashed\"}").get("key").asString();
    List<Map<String, Object>> rows = app.app().database().jdbi().withHandle(h -> h.createQuery(
        "SELECT id, key_hash, prefix FROM api_keys").mapToMap().list());
    assertThat(rows).extracting(m -> m.get("key_hash")).doesNotContain(sha256Hex(key), sha256Hex(TestApp.ADMIN_KEY));
    assertThat(rows).allSatisfy(m -> assertThat(m.get("prefix").toString()).hasSizeLessThanOrEqualTo(8));
    Map<String, Object> adminRow = rows.stream().filter(m -> m.get("id").equals("key_admin")).findFirst()
        .orElseThrow();
    assertThat(adminRow.get("prefix").toString()).isEmpty();
    JsonNode adminListed = null;
    for (JsonNode k : call("GET", "/api/keys?limit=200", null, TestApp.ADMIN_KEY).json().get("data").values()) {
      if (k.get("id").asString().equals("key_admin")) {
        adminListed = k;
      }
    }
    assertThat(adminListed.get("prefix").isNull()).isTrue();
    assertThat(adminListed.get("scope").asString()).isEqualTo("admin");
    assertThat(call("GET", "/api/keys", null, TestApp.ADMIN_KEY).body())
        .doesNotContain(TestApp.ADMIN_KEY.substring(0, 8));
  }

  // Finding 9, upgrade path: a key stored the old way (plain SHA-256) still works and is rewritten as an HMAC.
  @Test
  void aKeyStoredAsSha256StillWorksAndIsUpgraded() {
    String old = "wab_legacy_key_made_before_hmacs_0123456789";
    String oldHash = sha256Hex(old);
    app.app().database().writer().execute(h -> h.createUpdate("INSERT INTO api_keys(id, workspace_id, name, "
        + "key_hash, prefix, admin, scope, created_at) VALUES ('key_legacy', 'default', 'old', :hash, 'wab_lega', 0, "
        + "'full', 0)").bind("hash", oldHash).execute());
    assertThat(call("GET", "/api/agents", null, old).status()).isEqualTo(200);
    String stored = app.app().database().jdbi().withHandle(h -> h.createQuery(
        "SELECT key_hash FROM api_keys WHERE id = 'key_legacy'").mapTo(String.class).one());
    assertThat(stored).isNotEqualTo(sha256Hex(old)).hasSize(64);
    assertThat(call("GET", "/api/agents", null, old).status()).isEqualTo(200);
    assertThat(call("GET", "/api/agents", null, old + "x").status()).isEqualTo(401);
  }

  // Finding 9: the admin key's first 8 characters must be gone from a database written before this change.
  @Test
  void migrationBlanksTheAdminKeysStoredCharacters() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("wabridge-v8");
    String url = "jdbc:sqlite:" + dir.resolve("wabridge.db");
    org.flywaydb.core.Flyway.configure().dataSource(url, null, null).locations("classpath:db/sqlite").target("5")
        .load().migrate();
    try (var c = java.sql.DriverManager.getConnection(url); var st = c.createStatement()) {
      st.execute("INSERT INTO workspaces(id, name, created_at) VALUES ('default', 'Default', 0)");
      st.execute("INSERT INTO api_keys(id, workspace_id, name, key_hash, prefix, admin, scope, created_at) VALUES "
          + "('key_admin', 'default', 'admin', 'h1', 'supersec', 1, 'admin', 0), "
          + "('key_a', 'default', 'ci', 'h2', 'wab_AbCd', 0, 'full', 0)");
    }
    try (dev.wabridge.db.Database db = dev.wabridge.db.Database.sqlite(dir.resolve("wabridge.db"),
        Tuning.DEFAULTS.storage())) {
      Map<String, String> prefixes = new java.util.HashMap<>();
      db.jdbi().withHandle(h -> h.createQuery("SELECT id, prefix FROM api_keys").map((rs, x) ->
          prefixes.put(rs.getString(1), rs.getString(2))).list());
      assertThat(prefixes).containsEntry("key_admin", "").containsEntry("key_a", "wab_AbCd");
    }
  }

  // Finding 9 (same hash): verify tokens were unsalted SHA-256 too; an old row still matches and is rewritten.
  @Test
  void verifyTokensAreHmacsAndOldOnesStillMatch() {
    TestApp.Reply n = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"4455667788\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"tok\",\"app_secret\":\"s\",\"verify_token\":\"fresh-token\"}");
    assertThat(n.status()).as(n.body()).isEqualTo(201);
    String id = n.json().get("id").asString();
    String stored = app.app().database().jdbi().withHandle(h -> h.createQuery(
        "SELECT verify_token_hash FROM numbers WHERE id = :id").bind("id", id).mapTo(String.class).one());
    assertThat(stored).isNotEqualTo(sha256Hex("fresh-token"));
    assertThat(handshake("fresh-token")).isEqualTo(200);
    String oldHash = sha256Hex("old-token");
    app.app().database().writer().execute(h -> h.createUpdate(
        "UPDATE numbers SET verify_token_hash = :v WHERE id = :id").bind("v", oldHash).bind("id", id).execute());
    assertThat(handshake("old-token")).isEqualTo(200);
    String upgraded = app.app().database().jdbi().withHandle(h -> h.createQuery(
        "SELECT verify_token_hash FROM numbers WHERE id = :id").bind("id", id).mapTo(String.class).one());
    assertThat(upgraded).isNotEqualTo(oldHash);
    assertThat(handshake("old-token")).isEqualTo(200);
    assertThat(handshake("fresh-token")).isEqualTo(403);
  }

  static int handshake(String token) {
    return app.request("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=" + token + "&hub.challenge=7",
        null, null, null, Map.of()).status();
  }

  // "Keys": the sandbox's API applies the same scopes: a read key cannot write as a customer.
  @Test
  void theSandboxApiAppliesScopes() {
    try (TestApp sandbox = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9",
        java.time.InstantSource.system(), Map.of("WABRIDGE_SANDBOX", "true")))) {
      String read = sandbox.request("POST", "/api/keys", "{\"name\":\"r\",\"scope\":\"read\"}", TestApp.ADMIN_KEY,
          "application/json", Map.of()).json().get("key").asString();
      TestApp.Reply w = sandbox.request("POST", "/sandbox/api/messages", "{\"join_code\":\"x\",\"text\":\"hi\"}",
          read, "application/json", Map.of());
      assertThat(w.status()).as(w.body()).isEqualTo(403);
      assertThat(code(w)).isEqualTo("insufficient_scope");
      assertThat(sandbox.request("GET", "/sandbox/api/agents", null, read, null, Map.of()).status()).isEqualTo(200);
    }
  }

  // Finding 5: "Statuses are applied by wamid alone. Tenant B, signing with its own app secret for its own number,
  // marked tenant A's message failed with a message of its choosing." Both for a recorded message and for one
  // whose status B sends before A's send is recorded.
  @Test
  void aTenantCannotChangeTheStatusOfAnotherTenantsMessage() {
    java.util.concurrent.atomic.AtomicReference<String> nextWamid = new java.util.concurrent.atomic.AtomicReference<>(
        "wamid.A1");
    try (FakeServer metaGraph = new FakeServer(r -> r.bodyText().contains("\"status\":\"read\"")
        ? Response.json(200, "{\"success\":true}")
        : Response.json(200, "{\"messages\":[{\"id\":\"" + nextWamid.get() + "\"}]}"));
         FakeServer agent = new FakeServer(r -> Response.json(200, "{\"type\":\"message\",\"content\":\"On it\"}"));
         TestApp two = new TestApp(false, metaGraph.url())) {
      String numberA = two.api("POST", "/api/numbers", numberJson("1000000001", "secret-A")).json().get("id")
          .asString();
      String agentId = two.api("POST", "/api/agents", "{\"name\":\"A\",\"webhook_url\":\"" + agent.url()
          + "/hook\",\"number_id\":\"" + numberA + "\"}").json().get("id").asString();
      assertThat(two.api("POST", "/api/agents/" + agentId + "/deploy", null).status()).isEqualTo(200);
      assertThat(two.webhook(dev.wabridge.testing.Meta.text("1000000001", "15550001234", "Ann", "wamid.IN1",
          System.currentTimeMillis() / 1000, "hello"), "secret-A").status()).isEqualTo(200);
      String conv = dev.wabridge.testing.Await.value("A's conversation", java.time.Duration.ofSeconds(20), () -> {
        JsonNode list = two.api("GET", "/api/conversations", null).json().get("data");
        return list.isEmpty() ? null : list.get(0).get("id").asString();
      });
      awaitOutbound(two, conv, "wamid.A1", "sent");

      String keyB = two.api("POST", "/api/workspaces", "{\"name\":\"B\"}").json().get("api_key").asString();
      assertThat(two.request("POST", "/api/numbers", numberJson("2000000002", "secret-B"), keyB, "application/json",
          Map.of()).status()).isEqualTo(201);
      assertThat(two.webhook(dev.wabridge.testing.Meta.status("2000000002", "wamid.A1", "failed", "15550001234"),
          "secret-B").status()).isEqualTo(200);
      // Early: B's status arrives before A's send that Meta will call wamid.A2 is recorded.
      assertThat(two.webhook(dev.wabridge.testing.Meta.status("2000000002", "wamid.A2", "failed", "15550001234"),
          "secret-B").status()).isEqualTo(200);
      nextWamid.set("wamid.A2");
      assertThat(two.api("POST", "/api/conversations/" + conv + "/messages",
          "{\"type\":\"message\",\"content\":\"Shipped\"}").status()).isEqualTo(202);
      awaitOutbound(two, conv, "wamid.A2", "sent");
      assertThat(outbound(two, conv, "wamid.A1").get("status").asString()).isEqualTo("sent");
      assertThat(outbound(two, conv, "wamid.A1").get("error").isNull()).isTrue();
      // A's own status for its own number still applies.
      assertThat(two.webhook(dev.wabridge.testing.Meta.status("1000000001", "wamid.A1", "delivered", "15550001234"),
          "secret-A").status()).isEqualTo(200);
      assertThat(outbound(two, conv, "wamid.A1").get("status").asString()).isEqualTo("delivered");
    }
  }

  static String numberJson(String pnid, String secret) {
    return "{\"phone_number_id\":\"" + pnid + "\",\"display_phone_number\":\"+1 555 " + pnid.substring(0, 3)
        + "\",\"access_token\":\"tok-" + pnid + "\",\"app_secret\":\"" + secret + "\",\"verify_token\":\"v-" + pnid
        + "\"}";
  }

  static JsonNode outbound(TestApp on, String conv, String wamid) {
    for (JsonNode m : on.api("GET", "/api/conversations/" + conv + "/messages", null).json().get("data").values()) {
      if (wamid.equals(m.path("wamid").asString(null))) {
        return m;
      }
    }
    return null;
  }

  /** Waits until the message Meta accepted as {@code wamid} is recorded, then checks its status. */
  static void awaitOutbound(TestApp on, String conv, String wamid, String status) {
    JsonNode m = dev.wabridge.testing.Await.value(wamid + " recorded", java.time.Duration.ofSeconds(20),
        () -> outbound(on, conv, wamid));
    assertThat(m.get("status").asString()).as(m.toString()).isEqualTo(status);
  }

  /** What {@code logger} (and the loggers below it) logged while {@code run} ran. */
  static List<ch.qos.logback.classic.spi.ILoggingEvent> logged(String logger, Runnable run) {
    ch.qos.logback.classic.Logger l = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    l.addAppender(lines);
    try {
      run.run();
    } finally {
      l.detachAppender(lines);
    }
    return lines.list;
  }

  /** Log lines from the webhook path (its route, Meta's parser, the intake) while {@code run} runs. */
  static List<String> inboundLog(Runnable run) {
    return logged("dev.wabridge", run).stream()
        .filter(e -> e.getLoggerName().equals(dev.wabridge.web.WebhookRoutes.class.getName())
            || e.getLoggerName().startsWith("dev.wabridge.whatsapp.")
            || e.getLoggerName().startsWith("dev.wabridge.inbound."))
        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
  }

  static TestApp.Reply unsigned(String body) {
    return app.webhook(body, "not-a-secret-anyone-registered");
  }

  // Finding 6: "An unsigned body whose phone_number_id holds a newline wrote a forged log line".
  @Test
  void aPhoneNumberIdThatIsNotDigitsIsRefusedBeforeAnythingIsLogged() {
    String forged = "1\\n12:00:00.000 INFO  d.w.api.ApiAuth - admin key rotated";
    List<String> log = inboundLog(() -> {
      TestApp.Reply r = unsigned(dev.wabridge.testing.Meta.text(forged, "15550001234", "Ann", "wamid.F", 1L, "x"));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(code(r)).isEqualTo("malformed_webhook");
      assertThat(r.json().get("error").get("message").asString()).contains("metadata.phone_number_id");
    });
    assertThat(log).noneMatch(l -> l.contains("\n") || l.contains("admin key rotated"));
  }

  // Finding 6: "one 1 MB body with 20,000 unknown ids cost 20,000 lookups and a 240,000-character log line".
  @Test
  void aBodyNamingTooManyNumbersIsRefusedAndUnknownOnesAreLoggedByCount() {
    StringBuilder many = new StringBuilder("{\"object\":\"whatsapp_business_account\",\"entry\":[");
    for (int i = 0; i < 20_000; i++) {
      many.append(i == 0 ? "" : ",").append("{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":")
          .append("{\"metadata\":{\"phone_number_id\":\"").append(900_000_000 + i).append("\"}}}]}");
    }
    many.append("]}");
    List<String> log = inboundLog(() -> {
      TestApp.Reply r = unsigned(many.toString());
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().get("error").get("message").asString()).contains("100").contains("phone_number_id");
    });
    assertThat(log).isEmpty();

    StringBuilder hundred = new StringBuilder("{\"object\":\"whatsapp_business_account\",\"entry\":[");
    for (int i = 0; i < 100; i++) {
      hundred.append(i == 0 ? "" : ",").append("{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":")
          .append("{\"metadata\":{\"phone_number_id\":\"").append(800_000_000 + i).append("\"}}}]}");
    }
    hundred.append("]}");
    List<String> counted = inboundLog(() -> assertThat(unsigned(hundred.toString()).status()).isEqualTo(200));
    assertThat(counted).hasSize(1);
    assertThat(counted.getFirst()).contains("100 unknown").hasSizeLessThan(300);
  }

  // Finding 6: "Account-level changes (no phone_number_id) are answered 200 with any signature."
  @Test
  void accountLevelChangesNeedTheSignatureOfARegisteredAppSecret() {
    assertThat(app.api("POST", "/api/numbers", "{\"phone_number_id\":\"5550001\",\"display_phone_number\":\"+1 555\","
        + "\"access_token\":\"t\",\"app_secret\":\"secret-of-waba-777\",\"verify_token\":\"v777\","
        + "\"waba_id\":\"777000777\"}").status()).isEqualTo(201);
    assertThat(app.api("POST", "/api/numbers", "{\"phone_number_id\":\"5550002\",\"display_phone_number\":\"+1 555\","
        + "\"access_token\":\"t\",\"app_secret\":\"secret-without-waba\",\"verify_token\":\"v-none\"}").status())
        .isEqualTo(201);
    String unknownAccount = accountUpdate("123123123");
    TestApp.Reply anySignature = unsigned(unknownAccount);
    assertThat(anySignature.status()).as(anySignature.body()).isEqualTo(401);
    assertThat(code(anySignature)).isEqualTo("bad_signature");
    assertThat(app.webhook(unknownAccount, "secret-without-waba").status()).isEqualTo(200);
    // An account with a number registered for it: that number's app secret, not another tenant's.
    String known = accountUpdate("777000777");
    assertThat(app.webhook(known, "secret-without-waba").status()).isEqualTo(401);
    assertThat(app.webhook(known, "secret-of-waba-777").status()).isEqualTo(200);
    // A body mixing a number's events and account-level changes must satisfy both.
    String mixed = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"777000777\",\"changes\":["
        + "{\"field\":\"account_update\",\"value\":{\"event\":\"X\"}}]},{\"id\":\"1\",\"changes\":[{\"field\":"
        + "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"5550002\"}}}]}]}";
    assertThat(app.webhook(mixed, "secret-without-waba").status()).isEqualTo(401);
    assertThat(app.webhook(mixed, "secret-of-waba-777").status()).isEqualTo(401);
  }

  static String accountUpdate(String wabaId) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + wabaId + "\",\"time\":1,"
        + "\"changes\":[{\"value\":{\"event\":\"ACCOUNT_RESTRICTION\"},\"field\":\"account_update\"}]}]}";
  }

  // Finding 6 (audit of other lines that carry webhook input): Meta's out-of-band error text is logged sanitized.
  @Test
  void webhookTextInLogLinesHasNoLineBreaks() {
    assertThat(app.api("POST", "/api/numbers", "{\"phone_number_id\":\"5550003\",\"display_phone_number\":\"+1 555\","
        + "\"access_token\":\"t\",\"app_secret\":\"secret-5550003\",\"verify_token\":\"v3\"}").status())
        .isEqualTo(201);
    String body = dev.wabridge.testing.Meta.envelope("5550003", "\"errors\":[{\"code\":130429,\"title\":\"Rate\\n"
        + "12:00:00.000 INFO  forged line\",\"message\":\"" + "y".repeat(5000) + "\"}]");
    List<String> log = inboundLog(() -> assertThat(app.webhook(body, "secret-5550003").status()).isEqualTo(200));
    assertThat(log).anyMatch(l -> l.contains("130429"));
    assertThat(log).noneMatch(l -> l.contains("\n")).allMatch(l -> l.length() < 1000);
  }

  // "Secure: ... secrets never logged", and a broken agent is as untrusted as a webhook: its answer, quoted in the
  // failure's log line, cannot start a line of its own.
  @Test
  void aBrokenAgentsAnswerInALogLineHasNoLineBreaks() {
    FakeServer agent = new FakeServer(r -> new Response(500, "text/plain",
        "oops\n12:00:00.000 INFO  d.w.api.ApiAuth - admin key rotated".getBytes(StandardCharsets.UTF_8)));
    try {
      TestApp.Reply n = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"5550004\",\"display_phone_number\":"
          + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"secret-5550004\",\"verify_token\":\"v4\"}");
      assertThat(n.status()).as(n.body()).isEqualTo(201);
      TestApp.Reply a = app.api("POST", "/api/agents", "{\"name\":\"Broken\",\"webhook_url\":\"" + agent.url()
          + "\",\"number_id\":\"" + n.json().get("id").asString() + "\",\"timeout_seconds\":5}");
      assertThat(a.status()).as(a.body()).isEqualTo(201);
      assertThat(app.api("POST", "/api/agents/" + a.json().get("id").asString() + "/deploy", null).status())
          .isEqualTo(200);
      List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
      ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> appender =
          new ch.qos.logback.core.AppenderBase<>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
              log.add(e.getFormattedMessage());
            }
          };
      appender.start();
      ch.qos.logback.classic.Logger agentLog =
          (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.wabridge.agent");
      agentLog.addAppender(appender);
      try {
        assertThat(app.webhook(dev.wabridge.testing.Meta.text("5550004", "15550004444", "Ann", "wamid.BROKEN", 1L,
            "hi"), "secret-5550004").status()).isEqualTo(200);
        dev.wabridge.testing.Await.until("the failed call is logged", java.time.Duration.ofSeconds(20),
            () -> log.stream().anyMatch(l -> l.contains("agent_http_500")));
      } finally {
        agentLog.detachAppender(appender);
      }
      assertThat(log).anyMatch(l -> l.contains("agent_http_500"));
      assertThat(log).noneMatch(l -> l.contains("\n"));
    } finally {
      agent.close();
    }
  }

  // Review finding: the verification handshake echoed any challenge as text/plain without nosniff, a script a page
  // of this origin could load despite its CSP.
  @Test
  void theHandshakeEchoesOnlyAChallengeShapedLikeMetasAndNothingIsSniffed() {
    assertThat(app.api("POST", "/api/numbers", "{\"phone_number_id\":\"5550005\",\"display_phone_number\":\"+1 555\","
        + "\"access_token\":\"t\",\"app_secret\":\"s5\",\"verify_token\":\"v5-token\"}").status()).isEqualTo(201);
    TestApp.Reply script = app.request("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=v5-token"
        + "&hub.challenge=%3Cscript%3Ealert(1)%3C%2Fscript%3E", null, null, null, Map.of());
    assertThat(script.status()).isEqualTo(400);
    assertThat(script.body()).doesNotContain("<script>");
    TestApp.Reply meta = app.request("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=v5-token"
        + "&hub.challenge=1158201444", null, null, null, Map.of());
    assertThat(meta.status()).isEqualTo(200);
    assertThat(meta.body()).isEqualTo("1158201444");
    assertThat(meta.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(app.request("GET", "/healthz", null, null, null, Map.of()).header("X-Content-Type-Options"))
        .isEqualTo("nosniff");
  }

  static String mode(java.nio.file.Path p) {
    try {
      return java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void assumePosix() {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault().supportedFileAttributeViews()
        .contains("posix"), "file mode tests SKIPPED: this file system has no POSIX modes");
  }

  // Finding 9: "wabridge.db is 0644". The data directory is 0700 and the database (with SQLite's -wal and -shm),
  // the generated secret key and hosted media 0600, from the moment they are created.
  @Test
  void theDataDirectoryIsCreatedOwnerOnly() throws Exception {
    assumePosix();
    java.nio.file.Path data = java.nio.file.Files.createTempDirectory("wabridge-modes").resolve("fresh")
        .resolve("data");
    Map<String, String> env = new java.util.HashMap<>();
    env.put("WABRIDGE_DATA_DIR", data.toString());
    env.put("WABRIDGE_ADMIN_KEY", TestApp.ADMIN_KEY);
    try (TestApp fresh = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", java.time.InstantSource.system(),
        env))) {
      assertThat(fresh.api("POST", "/api/keys", "{\"name\":\"write-something\"}").status()).isEqualTo(201);
      dev.wabridge.media.MediaStore media = new dev.wabridge.media.MediaStore(fresh.app().database(), data,
          dev.wabridge.config.SecretBox.load(java.util.Optional.empty(), data), fresh.url(),
          java.time.InstantSource.system(), fresh.app().config().tuning().mediaLinkValidity());
      String id = media.put("default", new byte[] {1, 2, 3}, "image/png", null).id();
      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(data.getParent())).isEqualTo("rwx------");
      for (String f : List.of("wabridge.db", "wabridge.db-wal", "wabridge.db-shm", "secret.key")) {
        assertThat(mode(data.resolve(f))).as(f).isEqualTo("rw-------");
      }
      assertThat(mode(data.resolve("media"))).isEqualTo("rwx------");
      assertThat(mode(media.path(id).getParent())).isEqualTo("rwx------");
      assertThat(mode(media.path(id))).isEqualTo("rw-------");
    }
  }

  // Finding 9: an install made before this change, with looser modes, is tightened at start with one INFO line.
  @Test
  void anExistingLooseInstallIsTightenedAtStart() throws Exception {
    assumePosix();
    java.nio.file.Path data = java.nio.file.Files.createTempDirectory("wabridge-loose");
    var loose = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    var looseDir = java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
    java.nio.file.Files.writeString(data.resolve("secret.key"), java.util.Base64.getEncoder().encodeToString(
        new byte[32]) + "\n");
    java.nio.file.Files.createDirectories(data.resolve("media").resolve("ab"));
    java.nio.file.Files.write(data.resolve("media").resolve("ab").resolve("med_xab"), new byte[] {1});
    for (String f : List.of("secret.key", "media/ab/med_xab")) {
      java.nio.file.Files.setPosixFilePermissions(data.resolve(f), loose);
    }
    for (String d : List.of("", "media", "media/ab")) {
      java.nio.file.Files.setPosixFilePermissions(data.resolve(d), looseDir);
    }
    try (dev.wabridge.db.Database db = dev.wabridge.db.Database.sqlite(data.resolve("wabridge.db"),
        Tuning.DEFAULTS.storage())) {
      assertThat(db.ping()).isTrue();
    }
    java.nio.file.Files.setPosixFilePermissions(data.resolve("wabridge.db"), loose);
    var lines = logged("dev.wabridge.config.PrivateFiles", () -> {
      try (TestApp existing = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9",
          java.time.InstantSource.system(), Map.of("WABRIDGE_DATA_DIR", data.toString())))) {
        assertThat(existing.api("GET", "/api/keys", null).status()).isEqualTo(200);
      }
    });
    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.resolve("media"))).isEqualTo("rwx------");
    assertThat(mode(data.resolve("media/ab"))).isEqualTo("rwx------");
    for (String f : List.of("secret.key", "wabridge.db", "media/ab/med_xab")) {
      assertThat(mode(data.resolve(f))).as(f).isEqualTo("rw-------");
    }
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst().getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
    assertThat(lines.getFirst().getFormattedMessage()).contains("wabridge.db").contains("secret.key")
        .contains("2 under media/");
  }

  // Finding 7 (part): "800 slowloris connections stayed open 65 s (no header read deadline)". At the real values:
  // 50 connections each sending a header byte a second (so Jetty's idle timeout never fires) are all cut within
  // 30 s of starting their request.
  @Test
  void slowlorisConnectionsAreCutWithinThirtySeconds() throws Exception {
    java.net.URI base = java.net.URI.create(app.url());
    byte[] header = ("POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(200))
        .getBytes(StandardCharsets.US_ASCII);
    long started = System.nanoTime();
    List<java.util.concurrent.Future<Long>> clients = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        clients.add(pool.submit(() -> {
          try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(1_000);
            for (int b = 0; System.nanoTime() - started < 40_000_000_000L; b++) {
              try {
                s.getOutputStream().write(header[b % header.length]);
                if (s.getInputStream().read() < 0) {
                  return System.nanoTime() - started;
                }
              } catch (java.net.SocketTimeoutException stillOpen) {
                // one more byte
              } catch (java.io.IOException closed) {
                return System.nanoTime() - started;
              }
            }
            return Long.MAX_VALUE;
          }
        }));
      }
      for (var c : clients) {
        assertThat(java.time.Duration.ofNanos(c.get())).isLessThan(java.time.Duration.ofSeconds(30));
      }
    }
  }

  // Issue 12 review.
  static String newWorkspaceKey(String name) {
    return app.api("POST", "/api/workspaces", "{\"name\":\"" + name + "\"}").json().get("api_key").asString();
  }

  static String registerNumber(String key, String pnid, String secret, String wabaId) {
    TestApp.Reply r = call("POST", "/api/numbers", "{\"phone_number_id\":\"" + pnid + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + secret + "\",\"verify_token\":\"v" + pnid + "\","
        + "\"waba_id\":\"" + wabaId + "\"}", key);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  static String userIdUpdate(String wabaId, String previous, String current) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + wabaId + "\",\"changes\":[{\"field\":"
        + "\"user_id_update\",\"value\":{\"messaging_product\":\"whatsapp\",\"detail\":\"changed\","
        + "\"user_id\":{\"previous\":\"" + previous + "\",\"current\":\"" + current + "\"},\"timestamp\":\"1\"}}]}]}";
  }

  // Finding: an account-level user_id_update (no phone_number_id) was applied to every workspace with a number
  // claiming its entry[].id, whichever of those numbers' app secrets signed it. A tenant that sets another tenant's
  // WABA id on its own number could sign one with its own secret and re-key the other tenant's customers.
  @Test
  void anAccountLevelIdentityChangeReachesOnlyTheWorkspacesWhoseSecretSignedIt() {
    String victimNumber = registerNumber(TestApp.ADMIN_KEY, "880000001", "victim-secret", "880000999");
    String attacker = newWorkspaceKey("Attacker");
    registerNumber(attacker, "880000002", "attacker-secret", "880000999");
    assertThat(app.webhook(Meta.envelope("880000001", "\"contacts\":[{\"profile\":{\"name\":\"V\"},\"user_id\":"
        + "\"US.880VICTIM\"}],\"messages\":[{\"from_user_id\":\"US.880VICTIM\",\"id\":\"wamid.R880\",\"timestamp\":"
        + "\"" + System.currentTimeMillis() / 1000 + "\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]"),
        "victim-secret").status()).isEqualTo(200);
    String userIdOfVictim = "SELECT user_id FROM conversations WHERE number_id = ?";
    assertThat(app.sql(userIdOfVictim, victimNumber)).isEqualTo("US.880VICTIM");

    assertThat(app.webhook(userIdUpdate("880000999", "US.880VICTIM", "US.880EVIL"), "attacker-secret").status())
        .isEqualTo(200);
    assertThat(app.sql(userIdOfVictim, victimNumber)).isEqualTo("US.880VICTIM");

    // Meta's own, signed with the victim's app secret, still applies.
    assertThat(app.webhook(userIdUpdate("880000999", "US.880VICTIM", "US.880NEW"), "victim-secret").status())
        .isEqualTo(200);
    assertThat(app.sql(userIdOfVictim, victimNumber)).isEqualTo("US.880NEW");
  }
}
