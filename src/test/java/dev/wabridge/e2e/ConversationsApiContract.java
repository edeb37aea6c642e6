package dev.wabridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The Conversations API as a business uses it: finding customers by part of their phone, by user id, username or
 * group, and those waiting unanswered; outbound media shown as sent; an {@code Idempotency-Key} replay telling the
 * current status; a deleted agent's conversations; messages that say "an image".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConversationsApiContract {
  /** Whether this run is on PostgreSQL (else SQLite). */
  abstract boolean postgres();

  static final String SECRET = "conversations-secret";
  static final Duration WAIT = Duration.ofSeconds(20);
  FakeServer graph;
  FakeServer agent;
  FakeServer cdn;
  TestApp app;
  final AtomicInteger uploads = new AtomicInteger();
  final AtomicInteger wamids = new AtomicInteger();
  String numberId;

  @BeforeAll
  void start() {
    graph = new FakeServer(this::graph);
    agent = new FakeServer(r -> new Response(204, null, null));
    cdn = new FakeServer(r -> switch (r.path()) {
      case "/cat.png" -> new Response(200, "image/png", MediaRoundTripTest.PNG);
      case "/page.png" -> new Response(200, "image/png", "<html>not an image</html>".getBytes());
      default -> new Response(404, "text/plain", "no".getBytes());
    });
    app = new TestApp(postgres(), graph.url());
    numberId = number("1001001001");
    deploy(agent("Main", numberId));
  }

  @AfterAll
  void stop() {
    app.close();
    graph.close();
    agent.close();
    cdn.close();
  }

  Response graph(Request r) {
    if (r.path().endsWith("/media")) {
      return Response.json(200, "{\"id\":\"UPLOADED" + uploads.incrementAndGet() + "\"}");
    }
    if (r.method().equals("POST") && Json.parse(r.body()).has("status")) {
      return Response.json(200, "{\"success\":true}");
    }
    return Response.json(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.CA"
        + wamids.incrementAndGet() + "\"}]}");
  }

  String number(String pnid) {
    TestApp.Reply r = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + pnid + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"tok\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  String agent(String name, String number) {
    TestApp.Reply r = app.api("POST", "/api/agents", "{\"name\":\"" + name + "\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + number + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  void deploy(String agentId) {
    TestApp.Reply r = app.api("POST", "/api/agents/" + agentId + "/deploy", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  final AtomicInteger wamidIn = new AtomicInteger();

  /** A customer writes to the number with phone_number_id {@code pnid}; returns their conversation once stored. */
  JsonNode writes(String pnid, String from, String text) {
    String wamid = "wamid.in." + wamidIn.incrementAndGet();
    assertThat(app.webhook(Meta.text(pnid, from, "Customer " + from, wamid, System.currentTimeMillis() / 1000, text),
        SECRET).status()).isEqualTo(200);
    String conv = Await.value("the message is stored", WAIT, () -> app.sql("SELECT conversation_id FROM messages "
        + "WHERE wamid = ?", wamid));
    return app.api("GET", "/api/conversations/" + conv, null).json();
  }



  List<String> phones(String query) {
    TestApp.Reply r = app.api("GET", "/api/conversations?phone_number=" + query, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("data").values().stream().map(c -> c.get("phone_number").asString()).sorted().toList();
  }

  @Test
  void phoneSearchFindsAnyPartOfTheNumberByItsDigits() {
    writes("1001001001", "15559870001", "one");
    writes("1001001001", "15559870002", "two");
    writes("1001001001", "447709870003", "three");
    assertThat(phones("987000")).containsExactly("+15559870001", "+15559870002", "+447709870003");
    assertThat(phones("%2B1%20555%20987")).containsExactly("+15559870001", "+15559870002");
    assertThat(phones("44770")).containsExactly("+447709870003");
    assertThat(phones("(555)%20987-0002")).containsExactly("+15559870002");
    assertThat(phones("98700099")).isEmpty();
    for (String bad : new String[] {"12", "%2B1", "abc", "1_5", "15%25"}) {
      TestApp.Reply r = app.api("GET", "/api/conversations?phone_number=" + bad, null);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().at("/error/code").asString()).isEqualTo("invalid_phone_number");
      assertThat(r.json().at("/error/message").asString()).startsWith("phone_number:");
    }
    for (String[] tooLong : new String[][] {{"user_id", "U".repeat(201)}, {"username", "u".repeat(65)},
        {"group_id", "g".repeat(201)}}) {
      TestApp.Reply r = app.api("GET", "/api/conversations?" + tooLong[0] + "=" + tooLong[1], null);
      assertThat(r.status()).as(tooLong[0]).isEqualTo(400);
      assertThat(r.json().at("/error/code").asString()).isEqualTo("invalid_" + tooLong[0]);
    }
  }

  @Test
  void filtersByUserIdUsernameAndUnanswered() {
    String quiet = number("2002002002");
    long now = System.currentTimeMillis() / 1000;
    // A username user writes to a number no agent answers: the message waits, unanswered.
    assertThat(app.webhook(Meta.envelope("2002002002", "\"contacts\":[{\"profile\":{\"name\":\"Ann\",\"username\":"
        + "\"ann.k\"},\"user_id\":\"US.31337\"}],\"messages\":[{\"from_user_id\":\"US.31337\",\"id\":\"wamid.un1\","
        + "\"timestamp\":\"" + now + "\",\"type\":\"text\",\"text\":{\"body\":\"anyone?\"}}]"), SECRET).status())
        .isEqualTo(200);
    Await.until("stored", WAIT, () -> app.sql("SELECT id FROM messages WHERE wamid = 'wamid.un1'") != null);

    JsonNode byUser = app.api("GET", "/api/conversations?user_id=US.31337", null).json().get("data");
    assertThat(byUser.size()).isEqualTo(1);
    JsonNode c = byUser.get(0);
    assertThat(c.get("number_id").asString()).isEqualTo(quiet);
    assertThat(c.get("agent_id").isNull()).isTrue();
    assertThat(c.get("phone_number").isNull()).isTrue();
    assertThat(c.get("username").asString()).isEqualTo("ann.k");
    assertThat(c.get("unanswered").asInt()).isEqualTo(1);
    assertThat(c.get("held").asString()).isEqualTo("no_agent");
    assertThat(app.api("GET", "/api/conversations/" + c.get("id").asString(), null).json().get("unanswered").asInt())
        .isEqualTo(1);
    assertThat(app.api("GET", "/api/conversations?username=ANN.K", null).json().at("/data/0/id"))
        .isEqualTo(c.get("id"));
    assertThat(app.api("GET", "/api/conversations?username=ann", null).json().get("data").size()).isZero();

    List<String> unanswered = ids("/api/conversations?unanswered=true&limit=200");
    assertThat(unanswered).contains(c.get("id").asString());
    JsonNode answered = writes("1001001001", "15550004444", "hello");
    Await.until("the agent is called", WAIT, () -> app.sql("SELECT delivery_id FROM agent_calls WHERE conversation_id = ?",
        answered.get("id").asString()) != null);
    assertThat(unanswered).doesNotContain(answered.get("id").asString());
    List<String> without = ids("/api/conversations?unanswered=false&limit=200");
    assertThat(without).contains(answered.get("id").asString()).doesNotContain(c.get("id").asString());
    assertThat(app.api("GET", "/api/conversations/" + answered.get("id").asString(), null).json().get("held").isNull())
        .isTrue();
    TestApp.Reply bad = app.api("GET", "/api/conversations?unanswered=yes", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/code").asString()).isEqualTo("invalid_unanswered");
  }

  List<String> ids(String path) {
    return app.api("GET", path, null).json().get("data").values().stream().map(c -> c.get("id").asString()).toList();
  }

  @Test
  void outboundMediaShowsWhatWasSent() {
    JsonNode c = writes("1001001001", "15550005555", "a cat please");
    String conv = "/api/conversations/" + c.get("id").asString();
    TestApp.Reply sent = app.api("POST", conv + "/messages", "{\"type\":\"image\",\"url\":\"" + cdn.url() + "/cat.png\","
        + "\"caption\":\"a cat\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    String id = sent.json().at("/messages/0/id").asString();
    Await.until("the image is sent", WAIT, () -> "sent".equals(app.sql("SELECT status FROM messages WHERE id = ?", id)));
    JsonNode m = message(conv, id);
    assertThat(m.at("/media/url").asString()).isEqualTo(cdn.url() + "/cat.png");
    assertThat(m.at("/media/media_id").asString()).startsWith("UPLOADED");
    assertThat(m.at("/media/mime_type").asString()).isEqualTo("image/png");
    assertThat(m.at("/media/caption").asString()).isEqualTo("a cat");

    // A file that is not what it says fails, in good English.
    TestApp.Reply page = app.api("POST", conv + "/messages", "{\"type\":\"image\",\"url\":\"" + cdn.url()
        + "/page.png\"}");
    String pageId = page.json().at("/messages/0/id").asString();
    Await.until("the page fails", WAIT, () -> "failed".equals(app.sql("SELECT status FROM messages WHERE id = ?", pageId)));
    JsonNode failed = message(conv, pageId);
    assertThat(failed.at("/error/message").asString()).contains("not an image WhatsApp accepts");
    assertThat(failed.at("/media/url").asString()).isEqualTo(cdn.url() + "/page.png");
    assertThat(failed.at("/media/media_id").isNull()).isTrue();
  }

  @Test
  void refusalsSayAnImageAndAnAudio() {
    JsonNode c = writes("1001001001", "15550006666", "hi");
    String conv = "/api/conversations/" + c.get("id").asString();
    for (String[] t : new String[][] {{"image", "an image"}, {"audio", "an audio"}, {"video", "a video"}}) {
      TestApp.Reply r = app.api("POST", conv + "/messages", "{\"type\":\"" + t[0] + "\"}");
      assertThat(r.status()).isEqualTo(422);
      assertThat(r.json().at("/error/message").asString()).contains("is required for " + t[1] + " message");
    }
  }

  /** Final read: a message with more media links than the sender takes was accepted with 202, then failed. */
  @Test
  void aMessageWithTooManyMediaLinksIsRefusedWhenItIsSent() {
    JsonNode c = writes("1001001001", "15550007777", "many pictures");
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      params.append(i == 0 ? "" : ",").append("{\"type\":\"image\",\"image\":{\"link\":\"").append(cdn.url())
          .append("/cat.png?").append(i).append("\"}}");
    }
    int fetched = cdn.requests().size();
    TestApp.Reply r = app.api("POST", "/api/conversations/" + c.get("id").asString() + "/messages",
        "{\"type\":\"template\",\"template\":{\"name\":\"t\",\"language\":{\"code\":\"en\"},"
            + "\"components\":[{\"type\":\"body\",\"parameters\":[" + params + "]}]}}");
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("invalid_content");
    assertThat(r.json().get("error").get("message").asString()).contains("at most 11 media links");
    assertThat(cdn.requests()).as("nothing fetched").hasSize(fetched);
  }

  @Test
  void anIdempotentReplayTellsTheStatusAsItIsNow() {
    JsonNode c = writes("1001001001", "15550007777", "track my order");
    String messageId = app.sql("SELECT id FROM messages WHERE conversation_id = ? AND direction = 'inbound'",
        c.get("id").asString());
    JsonNode payload = Await.value("the agent is called", WAIT, () -> agent.requests().stream()
        .map(r -> Json.parse(r.body())).filter(p -> messageId.equals(Json.text(p, "message_id"))).findFirst()
        .orElse(null));
    String callback = payload.get("reply_callback").asString().substring(app.url().length());
    Map<String, String> key = Map.of("Idempotency-Key", "order-7777");
    TestApp.Reply first = app.request("POST", callback, "{\"type\":\"message\",\"content\":\"Shipped\"}", null,
        "application/json", key);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(first.json().at("/messages/0/status").asString()).isEqualTo("queued");
    String sentId = first.json().at("/messages/0/id").asString();
    String wamid = Await.value("sent", WAIT, () -> app.sql("SELECT wamid FROM messages WHERE id = ?", sentId));
    assertThat(app.webhook(Meta.status("1001001001", wamid, "read", "15550007777"), SECRET).status()).isEqualTo(200);
    Await.until("read", WAIT, () -> "read".equals(app.sql("SELECT status FROM messages WHERE id = ?", sentId)));

    TestApp.Reply replay = app.request("POST", callback, "{\"type\":\"message\",\"content\":\"Shipped\"}", null,
        "application/json", key);
    assertThat(replay.status()).isEqualTo(202);
    assertThat(replay.json().at("/messages/0/id").asString()).isEqualTo(sentId);
    assertThat(replay.json().at("/messages/0/status").asString()).isEqualTo("read");
    assertThat(app.sql("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND direction = 'outbound'",
        c.get("id").asString())).isEqualTo("1");
  }

  @Test
  void aDeletedAgentsConversationSendsNothingAndSaysWhereTheCustomerWritesNow() {
    String number = number("3003003003");
    String first = agent("First", number);
    deploy(first);
    JsonNode old = writes("3003003003", "15550008888", "hello first");
    String messageId = app.sql("SELECT id FROM messages WHERE conversation_id = ?", old.get("id").asString());
    JsonNode payload = Await.value("the agent is called", WAIT, () -> agent.requests().stream()
        .map(r -> Json.parse(r.body())).filter(p -> messageId.equals(Json.text(p, "message_id"))).findFirst()
        .orElse(null));
    assertThat(app.api("DELETE", "/api/agents/" + first, null).status()).isEqualTo(204);

    String path = "/api/conversations/" + old.get("id").asString() + "/messages";
    TestApp.Reply refused = app.api("POST", path, "{\"type\":\"message\",\"content\":\"still there?\"}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().at("/error/code").asString()).isEqualTo("agent_deleted");
    assertThat(refused.json().at("/error/message").asString()).contains(first + " of this conversation was deleted")
        .contains("next message opens a new conversation");
    TestApp.Reply callback = app.request("POST", payload.get("reply_callback").asString().substring(
        app.url().length()), "{\"type\":\"message\",\"content\":\"late\"}", null, "application/json", Map.of());
    assertThat(callback.status()).as(callback.body()).isEqualTo(409);
    assertThat(callback.json().at("/error/code").asString()).isEqualTo("agent_deleted");
    // The history stays readable.
    assertThat(app.api("GET", path, null).json().get("data").size()).isEqualTo(1);

    String second = agent("Second", number);
    deploy(second);
    JsonNode now = writes("3003003003", "15550008888", "hello second");
    assertThat(now.get("id")).isNotEqualTo(old.get("id"));
    assertThat(now.get("agent_id").asString()).isEqualTo(second);
    TestApp.Reply pointed = app.api("POST", path, "{\"type\":\"message\",\"content\":\"still there?\"}");
    assertThat(pointed.status()).isEqualTo(409);
    assertThat(pointed.json().at("/error/message").asString()).contains("conversation " + now.get("id").asString());
    assertThat(app.api("POST", "/api/conversations/" + now.get("id").asString() + "/messages",
        "{\"type\":\"message\",\"content\":\"here\"}").status()).isEqualTo(202);
  }

  JsonNode message(String conv, String id) {
    for (JsonNode m : app.api("GET", conv + "/messages", null).json().get("data").values()) {
      if (id.equals(m.get("id").asString())) {
        return m;
      }
    }
    throw new AssertionError("no message " + id);
  }
}
