package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.TestApp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /sandbox/api/credentials}: each workspace's token for the simulated Graph API reaches that workspace's
 * customers and media and nothing of another workspace's. Two tenants chat with the sandbox from the same customer
 * number; their agents never answer, so a chat shows only what a token sent.
 */
class SandboxCredentialsTest {
  private static final String PHONE = "+15550108888";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private FakeServer agents;
  private TestApp app;
  private Tenant a;
  private Tenant b;
  private String pnid;

  private record Tenant(String key, String agentId) {
  }

  @BeforeEach
  void start() {
    agents = new FakeServer(r -> FakeServer.Response.json(200, "{\"type\":\"none\"}"));
    app = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", InstantSource.system(),
        Map.of("WABRIDGE_SANDBOX", "true", "WABRIDGE_AGENT_NETWORK_ALLOWLIST", "127.0.0.1/32")));
    a = tenant("Tenant A");
    b = tenant("Tenant B");
    pnid = app.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number().phoneNumberId();
  }

  @AfterEach
  void stop() {
    app.close();
    agents.close();
  }

  private Tenant tenant(String name) {
    String key = app.api("POST", "/api/workspaces", "{\"name\":\"" + name + "\"}").json().get("api_key").asString();
    TestApp.Reply agent = app.request("POST", "/api/agents", "{\"name\":\"" + name + " bot\",\"webhook_url\":\""
        + agents.url() + "\",\"number_id\":\"num_sandbox\",\"timeout_seconds\":10}", key, "application/json",
        Map.of());
    assertThat(agent.status()).as(agent.body()).isEqualTo(201);
    return new Tenant(key, agent.json().get("id").asString());
  }

  private JsonNode credentials(String key) {
    TestApp.Reply r = app.request("GET", "/sandbox/api/credentials", null, key, null, Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private String write(Tenant t, String fields) {
    TestApp.Reply r = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + t.agentId() + "\",\"from\":\""
        + PHONE + "\",\"name\":\"Kerry\"," + fields + "}", t.key(), "application/json", Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().get("wamid").asString();
  }

  private JsonNode phone(Tenant t) {
    TestApp.Reply r = app.request("GET", "/sandbox/api/messages?agent_id=" + t.agentId() + "&from="
        + URLEncoder.encode(PHONE, StandardCharsets.UTF_8), null, t.key(), null, Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private void awaitText(Tenant t, String text) {
    Await.until("'" + text + "' on the phone", WAIT, () -> phone(t).get("data").toString().contains(text));
  }

  private TestApp.Reply graph(String method, String path, String body, String token) {
    return app.request(method, "/sandbox/graph/v23.0/" + path, body, token, body == null ? null : "application/json",
        Map.of());
  }

  private TestApp.Reply text(String token, String to, String body) {
    return graph("POST", pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
        + to + ",\"type\":\"text\",\"text\":{\"body\":\"" + body + "\"}}", token);
  }

  @Test
  void aWorkspaceReadsItsOwnCredentialsWithAKeyThatMaySend() {
    JsonNode c = credentials(a.key());
    assertThat(c.get("graph_base_url").asString()).isEqualTo(app.url() + "/sandbox/graph");
    assertThat(c.get("api_version").asString()).isEqualTo("v23.0");
    assertThat(c.get("phone_number_id").asString()).isEqualTo(pnid);
    assertThat(c.get("waba_id").asString()).isEqualTo(SandboxNumber.WABA_ID);
    assertThat(c.get("webhook_url").asString()).isEqualTo(app.url() + "/webhooks/whatsapp");
    String token = c.get("access_token").asString();
    assertThat(token).startsWith("EAASBX").isNotEqualTo(app.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number().accessToken());
    assertThat(credentials(a.key()).get("access_token").asString()).as("read again").isEqualTo(token);
    assertThat(credentials(b.key()).get("access_token").asString()).isNotEqualTo(token);
    int stored = app.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sandbox_credentials "
        + "WHERE salt = :t OR token_hash = :t").bind("t", token).mapTo(Integer.class).one());
    assertThat(stored).as("the token itself is not stored").isZero();

    TestApp.Reply number = graph("GET", pnid, null, token);
    assertThat(number.status()).as(number.body()).isEqualTo(200);
    assertThat(number.json().get("id").asString()).isEqualTo(pnid);

    String reader = app.request("POST", "/api/keys", "{\"name\":\"viewer\",\"scope\":\"read\"}", a.key(),
        "application/json", Map.of()).json().get("key").asString();
    for (String path : new String[] {"/sandbox/api/credentials", "/sandbox/api/credentials/"}) {
      TestApp.Reply refused = app.request("GET", path, null, reader, null, Map.of());
      assertThat(refused.status()).as(path + ": " + refused.body()).isEqualTo(403);
      assertThat(refused.body()).doesNotContain("EAASBX");
    }
    assertThat(app.request("GET", "/sandbox/api/credentials", null, null, null, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void aRevokedTokenStopsAndTheNextReadIssuesAnother() {
    String token = credentials(a.key()).get("access_token").asString();
    assertThat(app.request("DELETE", "/sandbox/api/credentials", null, a.key(), null, Map.of()).status())
        .isEqualTo(204);
    TestApp.Reply old = graph("GET", pnid, null, token);
    assertThat(old.status()).isEqualTo(401);
    assertThat(old.json().get("error").get("code").asInt()).isEqualTo(190);
    String fresh = credentials(a.key()).get("access_token").asString();
    assertThat(fresh).isNotEqualTo(token);
    assertThat(graph("GET", pnid, null, fresh).status()).isEqualTo(200);
  }

  @Test
  void aTokenSendsToItsWorkspacesCustomersOnly() {
    write(a, "\"text\":\"hi A\"");
    write(b, "\"text\":\"hi B\"");
    String tokenA = credentials(a.key()).get("access_token").asString();
    String tokenB = credentials(b.key()).get("access_token").asString();

    TestApp.Reply sent = text(tokenA, "\"to\":\"" + PHONE + "\"", "only for A");
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.json().get("contacts").get(0).get("wa_id").asString()).isEqualTo(PHONE.substring(1));
    text(tokenB, "\"to\":\"" + PHONE + "\"", "only for B");
    awaitText(a, "only for A");
    awaitText(b, "only for B");
    assertThat(phone(a).get("data").toString()).doesNotContain("only for B");
    assertThat(phone(b).get("data").toString()).doesNotContain("only for A");

    // By BSUID: A's customer's BSUID means nothing to B's token.
    String userIdA = phone(a).get("customer").get("user_id").asString();
    assertThat(phone(b).get("customer").get("user_id").asString()).isNotEqualTo(userIdA);
    JsonNode bsuid = text(tokenA, "\"recipient\":\"" + userIdA + "\"", "by BSUID").json();
    assertThat(bsuid.get("contacts").get(0).get("user_id").asString()).isEqualTo(userIdA);
    text(tokenB, "\"recipient\":\"" + userIdA + "\"", "B by A's BSUID");
    text(tokenB, "\"to\":\"" + PHONE + "\"", "B after");
    awaitText(a, "by BSUID");
    awaitText(b, "B after");
    assertThat(phone(b).get("data").toString()).doesNotContain("B by A's BSUID");
    assertThat(phone(a).get("data").toString()).doesNotContain("B by A's BSUID");
  }

  @Test
  void aTokenMarksReadOnlyItsWorkspacesMessages() {
    String wamid = write(a, "\"text\":\"read me\"");
    String tokenA = credentials(a.key()).get("access_token").asString();
    String tokenB = credentials(b.key()).get("access_token").asString();
    String read = "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"" + wamid + "\"}";
    TestApp.Reply foreign = graph("POST", pnid + "/messages", read, tokenB);
    assertThat(foreign.status()).isEqualTo(400);
    assertThat(foreign.json().get("error").get("code").asInt()).isEqualTo(100);
    TestApp.Reply own = graph("POST", pnid + "/messages", read, tokenA);
    assertThat(own.status()).as(own.body()).isEqualTo(200);
    assertThat(own.json().get("success").asBoolean()).isTrue();
  }

  @Test
  void aTokenSeesOnlyItsWorkspacesMedia() throws Exception {
    write(a, "\"text\":\"hi\"");
    String tokenA = credentials(a.key()).get("access_token").asString();
    String tokenB = credentials(b.key()).get("access_token").asString();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> up = SimulatedGraphTest.upload(http, app.url(), "/sandbox/graph/v23.0/" + pnid + "/media",
        tokenA, "image/png", "photo.png", SimulatedGraphTest.png(), true);
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    String id = Json.parse(up.body()).get("id").asString();

    SimulatedGraphTest.unsupported(graph("GET", id, null, tokenB), "get", id);
    SimulatedGraphTest.unsupported(graph("DELETE", id, null, tokenB), "delete", id);
    HttpResponse<String> download = http.send(HttpRequest.newBuilder(URI.create(app.url()
        + "/sandbox/graph/lookaside/" + id)).header("Authorization", "Bearer " + tokenB).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(download.statusCode()).isEqualTo(404);
    TestApp.Reply send = graph("POST", pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"" + PHONE
        + "\",\"type\":\"image\",\"image\":{\"id\":\"" + id + "\"}}", tokenB);
    assertThat(send.status()).isEqualTo(400);
    assertThat(send.body()).contains("not a valid media id");

    TestApp.Reply info = graph("GET", id, null, tokenA);
    assertThat(info.status()).as(info.body()).isEqualTo(200);
    HttpResponse<byte[]> bytes = http.send(HttpRequest.newBuilder(URI.create(info.json().get("url").asString()))
        .header("Authorization", "Bearer " + tokenA).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bytes.body()).isEqualTo(SimulatedGraphTest.png());
    TestApp.Reply image = graph("POST", pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":\"" + PHONE
        + "\",\"type\":\"image\",\"image\":{\"id\":\"" + id + "\",\"caption\":\"for A\"}}", tokenA);
    assertThat(image.status()).as(image.body()).isEqualTo(200);
    awaitText(a, "for A");
  }

  /** A developer can test a username-only customer: the sandbox API sets a username and withholds the number. */
  @Test
  void aCustomerMaySetAUsernameAndWithholdTheirNumber() {
    write(a, "\"text\":\"hi\",\"username\":\"kerry.k\",\"withhold_phone\":true");
    JsonNode customer = phone(a).get("customer");
    assertThat(customer.get("phone").asString()).isEqualTo(PHONE);
    assertThat(customer.get("user_id").asString()).matches("US\\.[1-9]\\d{19}");
    assertThat(customer.get("username").asString()).isEqualTo("kerry.k");
    assertThat(customer.get("withhold_phone").asBoolean()).isTrue();
    write(a, "\"text\":\"still me\"");
    assertThat(phone(a).get("customer").get("withhold_phone").asBoolean()).as("kept until changed").isTrue();
    write(a, "\"text\":\"number shown\",\"withhold_phone\":false,\"username\":null");
    customer = phone(a).get("customer");
    assertThat(customer.get("withhold_phone").asBoolean()).isFalse();
    assertThat(customer.get("username").isNull()).isTrue();

    TestApp.Reply noUsername = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + a.agentId()
        + "\",\"from\":\"" + PHONE + "\",\"text\":\"x\",\"withhold_phone\":true}", a.key(), "application/json",
        Map.of());
    assertThat(noUsername.status()).isEqualTo(422);
    assertThat(noUsername.json().get("error").get("message").asString()).contains("withhold_phone")
        .contains("username");
    TestApp.Reply badUsername = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + a.agentId()
        + "\",\"from\":\"" + PHONE + "\",\"text\":\"x\",\"username\":\"no spaces\"}", a.key(), "application/json",
        Map.of());
    assertThat(badUsername.status()).isEqualTo(422);
    assertThat(badUsername.json().get("error").get("message").asString()).contains("username");
  }
}
