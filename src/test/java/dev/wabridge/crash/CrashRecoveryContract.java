package dev.wabridge.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * kill -9 at several points of a stream of signed webhooks, restart on the same data, and check docs/contract.md
 * section 7: every acknowledged message reached the agent (under one delivery id, however often a crash made
 * it retry), every reply reached the Graph API, in order per customer. Ends with SIGTERM, which must drain and
 * exit 0. Runs on each database through a subclass.
 */
abstract class CrashRecoveryContract {
  static final String PNID = "9988776655";
  static final String SECRET = "crash-secret";
  static final int CUSTOMERS = 8;
  static final int MESSAGES = 240;
  static final int[] KILL_AFTER_ACKS = {40, 110, 180};

  abstract Map<String, String> database();

  @Test
  void everyAcknowledgedMessageIsAnsweredInOrderAcrossKills() throws Exception {
    Map<String, AtomicInteger> sendsByText = new ConcurrentHashMap<>();
    List<String> sendOrder = java.util.Collections.synchronizedList(new ArrayList<>());
    try (FakeServer graph = new FakeServer(r -> {
      if (r.bodyText().contains("\"status\":\"read\"")) {
        return Response.json(200, "{\"success\":true}");
      }
      String text = Json.parse(r.body()).get("text").get("body").asString();
      sendsByText.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
      sendOrder.add(text);
      return Response.json(200, "{\"messages\":[{\"id\":\"wamid.C" + System.nanoTime() + "\"}]}");
    }); FakeServer agent = new FakeServer(r -> Response.json(200, "{\"content\":\"re: "
        + Json.parse(r.body()).get("message").asString() + "\"}"))) {
      int port = TestApp.freePort();
      Path data = Files.createTempDirectory("wabridge-crash");
      Map<String, String> env = new HashMap<>(database());
      env.put("WABRIDGE_PORT", Integer.toString(port));
      env.put("WABRIDGE_DATA_DIR", data.toString());
      env.put("WABRIDGE_ADMIN_KEY", TestApp.ADMIN_KEY);
      env.put("WABRIDGE_SANDBOX", "false");
      env.put("WABRIDGE_GRAPH_URL", graph.url());
      JarProcess jar = new JarProcess(env, data.resolve("wabridge.log"), port);
      String base = "http://127.0.0.1:" + port;
      try {
        jar.start();
        setUp(base, agent.url());
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger ackCount = new AtomicInteger();
        Thread meta = Thread.ofPlatform().start(() -> sendAll(base, acked, ackCount));
        for (int killAt : KILL_AFTER_ACKS) {
          Await.until(killAt + " acknowledgements", Duration.ofSeconds(120), () -> ackCount.get() >= killAt);
          jar.kill();
          jar.start();
        }
        meta.join(Duration.ofMinutes(3));
        assertThat(acked).hasSize(MESSAGES);

        Await.until("every message answered", Duration.ofSeconds(120),
            () -> acked.stream().allMatch(t -> sendsByText.containsKey("re: " + t)));

        Map<String, Set<String>> deliveriesByMessage = new HashMap<>();
        for (Request call : agent.requests()) {
          String msg = Json.parse(call.body()).get("message").asString();
          deliveriesByMessage.computeIfAbsent(msg, k -> ConcurrentHashMap.newKeySet())
              .add(call.header("X-Wabridge-Delivery"));
        }
        for (String text : acked) {
          assertThat(deliveriesByMessage.get(text)).as("delivery ids for %s", text).hasSize(1);
        }
        int repeatedCalls = agent.requests().size() - acked.size();
        int repeatedSends = sendOrder.size() - acked.size();
        assertThat(repeatedCalls).as("agent calls repeated after kills").isLessThanOrEqualTo(
            KILL_AFTER_ACKS.length * CUSTOMERS);
        assertThat(repeatedSends).as("sends repeated after kills").isLessThanOrEqualTo(
            KILL_AFTER_ACKS.length * CUSTOMERS);
        assertOrderedPerCustomer(sendOrder);
        System.out.printf("crash test (%s): %d messages, %d kills, %d repeated agent calls, %d repeated sends%n",
            database().isEmpty() ? "sqlite" : "postgresql", MESSAGES, KILL_AFTER_ACKS.length, repeatedCalls,
            repeatedSends);

        assertThat(jar.terminate()).as("exit code after SIGTERM").isZero();
      } finally {
        jar.forceStop();
      }
    }
  }

  private static void assertOrderedPerCustomer(List<String> sendOrder) {
    Map<Integer, Integer> lastSeq = new LinkedHashMap<>();
    for (String text : sendOrder) {
      String[] parts = text.substring("re: c".length()).split("-m");
      int customer = Integer.parseInt(parts[0]);
      int seq = Integer.parseInt(parts[1]);
      int previous = lastSeq.getOrDefault(customer, -1);
      assertThat(seq).as("customer %d's replies in order (a resend after a kill repeats the last)", customer)
          .isGreaterThanOrEqualTo(previous);
      lastSeq.put(customer, seq);
    }
  }

  private static void setUp(String base, String agentUrl) throws Exception {
    String numberId = Json.parse(call(base, "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\","
        + "\"display_phone_number\":\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + SECRET + "\","
        + "\"verify_token\":\"v\",\"throughput_mps\":1000}")).get("id").asString();
    String agentId = Json.parse(call(base, "/api/agents", "{\"name\":\"Crash\",\"webhook_url\":\"" + agentUrl
        + "\",\"number_id\":\"" + numberId + "\",\"timeout_seconds\":10}")).get("id").asString();
    call(base, "/api/agents/" + agentId + "/deploy", "");
  }

  private static String call(String base, String path, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TestApp.ADMIN_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
    return r.body();
  }

  /** Meta's side: every webhook is retried until it is answered 200, in order. */
  private static void sendAll(String base, Set<String> acked, AtomicInteger ackCount) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long now = System.currentTimeMillis() / 1000;
    int[] next = new int[CUSTOMERS];
    for (int i = 0; i < MESSAGES; i++) {
      int customer = i % CUSTOMERS;
      String text = "c" + customer + "-m" + next[customer]++;
      String body = Meta.text(PNID, "1555900000" + customer, "C" + customer, "wamid.crash." + i, now, text);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      while (true) {
        try {
          HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/whatsapp"))
                  .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                  .header("X-Hub-Signature-256", MetaSignature.sign(bytes, SECRET))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
              HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            acked.add(text);
            ackCount.incrementAndGet();
            break;
          }
        } catch (IOException e) {
          // down (killed); Meta retries
        } catch (InterruptedException e) {
          return;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
