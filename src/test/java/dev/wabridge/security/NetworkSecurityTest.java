package dev.wabridge.security;

import dev.wabridge.config.Tuning;
import dev.wabridge.sandbox.SandboxPlugin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wabridge.net.OutboundHttp;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStatus;
import dev.wabridge.agent.AgentClient;
import dev.wabridge.agent.AgentResult;
import dev.wabridge.net.Cidr;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, finding "server-side request forgery with the response read back": a workspace other than the
 * operator's {@code default} must not make wabridge connect to loopback, private or link-local addresses, in any
 * spelling, directly or by redirect. Loopback only: {@link #internal} on 127.0.0.1 stands for an internal service
 * and must never see a request; {@link #outside} on 127.0.0.2 is listed in WABRIDGE_AGENT_NETWORK_ALLOWLIST and
 * stands for the internet (the tenant's agent and file server), whose redirects lead to {@link #internal}.
 */
class NetworkSecurityTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String PNID = "7788990011";
  static final String SECRET = "tenant-app-secret";
  static final byte[] PNG = java.util.Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
      200);
  static final String CUSTOMER = "+15550107020";

  FakeServer internal;
  FakeServer outside;
  FakeServer graph;
  TestApp app;
  String tenantKey;
  final AtomicReference<Response> agentReply = new AtomicReference<>(new Response(204, null, null));

  @BeforeEach
  void start() {
    internal = new FakeServer(r -> new Response(200, "image/png", PNG));
    outside = new FakeServer("127.0.0.2", r -> switch (r.path()) {
      case "/agent" -> agentReply.get();
      case "/to-internal.png" -> Response.redirect(internal.url() + "/secret.png");
      case "/to-internal-decimal.png" -> Response.redirect("http://2130706433:" + internal.port() + "/secret.png");
      case "/page.png" -> new Response(200, "image/png", "<html><script>alert(1)</script></html>".getBytes());
      default -> new Response(404, "text/plain", "no".getBytes());
    });
    graph = new FakeServer(r -> r.path().endsWith("/media") ? Response.json(200, "{\"id\":\"UPLOADED\"}")
        : Response.json(200, "{\"messages\":[{\"id\":\"wamid.M" + System.nanoTime() + "\"}]}"));
    app = new TestApp(new TestApp.Setup(false, graph.url(), InstantSource.system(), Map.of(
        "WABRIDGE_SANDBOX", "true", "WABRIDGE_AGENT_NETWORK_ALLOWLIST", "127.0.0.2/32")));
    tenantKey = app.api("POST", "/api/workspaces", "{\"name\":\"Tenant\"}").json().get("api_key").asString();
  }

  @AfterEach
  void stop() {
    app.close();
    internal.close();
    outside.close();
    graph.close();
  }

  private TestApp.Reply tenant(String method, String path, String body) {
    return app.request(method, path, body, tenantKey, "application/json", Map.of());
  }

  private static String agentBody(String url, String numberId) {
    return "{\"name\":\"A\",\"webhook_url\":\"" + url + "\"" + (numberId == null ? "" : ",\"number_id\":\""
        + numberId + "\"") + "}";
  }

  private static void assertRefused(TestApp.Reply r, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().get("error").get("code").asString()).isEqualTo(code);
    assertThat(r.json().get("error").get("message").asString()).contains("refused by network policy");
  }

  /** Finding: agents at 169.254.169.254, [::1], 0.0.0.0, 2130706433 … were accepted (201). */
  @Test
  void aTenantCannotSaveAnAgentOnAnInternalAddressInAnySpelling() {
    int p = internal.port();
    List<String> refused = List.of("http://127.0.0.1:" + p + "/", "http://2130706433:" + p + "/",
        "http://0x7f000001:" + p + "/", "http://0177.0.0.1:" + p + "/", "http://017700000001:" + p + "/",
        "http://127.000.000.001:" + p + "/", "http://0:" + p + "/", "http://0.0.0.0:" + p + "/",
        "http://[::ffff:127.0.0.1]:" + p + "/", "http://[::ffff:7f00:1]:" + p + "/", "http://[::1]:" + p + "/",
        "http://[0:0:0:0:0:0:0:1]:" + p + "/", "http://[::127.0.0.1]:" + p + "/", "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::1]/", "http://[fe80::1%25lo]/", "http://localhost:" + p + "/",
        "http://LOCALHOST:" + p + "/", "http://localhost.:" + p + "/", "http://a.localhost:" + p + "/",
        "http://public.example@127.0.0.1:" + p + "/", "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/", "http://192.0.0.1/", "http://10.0.0.1/", "http://192.168.1.1/", "http://[fd00::1]/");
    for (String url : refused) {
      TestApp.Reply r = tenant("POST", "/api/agents", agentBody(url, null));
      assertRefused(r, "invalid_webhook_url");
      // The message names what was given, never an address it resolved to.
      if (url.contains("localhost")) {
        assertThat(r.json().get("error").get("message").asString()).as(url).doesNotContain("127.0.0.1");
      }
    }
    // Spellings java.net.URI cannot read as a host are not URLs at all.
    for (String url : List.of("http://127.1:" + p + "/", "http://0x7f.1:" + p + "/", "http://127.0.1:" + p + "/",
        "http://%31%32%37.0.0.1:" + p + "/", "http://127.0.0.1.:" + p + "/")) {
      assertThat(tenant("POST", "/api/agents", agentBody(url, null)).status()).as(url).isEqualTo(422);
    }
    String allowed = tenant("POST", "/api/agents", agentBody(outside.url() + "/agent", null)).json().get("id")
        .asString();
    assertRefused(tenant("PATCH", "/api/agents/" + allowed, "{\"webhook_url\":\"http://2130706433:" + p + "/\"}"),
        "invalid_webhook_url");
    // The operator's own workspace keeps reaching its local agent with no setting.
    assertThat(app.api("POST", "/api/agents", agentBody(internal.url() + "/hook", null)).status()).isEqualTo(201);
    assertThat(internal.requests()).isEmpty();
  }

  /** Finding: an agent saved before the policy, at a now-refused address, must fail its calls, not connect. */
  @Test
  void anAgentSavedWithARefusedAddressFailsItsCallsWithoutConnecting() {
    String agentId = deployedAgent(tenantKey, tenantNumber(), "http://2130706433:" + internal.port() + "/hook");

    app.webhook(Meta.text(PNID, "15550300", "Bo", "wamid.T1", System.currentTimeMillis() / 1000, "hi"), SECRET);
    JsonNode call = Await.value("the call is logged", WAIT, () -> {
      JsonNode d = tenant("GET", "/api/agents/" + agentId + "/calls", null).json().get("data");
      return d.isEmpty() ? null : d.get(0);
    });
    assertThat(call.get("outcome").asString()).isEqualTo("agent_url_refused");
    assertThat(call.get("error").asString()).contains("refused by network policy").doesNotContain("127.0.0.1");
    assertThat(internal.requests()).isEmpty();
    assertThat(outside.requests()).isEmpty();
  }

  /**
   * Finding: the agent answered {@code {"type":"document","url":"http://127.0.0.1:…/secret.txt"}} and wabridge
   * fetched and re-hosted it. Direct, decimal and redirect forms: each send fails with media_url_refused.
   */
  @Test
  void aTenantsAgentMediaOnAnInternalAddressIsNeverFetched() {
    deployedAgent(tenantKey, tenantNumber(), null);
    agentReply.set(Response.json(200, "{\"messages\":["
        + "{\"type\":\"document\",\"url\":\"" + internal.url() + "/secret.txt\"},"
        + "{\"type\":\"image\",\"url\":\"http://[::ffff:127.0.0.1]:" + internal.port() + "/secret.png\"},"
        + "{\"type\":\"image\",\"url\":\"" + outside.url() + "/to-internal.png\"},"
        + "{\"type\":\"image\",\"url\":\"" + outside.url() + "/to-internal-decimal.png\"},"
        + "{\"type\":\"message\",\"content\":\"done\"}]}"));
    app.webhook(Meta.text(PNID, "15550301", "Cy", "wamid.T2", System.currentTimeMillis() / 1000, "files"), SECRET);

    JsonNode history = Await.value("the text after the files is sent", WAIT, () -> {
      JsonNode convs = tenant("GET", "/api/conversations", null).json().get("data");
      if (convs.isEmpty()) {
        return null;
      }
      JsonNode d = tenant("GET", "/api/conversations/" + convs.get(0).get("id").asString() + "/messages", null)
          .json().get("data");
      return d.size() == 6 && !"queued".equals(d.get(5).get("status").asString()) ? d : null;
    });
    for (int i = 1; i <= 4; i++) {
      JsonNode m = history.get(i);
      assertThat(m.get("status").asString()).as(m.toString()).isEqualTo("failed");
      assertThat(m.get("error").get("code").asString()).as(m.toString()).isEqualTo("media_url_refused");
      assertThat(m.get("error").get("message").asString()).contains("refused by network policy");
    }
    assertThat(internal.requests()).isEmpty();
    assertThat(outside.requests("/to-internal.png")).hasSize(1);
    assertThat(outside.requests("/to-internal-decimal.png")).hasSize(1);
    assertThat(graph.requests("/media")).isEmpty();
  }

  /**
   * Finding: the sandbox's {@code image_url} fetch ignored the network policy, followed redirects and told what
   * was at the address.
   */
  @Test
  void aTenantsSandboxImageUrlCannotReachAnInternalAddress() {
    String agentId = sandboxAgent(tenantKey);
    for (String url : List.of(internal.url() + "/secret.png", "http://2130706433:" + internal.port() + "/x.png",
        outside.url() + "/to-internal.png")) {
      TestApp.Reply r = tenant("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":\""
          + CUSTOMER + "\",\"image_url\":\"" + url + "\"}");
      assertRefused(r, "invalid_image_url");
      assertThat(r.json().get("error").get("message").asString()).as(url).doesNotContain("HTTP 200")
          .doesNotContain(internal.url());
    }
    assertThat(internal.requests()).isEmpty();
    assertThat(outside.requests("/to-internal.png")).hasSize(1);

    // The operator's own workspace may still use a local file server.
    String own = sandboxAgent(TestApp.ADMIN_KEY);
    assertThat(app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + own + "\",\"from\":\"+15550107021\","
        + "\"image_url\":\"" + internal.url() + "/cat.png\"}", TestApp.ADMIN_KEY, "application/json", Map.of())
        .status()).isEqualTo(202);
    assertThat(internal.requests()).hasSize(1);
  }

  /**
   * Review finding: the operator's workspace reaches any address, but a {@code send} key of it (the narrow key
   * SECURITY.md recommends for a backend) is not the operator; its sandbox image_url reaches only where a tenant's
   * may. And a fetched image_url that is not a photo is refused before anything is stored.
   */
  @Test
  void aSendKeyOfTheOperatorsWorkspaceReachesNoFurtherThanATenant() {
    String own = sandboxAgent(TestApp.ADMIN_KEY);
    String sendKey = app.api("POST", "/api/keys", "{\"name\":\"backend\",\"scope\":\"send\"}").json().get("key")
        .asString();
    TestApp.Reply r = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + own + "\",\"from\":"
        + "\"+15550107022\",\"image_url\":\"" + internal.url() + "/cat.png\"}", sendKey, "application/json", Map.of());
    assertRefused(r, "invalid_image_url");
    assertThat(internal.requests()).isEmpty();

    long before = app.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sandbox_media")
        .mapTo(Long.class).one());
    TestApp.Reply notAPhoto = app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + own + "\",\"from\":"
        + "\"+15550107022\",\"image_url\":\"" + outside.url() + "/page.png\"}", TestApp.ADMIN_KEY, "application/json",
        Map.of());
    assertThat(notAPhoto.status()).as(notAPhoto.body()).isEqualTo(422);
    assertThat(notAPhoto.json().get("error").get("message").asString()).contains("image_url")
        .contains("not a JPEG, PNG, WebP or GIF");
    long after = app.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sandbox_media")
        .mapTo(Long.class).one());
    assertThat(after).as("nothing stored").isEqualTo(before);
  }

  /** The simulated Cloud API fetches links sent to it as Meta would: never from an internal address. */
  @Test
  void theSimulatedGraphDoesNotFetchLinksOnInternalAddresses() {
    String agentId = sandboxAgent(tenantKey);
    assertThat(tenant("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":\"" + CUSTOMER
        + "\",\"text\":\"hi\"}").status()).isEqualTo(202);
    var number = app.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number();
    String to = CUSTOMER.substring(1);
    // The simulated Graph files a send in the chat of the conversation its biz_opaque_callback_data names.
    String conversation = Await.value("the conversation", WAIT, () -> {
      JsonNode list = tenant("GET", "/api/conversations?agent_id=" + agentId, null).json().get("data");
      return list == null || list.isEmpty() ? null : list.get(0).get("id").asString();
    });
    String messageId = tenant("GET", "/api/conversations/" + conversation + "/messages", null).json().get("data")
        .get(0).get("id").asString();
    String tracking = ",\"biz_opaque_callback_data\":\"" + messageId + "\"";
    for (String body : List.of(
        "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"image\",\"image\":{\"link\":\""
            + outside.url() + "/to-internal.png\"}" + tracking + "}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"" + to + "\",\"type\":\"text\",\"text\":{\"body\":\"after\"}"
            + tracking + "}")) {
      assertThat(app.request("POST", "/sandbox/graph/v23.0/" + number.phoneNumberId() + "/messages", body,
          number.accessToken(), "application/json", Map.of()).status()).isEqualTo(200);
    }
    // Sends to one phone are delivered in order: once "after" shows, the image has been tried.
    Await.until("the text after the image is shown", WAIT,
        () -> phoneShows(agentId, b -> "after".equals(b.get("text").asString())));
    assertThat(outside.requests("/to-internal.png")).hasSize(1);
    assertThat(internal.requests()).isEmpty();
  }

  /**
   * Finding: NetworkPolicy resolved the host and the client resolved again (DNS rebinding). A name that answers a
   * public address when checked and loopback afterwards never gets a connection to loopback: the client connects
   * only to the addresses the policy checked, at each connection.
   */
  @Test
  void aNameThatRebindsToLoopbackAfterTheCheckIsNeverConnectedTo() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    NetworkPolicy.Resolver rebinding = host -> List.of(InetAddress.getByAddress(host,
        lookups.getAndIncrement() == 0 ? new byte[] {93, (byte) 184, (byte) 215, 14} : new byte[] {127, 0, 0, 1}));
    NetworkPolicy policy = NetworkPolicy.guarded(List.of(), rebinding, null);
    String url = "http://rebind.example:" + internal.port() + "/hook";
    assertThat(policy.forWorkspace("ws_tenant").refusal(URI.create(url))).isNull();

    Agent agent = new Agent("agt_1", "ws_tenant", "A", url, "whsec_x", AgentStatus.DEPLOYED, "num_1", "join", 5, null, 0,
        TextFormat.AUTO, 0, 0, true);
    try (AgentClient client = new AgentClient(InstantSource.system(), "test", policy,
        Tuning.DEFAULTS.agentConnectTimeout())) {
      AgentResult r = client.call(agent, "dlv_1", "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(r).isInstanceOfSatisfying(AgentResult.Failed.class, f -> {
        assertThat(f.code()).isEqualTo("agent_url_refused");
        assertThat(f.message()).contains("refused by network policy").doesNotContain("127.0.0.1");
      });
    }
    assertThat(lookups.get()).isEqualTo(2);
    assertThat(internal.requests()).isEmpty();

    // The same call where the operator allowlisted loopback does connect: the refusal above was the policy's.
    NetworkPolicy listed = NetworkPolicy.guarded(List.of(Cidr.parse("127.0.0.1/32")), rebinding, null);
    try (AgentClient client = new AgentClient(InstantSource.system(), "test", listed,
        Tuning.DEFAULTS.agentConnectTimeout())) {
      assertThat(client.call(agent, "dlv_2", "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(AgentResult.Replied.class);
    }
    assertThat(internal.requests()).hasSize(1);
  }

  /**
   * Found while fixing the above: the outbound client kept a cookie jar, so a cookie one agent's server set was
   * sent to every later call to that host, whichever workspace's agent it was (a session stolen across tenants).
   */
  @Test
  void noCookieSetByOneAgentsServerIsSentOnAnyLaterCall() throws Exception {
    try (FakeServer server = new FakeServer(r -> new Response(200, "application/json", "{}".getBytes(),
        Map.of("Set-Cookie", "session=tenant-a-secret; Path=/")));
         OutboundHttp http = new OutboundHttp("agent-calls", Duration.ofSeconds(2), "wabridge/test")) {
      for (int i = 0; i < 2; i++) {
        http.postJson(URI.create(server.url() + "/hook"), "{}".getBytes(StandardCharsets.UTF_8), 5_000, 1024);
      }
      assertThat(server.requests()).hasSize(2).allSatisfy(r -> assertThat(r.header("Cookie")).isNull());
    }
  }

  /** Not a finding: the policy must not lock tenants out of wabridge's own demo agent and its files. */
  @Test
  void wabridgesOwnDemoAgentStillWorksForATenant() {
    String agentId = tenant("POST", "/sandbox/api/demo-agent", "{}").json().get("id").asString();
    tenant("POST", "/api/agents/" + agentId + "/deploy", null);
    assertThat(tenant("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":\"" + CUSTOMER
        + "\",\"text\":\"image\"}").status()).isEqualTo(202);
    Await.until("the demo agent's image arrives", WAIT, () -> phoneShows(agentId,
        b -> "outbound".equals(b.get("direction").asString()) && "image".equals(b.get("type").asString())));
  }

  /**
   * Finding L5: a customer's media was downloaded from whatever {@code url} Graph's media info named, with the
   * number's access token and redirects followed automatically. A tenant signs its own number's webhooks, so it
   * picks the media id looked up: were any Graph object readable with its token to carry a url of its choosing,
   * wabridge would fetch an internal address for it (token attached) and hand the bytes to its agent. Only the
   * Graph API's own origin, or https where the number's workspace may connect, is followed, hop by hop.
   */
  @Test
  void aDownloadUrlInGraphsMediaInfoLeadsOnlyToTheGraphHostOrWhereTheWorkspaceMayConnect() {
    Map<String, String> urls = Map.of("M_PLAIN", internal.url() + "/secret.png",
        "M_HTTPS", "https://localhost:" + internal.port() + "/secret.png",
        "M_HOP", graph.url() + "/lookaside/to-internal", "M_OK", graph.url() + "/lookaside/ok");
    graph.respondWith(r -> {
      String last = r.path().substring(r.path().lastIndexOf('/') + 1);
      if (r.method().equals("GET") && urls.containsKey(last)) {
        return Response.json(200, "{\"messaging_product\":\"whatsapp\",\"url\":\"" + urls.get(last)
            + "\",\"mime_type\":\"image/png\",\"id\":\"" + last + "\"}");
      }
      return switch (r.path()) {
        case "/lookaside/to-internal" -> Response.redirect(internal.url() + "/secret.png");
        case "/lookaside/ok" -> new Response(200, "image/png", PNG);
        default -> Response.json(200, "{\"messages\":[{\"id\":\"wamid.M" + System.nanoTime() + "\"}]}");
      };
    });
    deployedAgent(tenantKey, tenantNumber(), null);
    for (String id : urls.keySet()) {
      assertThat(app.webhook(Meta.envelope(PNID, "\"contacts\":[{\"profile\":{\"name\":\"Di\"},\"wa_id\":"
          + "\"15550302\"}],\"messages\":[{\"from\":\"15550302\",\"id\":\"wamid.L5" + id + "\",\"timestamp\":\""
          + System.currentTimeMillis() / 1000 + "\",\"type\":\"image\",\"image\":{\"caption\":\"" + id
          + "\",\"mime_type\":\"image/png\",\"sha256\":\"x\",\"id\":\"" + id + "\"}}]"), SECRET).status())
          .isEqualTo(200);
    }
    // Watched in the database: polling the API would meet the per-key rate limit while downloads are retried.
    // Before the fix the internal service was asked (with the tenant's token): that ends the wait at once.
    Await.until("every image is downloaded or refused", WAIT, () -> !internal.requests().isEmpty()
        || app.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE media IS "
        + "NOT NULL").mapTo(Integer.class).one()) == urls.size());
    assertThat(internal.requests()).isEmpty();
    String conversation = tenant("GET", "/api/conversations", null).json().get("data").get(0).get("id").asString();
    Map<String, JsonNode> media = new java.util.HashMap<>();
    for (JsonNode m : tenant("GET", "/api/conversations/" + conversation + "/messages", null).json().get("data")
        .values()) {
      if (m.get("media").isObject()) {
        media.put(m.get("media").get("caption").asString(), m.get("media"));
      }
    }
    for (String refused : List.of("M_PLAIN", "M_HTTPS", "M_HOP")) {
      JsonNode m = media.get(refused);
      assertThat(m.get("url").isNull()).as(m.toString()).isTrue();
      assertThat(m.get("error").asString()).as(refused).contains("refused by network policy")
          .doesNotContain("127.0.0.1");
    }
    assertThat(graph.requests("/lookaside/to-internal")).hasSize(1);
    // What Meta does answer still arrives, fetched with the number's token from the Graph API's host.
    assertThat(media.get("M_OK").get("url").isString()).as(media.get("M_OK").toString()).isTrue();
    assertThat(graph.requests("/lookaside/ok")).singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer tenant-token"));
  }

  /**
   * Finding L6: the exception for wabridge's own URL was host-and-port wide, so behind a path-routing ingress a
   * tenant reached every other service on that host from wabridge's network position. Only the demo agent and its
   * files are excepted now: when a URL is saved, and before every call.
   */
  @Test
  void ofWabridgesOwnAddressATenantReachesOnlyTheDemoAgentAndItsFiles() {
    for (String path : List.of("/api/keys", "/console", "/sandbox/demo-agent/../../api/keys",
        "/sandbox/demo/%2e%2e/%2e%2e/api/keys", "/sandbox/demo-agent;x=1")) {
      assertRefused(tenant("POST", "/api/agents", agentBody(app.url() + path, null)), "invalid_webhook_url");
    }
    assertThat(tenant("POST", "/api/agents", agentBody(app.url() + "/sandbox/demo-agent", null)).status())
        .isEqualTo(201);

    String sandboxAgent = sandboxAgent(tenantKey);
    assertRefused(tenant("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + sandboxAgent + "\",\"from\":\""
        + CUSTOMER + "\",\"image_url\":\"" + app.url() + "/api/openapi.json\"}"), "invalid_image_url");
    assertThat(tenant("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + sandboxAgent + "\",\"from\":\""
        + CUSTOMER + "\",\"image_url\":\"" + app.url() + "/sandbox/demo/photo.png\"}").status()).isEqualTo(202);

    // An agent stored at another path of wabridge's (saved before the rule) fails its calls without being called.
    String agentId = deployedAgent(tenantKey, tenantNumber(), app.url() + "/api/keys");
    app.webhook(Meta.text(PNID, "15550303", "Ed", "wamid.L6", System.currentTimeMillis() / 1000, "hi"), SECRET);
    JsonNode call = Await.value("the call is logged", WAIT, () -> {
      JsonNode d = tenant("GET", "/api/agents/" + agentId + "/calls", null).json().get("data");
      return d.isEmpty() ? null : d.get(0);
    });
    assertThat(call.get("outcome").asString()).isEqualTo("agent_url_refused");
    assertThat(call.get("error").asString()).contains("refused by network policy");
  }

  /**
   * Finding L6, at request time: connections are per host and port, so the path is checked before each request
   * and each redirect hop. Wabridge behind an ingress at {@code /wabridge}: a redirect from a demo file to another
   * path of that host, or a call to one, is refused before it is made.
   */
  @Test
  void aRedirectFromTheDemoPathsToAnotherPathOfWabridgesHostIsNotFollowed() throws Exception {
    try (FakeServer own = new FakeServer(r -> switch (r.path()) {
      case "/wabridge/sandbox/demo/photo.png" -> new Response(200, "image/png", PNG);
      case "/wabridge/sandbox/demo/moved.png" -> Response.redirect("/wabridge/internal/admin");
      case "/wabridge/sandbox/demo/dots.png" -> Response.redirect("../../internal/admin");
      default -> Response.json(200, "{\"secret\":true}");
    });
         OutboundHttp http = new OutboundHttp("media", Duration.ofSeconds(2), "wabridge/test",
             NetworkPolicy.guarded(List.of(), NetworkPolicy.Resolver.SYSTEM, own.url() + "/wabridge"))) {
      String base = own.url() + "/wabridge";
      assertThat(http.fetch(URI.create(base + "/sandbox/demo/photo.png"), 5_000, 1024, 5).answer().status())
          .isEqualTo(200);
      assertThat(http.postJson(URI.create(base + "/sandbox/demo-agent"), "{}".getBytes(StandardCharsets.UTF_8),
          5_000, 1024).status()).isEqualTo(200);
      for (String file : List.of("moved.png", "dots.png")) {
        assertThatThrownBy(() -> http.fetch(URI.create(base + "/sandbox/demo/" + file), 5_000, 1024, 5))
            .isInstanceOfSatisfying(OutboundHttp.Failure.class, f -> {
              assertThat(f.reason()).isEqualTo(OutboundHttp.Reason.POLICY);
              assertThat(f.getMessage()).contains("redirect");
            });
      }
      assertThatThrownBy(() -> http.postJson(URI.create(base + "/internal/admin"), "{}".getBytes(
          StandardCharsets.UTF_8), 5_000, 1024)).isInstanceOf(OutboundHttp.Failure.class);
      assertThatThrownBy(() -> http.fetch(URI.create(own.url() + "/other-app/"), 5_000, 1024, 5))
          .isInstanceOf(OutboundHttp.Failure.class).hasMessageContaining("refused by network policy");
      assertThat(own.requests()).extracting(FakeServer.Request::path).containsExactly(
          "/wabridge/sandbox/demo/photo.png", "/wabridge/sandbox/demo-agent", "/wabridge/sandbox/demo/moved.png",
          "/wabridge/sandbox/demo/dots.png");
    }
  }

  private String sandboxAgent(String key) {
    return deployedAgent(key, "num_sandbox", null);
  }

  /**
   * A deployed agent at {@link #outside}; {@code storedUrl}, when given, is written behind the API's back before
   * deploying (which clears the agent cache), as a URL saved before the network policy existed.
   */
  private String deployedAgent(String key, String numberId, String storedUrl) {
    TestApp.Reply a = app.request("POST", "/api/agents", agentBody(outside.url() + "/agent", numberId), key,
        "application/json", Map.of());
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    String id = a.json().get("id").asString();
    if (storedUrl != null) {
      app.app().database().jdbi().useHandle(h -> h.createUpdate("UPDATE agents SET webhook_url = :u WHERE id = :id")
          .bind("u", storedUrl).bind("id", id).execute());
    }
    assertThat(app.request("POST", "/api/agents/" + id + "/deploy", null, key, "application/json", Map.of()).status())
        .isEqualTo(200);
    return id;
  }

  /** Whether the customer's phone, chatting with this agent of the tenant's, shows a matching bubble. */
  private boolean phoneShows(String agentId, Predicate<JsonNode> bubble) {
    JsonNode view = tenant("GET", "/sandbox/api/messages?agent_id=" + agentId + "&from="
        + URLEncoder.encode(CUSTOMER, StandardCharsets.UTF_8), null).json();
    for (JsonNode b : view.get("data").values()) {
      if (bubble.test(b)) {
        return true;
      }
    }
    return false;
  }

  private String tenantNumber() {
    TestApp.Reply n = tenant("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"tenant-token\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}");
    assertThat(n.status()).as(n.body()).isEqualTo(201);
    return n.json().get("id").asString();
  }
}
