package dev.wabridge.security;

import dev.wabridge.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 11, "Done when": at least 1,000 mutated webhook and API bodies per run, none answered with a 5xx, none with
 * a bad signature accepted. Webhook seeds are Meta's real payloads ({@code src/test/resources/webhook-fixtures})
 * pointed at a registered number; API seeds are valid bodies of every route that takes one. The mutations are
 * seeded ({@code -Dwabridge.fuzz.seed=N} reproduces a run; the seed is printed).
 */
class FuzzSecurityTest {
  private static final String PNID = "106540352242922";
  private static final String SECRET = "fuzz-app-secret";
  private static final int BAD_SIGNATURE_BODIES = 350;
  private static final int SIGNED_BODIES = 350;
  private static final int API_BODIES = 450;

  private final long seed = Long.getLong("wabridge.fuzz.seed", 20261203L);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeServer graph;
  private FakeServer agent;
  private TestApp app;
  private final List<String> failures = new ArrayList<>();
  /** Answers seen, by status, to show the run reached past the parsers (printed at the end). */
  private final java.util.TreeMap<Integer, Integer> statuses = new java.util.TreeMap<>();

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> r.method().equals("GET")
        ? FakeServer.Response.json(200, "{\"id\":\"" + r.path().replaceAll("^.*/", "").replaceAll("\\?.*$", "")
            + "\",\"display_phone_number\":\"+1 555 000 1111\",\"verified_name\":\"Fuzz\"}")
        : FakeServer.Response.json(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.F"
            + System.nanoTime() + "\"}]}"));
    agent = new FakeServer(r -> FakeServer.Response.json(200, "{\"type\":\"message\",\"content\":\"ok\"}"));
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of("WABRIDGE_SANDBOX", "true")));
    System.out.println("FuzzSecurityTest seed " + seed + " (rerun with -Dwabridge.fuzz.seed=" + seed + ")");
  }

  @AfterEach
  void stop() {
    app.close();
    agent.close();
    graph.close();
  }

  @Test
  void mutatedBodiesNeverCauseA5xxAndABadSignatureIsNeverAccepted() throws Exception {
    String numberId = created(api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\","
        + "\"display_phone_number\":\"+1 555 000 1111\",\"access_token\":\"EAAG-fuzz\",\"app_secret\":\"" + SECRET
        + "\",\"verify_token\":\"fuzz\"}"));
    String agentId = created(api("POST", "/api/agents", "{\"name\":\"Fuzz\",\"webhook_url\":\"" + agent.url()
        + "/hook\",\"number_id\":\"" + numberId + "\",\"timeout_seconds\":5}"));
    assertThat(api("POST", "/api/agents/" + agentId + "/deploy", null).status()).isEqualTo(200);
    List<JsonNode> webhookSeeds = webhookSeeds();
    Mutator m = new Mutator(seed);

    // 1. Bad signatures, before anything else is stored: nothing may be accepted.
    for (int i = 0; i < BAD_SIGNATURE_BODIES; i++) {
      byte[] body = m.mutate(webhookSeeds.get(m.nextInt(webhookSeeds.size())));
      String signature = switch (m.nextInt(4)) {
        case 0 -> null;
        case 1 -> "sha256=" + HexFormat.of().formatHex(new byte[32]);
        case 2 -> MetaSignature.sign(body, "another-app's-secret");
        default -> "garbage";
      };
      int status = webhook(body, signature);
      check("bad-signature webhook #" + i, status, body);
      if (status / 100 == 2 && namesOurNumber(body)) {
        failures.add("bad-signature webhook #" + i + " naming our number was answered " + status + ": "
            + preview(body));
      }
    }
    assertThat(count("messages")).as("messages stored from bad-signature webhooks").isZero();
    assertThat(count("conversations")).as("conversations made by bad-signature webhooks").isZero();
    assertThat(agent.requests()).as("agent calls caused by bad-signature webhooks").isEmpty();

    // 2. Correct signatures on mutated bodies: never a 5xx.
    for (int i = 0; i < SIGNED_BODIES; i++) {
      byte[] body = m.mutate(webhookSeeds.get(m.nextInt(webhookSeeds.size())));
      check("signed webhook #" + i, webhook(body, MetaSignature.sign(body, SECRET)), body);
    }

    // 3. Every API route that takes a body, with a live conversation and callback to aim at.
    String wamid = "wamid.FUZZSEED" + seed;
    byte[] first = Meta.text(PNID, "15551234567", "Kerry", wamid, clock.millis() / 1000, "hi").getBytes();
    assertThat(webhook(first, MetaSignature.sign(first, SECRET))).isEqualTo(200);
    JsonNode call = Await.value("the agent is called", Duration.ofSeconds(20), () -> agent.requests().stream()
        .map(r -> Json.parse(r.body())).filter(p -> "hi".equals(Json.text(p, "message"))).findFirst().orElse(null));
    String callback = URI.create(call.get("reply_callback").asString()).getPath();
    String conversation = call.get("conversation_id").asString();
    String spareAgent = created(api("POST", "/api/agents", "{\"name\":\"Spare\",\"webhook_url\":\"" + agent.url()
        + "/spare\",\"timeout_seconds\":5}"));
    String spareNumber = created(api("POST", "/api/numbers", "{\"phone_number_id\":\"106540352242999\","
        + "\"display_phone_number\":\"+1 555 000 2222\",\"access_token\":\"EAAG-spare\",\"app_secret\":\"s\","
        + "\"verify_token\":\"spare\"}"));
    String sandboxAgent = created(api("POST", "/api/agents", "{\"name\":\"Sandbox\",\"webhook_url\":\"" + agent.url()
        + "/sandbox\",\"number_id\":\"num_sandbox\",\"timeout_seconds\":5}"));
    api("POST", "/api/agents/" + sandboxAgent + "/deploy", null);
    // A tenant's own routes too, where the network policy, scopes and quotas apply (the fourth field: its key).
    String tenantKey = app.api("POST", "/api/workspaces", "{\"name\":\"Fuzzed tenant\"}").json().get("api_key")
        .asString();
    String tenantSandboxAgent = created(app.request("POST", "/api/agents", "{\"name\":\"Demo\",\"webhook_url\":\""
        + app.url() + "/sandbox/demo-agent\",\"number_id\":\"num_sandbox\",\"timeout_seconds\":5}", tenantKey,
        "application/json", Map.of()));
    app.request("POST", "/api/agents/" + tenantSandboxAgent + "/deploy", null, tenantKey, null, Map.of());
    List<String[]> routes = List.of(
        new String[] {"POST", "/api/agents", "{\"name\":\"T\",\"webhook_url\":\"http://127.0.0.1:9/hook\"}",
            tenantKey},
        new String[] {"POST", "/api/keys", "{\"name\":\"t\",\"scope\":\"send\"}", tenantKey},
        new String[] {"POST", "/sandbox/api/messages", "{\"agent_id\":\"" + tenantSandboxAgent + "\",\"from\":"
            + "\"+15550008888\",\"image_url\":\"http://127.0.0.1:9/p.png\"}", tenantKey},
        new String[] {"POST", "/api/agents", "{\"name\":\"A\",\"webhook_url\":\"" + agent.url() + "/a\","
            + "\"timeout_seconds\":5,\"fallback_message\":\"sorry\",\"debounce_ms\":0}"},
        new String[] {"PATCH", "/api/agents/" + spareAgent, "{\"name\":\"B\",\"timeout_seconds\":10,"
            + "\"fallback_message\":\"later\",\"debounce_ms\":100}"},
        new String[] {"POST", "/api/numbers", "{\"phone_number_id\":\"106540352243000\",\"display_phone_number\":"
            + "\"+1 555 000 3333\",\"access_token\":\"EAAG\",\"app_secret\":\"s\",\"verify_token\":\"v\"}"},
        new String[] {"PATCH", "/api/numbers/" + spareNumber, "{\"display_phone_number\":\"+1 555 000 4444\","
            + "\"throughput_mps\":10}"},
        new String[] {"POST", "/api/keys", "{\"name\":\"k\",\"scope\":\"read\"}"},
        new String[] {"POST", "/api/workspaces", "{\"name\":\"w\"}"},
        new String[] {"POST", "/api/conversations/" + conversation + "/messages", "reply"},
        new String[] {"POST", callback, "reply"},
        new String[] {"POST", "/sandbox/api/messages", "{\"agent_id\":\"" + sandboxAgent + "\",\"from\":"
            + "\"+15550009999\",\"name\":\"Kerry\",\"text\":\"hi\"}"});
    for (int i = 0; i < API_BODIES; i++) {
      String[] route = routes.get(m.nextInt(routes.size()));
      JsonNode seedBody = route[2].equals("reply") ? Json.parse(replySeed(m)) : Json.parse(route[2]);
      byte[] body = m.mutate(seedBody);
      if (i % 40 == 0) {
        clock.advance(Duration.ofSeconds(11)); // past the per-key and per-callback windows
      }
      String key = route.length > 3 ? route[3] : route[1].startsWith("/api/callback/") ? null : TestApp.ADMIN_KEY;
      check(route[0] + " " + route[1] + " #" + i, send(route[0], route[1], body, key), body);
    }

    System.out.println("FuzzSecurityTest answers by status: " + statuses + "; agent calls: "
        + agent.requests().size() + "; Graph calls: " + graph.requests().size());
    assertThat(api("GET", "/healthz", null).status()).isEqualTo(200);
    assertThat(failures).as("fuzz failures with seed " + seed).isEmpty();
  }

  private void check(String what, int status, byte[] body) {
    statuses.merge(status, 1, Integer::sum);
    if (status >= 500) {
      failures.add(what + " answered " + status + ": " + preview(body));
    }
  }

  private static String preview(byte[] body) {
    String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return s.length() > 300 ? s.substring(0, 300) + "… (" + body.length + " bytes)" : s;
  }

  private static boolean namesOurNumber(byte[] body) {
    try {
      return Json.parse(body).toString().contains("\"phone_number_id\":\"" + PNID + "\"");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String replySeed(Mutator m) {
    String[] replies = {"{\"type\":\"message\",\"content\":\"**Order** shipped, see https://example.com/o/1\"}",
        "{\"type\":\"image\",\"url\":\"http://127.0.0.1:9/p.png\",\"caption\":\"c\"}",
        "{\"type\":\"buttons\",\"content\":\"Pick\",\"buttons\":[{\"id\":\"a\",\"title\":\"A\"},{\"id\":\"b\","
            + "\"title\":\"B\"}]}",
        "{\"type\":\"list\",\"content\":\"Menu\",\"button\":\"Open\",\"sections\":[{\"title\":\"S\",\"rows\":"
            + "[{\"id\":\"r1\",\"title\":\"Row\",\"description\":\"d\"}]}]}",
        "{\"messages\":[{\"type\":\"message\",\"content\":\"one\"},{\"type\":\"location\",\"latitude\":52.37,"
            + "\"longitude\":4.89}]}",
        "{\"type\":\"template\",\"name\":\"order_update\",\"language\":\"en_US\"}",
        "{\"type\":\"contact\",\"name\":\"Kerry\",\"phone\":\"+15551234567\"}",
        "{\"type\":\"reaction\",\"emoji\":\"\\ud83d\\udc4d\"}"};
    return replies[m.nextInt(replies.length)];
  }

  private List<JsonNode> webhookSeeds() throws IOException {
    List<JsonNode> seeds = new ArrayList<>();
    seeds.add(Json.parse(Meta.text(PNID, "15551234567", "Kerry", "wamid.SEED1", 1_750_000_000, "hello")));
    seeds.add(Json.parse(Meta.status(PNID, "wamid.SEED2", "failed", "15551234567")));
    Path dir = Fixtures.webhooks();
    assertThat(dir.resolve("pywa")).as("the webhook fixtures in the repository").isDirectory();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          JsonNode root;
          try {
            root = Json.parse(Files.readAllBytes(f));
          } catch (RuntimeException e) {
            continue; // a file of several envelopes one after another: the others give enough seeds
          }
          if (root.has("entry")) {
            seeds.add(pointedAtUs(root));
          } else {
            root.values().forEach(v -> seeds.add(pointedAtUs(v)));
          }
        }
      }
    }
    return seeds;
  }

  /** The fixture with every phone_number_id replaced by ours, so a signed copy reaches the intake. */
  private static JsonNode pointedAtUs(JsonNode node) {
    JsonNode copy = node.deepCopy();
    replaceIds(copy);
    return copy;
  }

  private static void replaceIds(JsonNode node) {
    if (node instanceof ObjectNode o && o.has("phone_number_id")) {
      o.put("phone_number_id", PNID);
    }
    for (JsonNode child : node.values()) {
      replaceIds(child);
    }
  }

  private int webhook(byte[] body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url() + "/webhooks/whatsapp"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
    if (signature != null) {
      b.header("X-Hub-Signature-256", signature);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private int send(String method, String path, byte[] body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url() + path))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private TestApp.Reply api(String method, String path, String body) {
    return app.api(method, path, body);
  }

  private static String created(TestApp.Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  private long count(String table) {
    return app.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
        .mapTo(Long.class).one());
  }
}
