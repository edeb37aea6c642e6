package dev.wabridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.agent.AgentSignature;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The core loop end to end over real sockets: a signed Meta webhook in, the agent called with the seed's
 * fields, its reply sent through the (fake) Graph API, status webhooks applied, the history right. Runs on
 * each database through a subclass.
 */
abstract class CoreLoopContract {
  static final String PNID = "106540352242922";
  static final String APP_SECRET = "app-secret-for-tests";
  static final Duration WAIT = Duration.ofSeconds(20);

  final AtomicInteger wamids = new AtomicInteger();
  FakeServer graph;
  FakeServer agent;
  TestApp app;
  String agentId;
  String webhookSecret;

  abstract boolean postgres();

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> r.bodyText().contains("\"status\":\"read\"")
        ? Response.json(200, "{\"success\":true}")
        : Response.json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
            + "\"messages\":[{\"id\":\"wamid.OUT" + wamids.incrementAndGet() + "\"}]}"));
    agent = new FakeServer(r -> Response.json(200, "{\"type\":\"message\",\"content\":\"**Hello** back\"}"));
    app = new TestApp(postgres(), graph.url());
    TestApp.Reply n = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555 000 1111\",\"access_token\":\"EAAG-token\",\"app_secret\":\"" + APP_SECRET + "\","
        + "\"verify_token\":\"verify-me\"}");
    assertThat(n.status()).as(n.body()).isEqualTo(201);
    assertThat(n.body()).doesNotContain("EAAG-token").doesNotContain(APP_SECRET).doesNotContain("verify-me");
    String numberId = n.json().get("id").asString();
    TestApp.Reply a = app.api("POST", "/api/agents", "{\"name\":\"Support\",\"webhook_url\":\"" + agent.url()
        + "/webhook\",\"number_id\":\"" + numberId + "\",\"timeout_seconds\":5}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    agentId = a.json().get("id").asString();
    webhookSecret = a.json().get("webhook_secret").asString();
    assertThat(a.json().get("status").asString()).isEqualTo("draft");
    assertThat(a.json().get("connect_url").asString()).isEqualTo("https://wa.me/15550001111");
    TestApp.Reply d = app.api("POST", "/api/agents/" + agentId + "/deploy", null);
    assertThat(d.json().get("status").asString()).isEqualTo("deployed");
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  private long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void messageReachesAgentAndReplyReachesWhatsApp() {
    TestApp.Reply ack = app.webhook(Meta.text(PNID, "15551234567", "Kerry", "wamid.IN1", now(), "Hi there"),
        APP_SECRET);
    assertThat(ack.status()).isEqualTo(200);

    Await.until("the reply is sent", WAIT, () -> !sends().isEmpty());
    Request call = agent.requests().getFirst();
    JsonNode payload = Json.parse(call.body());
    assertThat(payload.get("message").asString()).isEqualTo("Hi there");
    assertThat(payload.get("image").isNull()).isTrue();
    assertThat(payload.get("phone_number").asString()).isEqualTo("+15551234567");
    assertThat(payload.get("reply_callback").asString()).startsWith(app.url() + "/api/callback/");
    assertThat(payload.get("type").asString()).isEqualTo("text");
    assertThat(payload.get("customer_name").asString()).isEqualTo("Kerry");
    assertThat(payload.get("agent_id").asString()).isEqualTo(agentId);
    assertThat(payload.get("message_id").asString()).startsWith("msg_");
    assertThat(payload.get("conversation_id").asString()).startsWith("conv_");
    assertThat(payload.get("window_expires_at").asString()).endsWith("Z");
    assertThat(call.header("X-Wabridge-Delivery")).startsWith("dlv_");
    assertThat(call.header("User-Agent")).startsWith("wabridge/");
    String sig = call.header("X-Wabridge-Signature");
    long t = Long.parseLong(sig.substring(2, sig.indexOf(',')));
    assertThat(sig).isEqualTo(AgentSignature.header(webhookSecret, t, call.body()));

    Request markRead = graph.requests().stream().filter(r -> r.bodyText().contains("\"status\":\"read\""))
        .findFirst().orElseThrow();
    JsonNode mr = Json.parse(markRead.body());
    assertThat(mr.get("message_id").asString()).isEqualTo("wamid.IN1");
    assertThat(mr.get("typing_indicator").get("type").asString()).isEqualTo("text");
    assertThat(markRead.path()).isEqualTo("/v23.0/" + PNID + "/messages");
    assertThat(markRead.header("Authorization")).isEqualTo("Bearer EAAG-token");

    JsonNode send = Json.parse(sends().getFirst().body());
    assertThat(send.get("messaging_product").asString()).isEqualTo("whatsapp");
    assertThat(send.get("to").asString()).isEqualTo("+15551234567");
    assertThat(send.get("type").asString()).isEqualTo("text");
    assertThat(send.get("text").get("body").asString()).isEqualTo("*Hello* back");

    // Status webhooks, out of order: read before delivered; the message ends read.
    assertThat(app.webhook(Meta.status(PNID, "wamid.OUT1", "sent", "15551234567"), APP_SECRET).status()).isEqualTo(200);
    assertThat(app.webhook(Meta.status(PNID, "wamid.OUT1", "read", "15551234567"), APP_SECRET).status()).isEqualTo(200);
    assertThat(app.webhook(Meta.status(PNID, "wamid.OUT1", "delivered", "15551234567"), APP_SECRET).status())
        .isEqualTo(200);

    JsonNode convs = app.api("GET", "/api/conversations?phone_number=%2B15551234567", null).json();
    assertThat(convs.get("data").size()).isEqualTo(1);
    JsonNode conv = convs.get("data").get(0);
    assertThat(conv.get("agent_id").asString()).isEqualTo(agentId);
    assertThat(conv.get("customer_name").asString()).isEqualTo("Kerry");
    assertThat(conv.get("handoff").asBoolean()).isFalse();
    JsonNode messages = Await.value("history shows the reply read", WAIT, () -> {
      JsonNode m = app.api("GET", "/api/conversations/" + conv.get("id").asString() + "/messages", null).json();
      return m.get("data").size() == 2 && "read".equals(m.get("data").get(1).get("status").asString()) ? m : null;
    });
    JsonNode in = messages.get("data").get(0);
    JsonNode out = messages.get("data").get(1);
    assertThat(in.get("direction").asString()).isEqualTo("inbound");
    assertThat(in.get("status").asString()).isEqualTo("received");
    assertThat(in.get("wamid").asString()).isEqualTo("wamid.IN1");
    assertThat(in.get("text").asString()).isEqualTo("Hi there");
    assertThat(out.get("direction").asString()).isEqualTo("outbound");
    assertThat(out.get("text").asString()).isEqualTo("*Hello* back");
    assertThat(out.get("wamid").asString()).isEqualTo("wamid.OUT1");
    assertThat(out.get("error").isNull()).isTrue();
    assertThat(out.get("content").get("type").asString()).isEqualTo("text");

    JsonNode calls = app.api("GET", "/api/agents/" + agentId + "/calls", null).json().get("data");
    assertThat(calls.size()).isEqualTo(1);
    assertThat(calls.get(0).get("status").asString()).isEqualTo("ok");
    assertThat(calls.get(0).get("delivery_id").asString()).isEqualTo(call.header("X-Wabridge-Delivery"));
    assertThat(calls.get(0).get("latency_ms").asLong()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void duplicateWebhooksReachTheAgentOnce() {
    String body = Meta.text(PNID, "15551234567", "Kerry", "wamid.DUP", now(), "once please");
    for (int i = 0; i < 3; i++) {
      assertThat(app.webhook(body, APP_SECRET).status()).isEqualTo(200);
    }
    Await.until("the reply is sent", WAIT, () -> sends().size() == 1);
    assertThat(agent.requests()).hasSize(1);
    assertThat(app.webhook(body, APP_SECRET).status()).isEqualTo(200);
    assertThat(agent.requests()).hasSize(1);
  }

  @Test
  void aWebhookForManyCustomersIsAcknowledgedWhenAllAreStoredAndEachIsAnswered() {
    // On PostgreSQL these customers' writes go to different writers; the 200 waits for every part.
    StringBuilder contacts = new StringBuilder();
    StringBuilder messages = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      String from = "1555300000" + i;
      contacts.append(i == 0 ? "" : ",").append("{\"profile\":{\"name\":\"C").append(i).append("\"},\"wa_id\":\"")
          .append(from).append("\"}");
      messages.append(i == 0 ? "" : ",").append("{\"from\":\"").append(from).append("\",\"id\":\"wamid.MANY")
          .append(i).append("\",\"timestamp\":\"").append(now()).append("\",\"text\":{\"body\":\"hi ").append(i)
          .append("\"},\"type\":\"text\"}");
    }
    String body = Meta.envelope(PNID, "\"contacts\":[" + contacts + "],\"messages\":[" + messages + "]");
    assertThat(app.webhook(body, APP_SECRET).status()).isEqualTo(200);
    Await.until("eight replies are sent", WAIT, () -> sends().size() == 8);
    // Meta delivers it again: every part recognises its messages.
    assertThat(app.webhook(body, APP_SECRET).status()).isEqualTo(200);
    assertThat(agent.requests()).hasSize(8);
    List<String> to = sends().stream().map(r -> Json.parse(r.body()).get("to").asString()).sorted().toList();
    assertThat(to).containsExactly("+15553000000", "+15553000001", "+15553000002", "+15553000003",
        "+15553000004", "+15553000005", "+15553000006", "+15553000007");
  }

  @Test
  void oneCustomersMessagesReachTheAgentInOrderOneAtATime() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    agent.respondWith(r -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        String msg = Json.parse(r.body()).get("message").asString();
        return Response.json(200, "{\"type\":\"message\",\"content\":\"re: " + msg + "\"}");
      } finally {
        inFlight.decrementAndGet();
      }
    });
    StringBuilder messages = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      if (i > 0) {
        messages.append(',');
      }
      messages.append("{\"from\":\"15557654321\",\"id\":\"wamid.ORD").append(i).append("\",\"timestamp\":\"")
          .append(now()).append("\",\"text\":{\"body\":\"m").append(i).append("\"},\"type\":\"text\"}");
    }
    assertThat(app.webhook(Meta.envelope(PNID, "\"messages\":[" + messages + "]"), APP_SECRET).status())
        .isEqualTo(200);
    Await.until("ten replies are sent", WAIT, () -> sends().size() == 10);
    List<String> asked = agent.requests().stream().map(r -> Json.parse(r.body()).get("message").asString()).toList();
    assertThat(asked).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    List<String> sent = sends().stream().map(r -> Json.parse(r.body()).get("text").get("body").asString()).toList();
    assertThat(sent).containsExactly("re: m0", "re: m1", "re: m2", "re: m3", "re: m4", "re: m5", "re: m6", "re: m7",
        "re: m8", "re: m9");
    assertThat(maxInFlight.get()).isEqualTo(1);
  }

  @Test
  void replyCallbackSendsLaterAndHonoursIdempotencyKey() {
    agent.respondWith(r -> new Response(204, null, null));
    app.webhook(Meta.text(PNID, "15551234567", "Kerry", "wamid.CB1", now(), "take your time"), APP_SECRET);
    Await.until("the agent is called", WAIT, () -> agent.requests().size() == 1);
    String callback = Json.parse(agent.requests().getFirst().body()).get("reply_callback").asString();
    String path = URI.create(callback).getPath();

    Map<String, String> idem = Map.of("Idempotency-Key", "order-123");
    TestApp.Reply first = app.request("POST", path, "{\"type\":\"message\",\"content\":\"Found it\"}", null,
        "application/json", idem);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(first.json().get("messages").get(0).get("status").asString()).isEqualTo("queued");
    TestApp.Reply again = app.request("POST", path, "{\"type\":\"message\",\"content\":\"Found it\"}", null,
        "application/json", idem);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("messages").get(0).get("id").asString())
        .isEqualTo(first.json().get("messages").get(0).get("id").asString());
    TestApp.Reply plain = app.request("POST", path, "and one more", null, "text/plain", Map.of());
    assertThat(plain.status()).isEqualTo(202);

    Await.until("two callback messages are sent", WAIT, () -> sends().size() == 2);
    assertThat(sends().stream().map(r -> Json.parse(r.body()).get("text").get("body").asString()))
        .containsExactly("Found it", "and one more");

    assertThat(app.request("POST", "/api/callback/msg_nope.AAAA", "{\"content\":\"x\"}", null, "application/json",
        Map.of()).status()).isEqualTo(404);
    TestApp.Reply invalid = app.request("POST", path, "{\"type\":\"image\"}", null, "application/json", Map.of());
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.json().get("error").get("message").asString()).contains("url");
    TestApp.Reply noReply = app.request("POST", path, "{\"content\":\"No CUSTOMER message reply\"}", null,
        "application/json", Map.of());
    assertThat(noReply.status()).isEqualTo(202);
    assertThat(noReply.json().get("messages").size()).isZero();
  }

  @Test
  void graphFailureIsKeptOnTheMessage() {
    graph.respondWith(r -> r.bodyText().contains("\"status\":\"read\"") ? Response.json(200, "{\"success\":true}")
        : Response.json(400, "{\"error\":{\"message\":\"(#131026) Message undeliverable\",\"type\":\"OAuthException\","
            + "\"code\":131026,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Receiver is incapable"
            + "\"},\"fbtrace_id\":\"abc\"}}"));
    app.webhook(Meta.text(PNID, "15551234567", "Kerry", "wamid.F1", now(), "hello?"), APP_SECRET);
    String convId = Await.value("conversation", WAIT, () -> {
      JsonNode d = app.api("GET", "/api/conversations", null).json().get("data");
      return d.isEmpty() ? null : d.get(0).get("id").asString();
    });
    JsonNode failed = Await.value("the reply fails", WAIT, () -> {
      JsonNode d = app.api("GET", "/api/conversations/" + convId + "/messages", null).json().get("data");
      return d.size() == 2 && "failed".equals(d.get(1).get("status").asString()) ? d.get(1) : null;
    });
    assertThat(failed.get("error").get("code").asString()).isEqualTo("131026");
    assertThat(failed.get("error").get("message").asString()).contains("Receiver is incapable");
  }

  @Test
  void agentThatTimesOutGetsTheFallbackSent() {
    app.api("PATCH", "/api/agents/" + agentId, "{\"timeout_seconds\":1,\"fallback_message\":\"One moment please\"}");
    agent.respondWith(r -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.json(200, "{\"content\":\"too late\"}");
    });
    app.webhook(Meta.text(PNID, "15551234567", "Kerry", "wamid.SLOW", now(), "are you there"), APP_SECRET);
    Await.until("the fallback is sent", WAIT, () -> sends().size() == 1);
    assertThat(Json.parse(sends().getFirst().body()).get("text").get("body").asString()).isEqualTo("One moment please");
    assertThat(agent.requests()).hasSize(1);
    JsonNode calls = app.api("GET", "/api/agents/" + agentId + "/calls", null).json().get("data");
    assertThat(calls.get(0).get("outcome").asString()).isEqualTo("agent_timeout");
    assertThat(calls.get(0).get("error").asString()).contains("timeout_seconds");
  }

  List<Request> sends() {
    return graph.requests().stream().filter(r -> r.bodyText().contains("\"to\"")).toList();
  }
}
