package dev.wabridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.Message;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Nothing acknowledged is lost, whatever the agent's state: a paused agent, a number without agent and a handed-off
 * conversation each keep every message; deploy and resume deliver the held ones in order (those older than 24 hours
 * stay unanswered); the away message goes once per day; a person's handoff holds the agent back; Meta's system
 * messages re-key the customer without calling the agent. Real sockets, SQLite, an injected clock. Waits read the
 * fakes or the database: the API's per-key rate limit runs on the same clock.
 */
class HeldMessagesTest {
  static final String PNID = "5566778899";
  static final String PNID_2 = "5566778800";
  static final String SECRET = "held-secret";
  static final Duration WAIT = Duration.ofSeconds(20);

  final MutableClock clock = new MutableClock(Instant.now());
  final AtomicInteger wamids = new AtomicInteger();
  FakeServer graph;
  FakeServer agent;
  TestApp app;
  String numberId;

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> r.bodyText().contains("\"status\":\"read\"")
        ? Response.json(200, "{\"success\":true}")
        : Response.json(200, "{\"messages\":[{\"id\":\"wamid.OUT" + wamids.incrementAndGet() + "\"}]}"));
    agent = new FakeServer(r -> Response.json(200, "{\"content\":\"re: " + Json.parse(r.body()).get("message")
        .asString() + "\"}"));
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of()));
    numberId = number(PNID, null);
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  private String number(String pnid, String awayMessage) {
    TestApp.Reply n = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + pnid + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\""
        + (awayMessage == null ? "" : ",\"away_message\":\"" + awayMessage + "\"") + "}");
    assertThat(n.status()).as(n.body()).isEqualTo(201);
    return n.json().get("id").asString();
  }

  private String agentOn(String number, String extra) {
    TestApp.Reply a = app.api("POST", "/api/agents", "{\"name\":\"H\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + number + "\"" + extra + "}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json().get("id").asString();
  }

  private JsonNode post(String path) {
    TestApp.Reply r = app.api("POST", path, null);
    assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
    return r.json();
  }

  private void writes(String from, String wamid, String text) {
    webhook(Meta.text(PNID, from, "Kim", wamid, clock.millis() / 1000, text));
  }

  private void webhook(String body) {
    assertThat(app.webhook(body, SECRET).status()).isEqualTo(200);
  }

  private String message(Request agentCall) {
    return Json.parse(agentCall.body()).get("message").asString();
  }

  private List<String> agentMessages() {
    return agent.requests().stream().map(this::message).toList();
  }

  /** What went to Meta as messages (not mark-read and typing). */
  private List<JsonNode> sends() {
    return graph.requests().stream().filter(r -> !r.bodyText().contains("\"status\":\"read\""))
        .map(r -> Json.parse(r.body())).toList();
  }

  private JsonNode conversationOf(String phone) {
    JsonNode data = app.api("GET", "/api/conversations?phone_number=%2B" + phone, null).json().get("data");
    assertThat(data.size()).as("conversations with +" + phone).isEqualTo(1);
    return data.get(0);
  }

  private JsonNode history(String conversationId) {
    return app.api("GET", "/api/conversations/" + conversationId + "/messages", null).json().get("data");
  }

  /** The stored history, read without the API (for waits). */
  private List<Message> stored(String conversationId) {
    // Reading a history asks nothing of the agents.
    return new ConversationStore(app.app().database(), agentId -> true).messages(conversationId, 200, 0);
  }

  private static JsonNode byWamid(JsonNode history, String wamid) {
    for (JsonNode m : history) {
      if (wamid.equals(m.get("wamid").asString())) {
        return m;
      }
    }
    throw new AssertionError("no message " + wamid + " in " + history);
  }

  private static void assertUnanswered(JsonNode m, String held) {
    assertThat(m.get("status").asString()).isEqualTo("received");
    assertThat(m.get("author").asString()).isEqualTo("customer");
    assertThat(m.get("unanswered").asBoolean()).as(m.toString()).isTrue();
    assertThat(m.get("held").asString()).isEqualTo(held);
  }

  @Test
  void aPausedAgentKeepsEveryMessageAndResumeDeliversTheRecentOnesInOrder() {
    String agentId = agentOn(numberId, "");
    post("/api/agents/" + agentId + "/deploy");
    assertThat(post("/api/agents/" + agentId + "/pause").get("status").asString()).isEqualTo("paused");

    writes("15558000001", "wamid.P1", "one");
    clock.advance(Duration.ofHours(20));
    writes("15558000001", "wamid.P2", "two");
    clock.advance(Duration.ofMinutes(1));
    writes("15558000001", "wamid.P3", "three");
    clock.advance(Duration.ofMinutes(1));
    writes("15558000001", "wamid.P4", "four");
    clock.advance(Duration.ofHours(5));

    String conv = conversationOf("15558000001").get("id").asString();
    JsonNode before = history(conv);
    assertThat(before.size()).isEqualTo(4);
    for (JsonNode m : before) {
      assertUnanswered(m, "agent_paused");
    }
    assertThat(agent.requests()).isEmpty();
    assertThat(sends()).isEmpty();

    assertThat(post("/api/agents/" + agentId + "/resume").get("status").asString()).isEqualTo("deployed");
    Await.until("the three recent messages are answered", WAIT, () -> sends().size() == 3);
    assertThat(agentMessages()).containsExactly("two", "three", "four");
    for (Request call : agent.requests()) {
      JsonNode p = Json.parse(call.body());
      assertThat(p.get("replayed").asBoolean()).isTrue();
      assertThat(p.get("conversation_id").asString()).isEqualTo(conv);
    }
    assertThat(sends()).extracting(s -> s.get("text").get("body").asString())
        .containsExactly("re: two", "re: three", "re: four");

    JsonNode after = history(conv);
    assertUnanswered(byWamid(after, "wamid.P1"), "agent_paused");
    for (String answered : List.of("wamid.P2", "wamid.P3", "wamid.P4")) {
      assertThat(byWamid(after, answered).get("unanswered").asBoolean()).isFalse();
      assertThat(byWamid(after, answered).get("held").isNull()).isTrue();
    }

    // Deployed again, nothing is sent twice; a new message is an ordinary turn.
    post("/api/agents/" + agentId + "/deploy");
    writes("15558000001", "wamid.P5", "five");
    Await.until("five is answered", WAIT, () -> sends().size() == 4);
    assertThat(agentMessages()).containsExactly("two", "three", "four", "five");
    assertThat(Json.parse(agent.requests().getLast().body()).get("replayed").asBoolean()).isFalse();
  }

  @Test
  void aNumberWithoutAgentKeepsEveryMessageForTheAgentDeployedOnIt() {
    writes("15558000002", "wamid.U1", "anyone there?");
    writes("15558000002", "wamid.U2", "hello?");
    JsonNode conv = conversationOf("15558000002");
    assertThat(conv.get("agent_id").isNull()).isTrue();
    assertThat(conv.get("number_id").asString()).isEqualTo(numberId);
    for (JsonNode m : history(conv.get("id").asString())) {
      assertUnanswered(m, "no_agent");
    }

    String agentId = agentOn(numberId, "");
    post("/api/agents/" + agentId + "/deploy");
    Await.until("both are answered", WAIT, () -> sends().size() == 2);
    assertThat(agentMessages()).containsExactly("anyone there?", "hello?");
    JsonNode adopted = conversationOf("15558000002");
    assertThat(adopted.get("id").asString()).isEqualTo(conv.get("id").asString());
    assertThat(adopted.get("agent_id").asString()).isEqualTo(agentId);
  }

  @Test
  void aConversationWithoutAgentMergesIntoTheAgentsOwnOnDeploy() {
    String otherNumber = number(PNID_2, null);
    String agentId = agentOn(numberId, "");
    post("/api/agents/" + agentId + "/deploy");
    writes("15558000003", "wamid.G1", "hello");
    Await.until("hello is answered", WAIT, () -> sends().size() == 1);
    String own = conversationOf("15558000003").get("id").asString();

    // The agent leaves the number for a while: what the customer writes then has no agent.
    post("/api/agents/" + agentId + "/pause");
    assertThat(app.api("PATCH", "/api/agents/" + agentId, "{\"number_id\":\"" + otherNumber + "\"}").status())
        .isEqualTo(200);
    writes("15558000003", "wamid.G2", "still there?");
    JsonNode both = app.api("GET", "/api/conversations?phone_number=%2B15558000003", null).json().get("data");
    assertThat(both.size()).isEqualTo(2);
    String orphan = both.get(0).get("agent_id").isNull() ? both.get(0).get("id").asString()
        : both.get(1).get("id").asString();

    assertThat(app.api("PATCH", "/api/agents/" + agentId, "{\"number_id\":\"" + numberId + "\"}").status())
        .isEqualTo(200);
    post("/api/agents/" + agentId + "/deploy");
    Await.until("the waiting message is answered", WAIT, () -> sends().size() == 2);
    assertThat(agentMessages()).containsExactly("hello", "still there?");
    assertThat(Json.parse(agent.requests().getLast().body()).get("conversation_id").asString()).isEqualTo(own);
    assertThat(conversationOf("15558000003").get("id").asString()).isEqualTo(own);
    assertThat(app.api("GET", "/api/conversations/" + orphan, null).status()).isEqualTo(404);
    Await.until("the reply is recorded", WAIT, () -> stored(own).size() == 4);
    assertThat(history(own)).extracting(m -> m.get("text").asString())
        .containsExactly("hello", "re: hello", "still there?", "re: still there?");
  }

  @Test
  void withoutReplayOnDeployWhatWaitedStaysUnanswered() {
    TestApp.Reply bad = app.api("POST", "/api/agents", "{\"name\":\"H\",\"webhook_url\":\"" + agent.url()
        + "\",\"replay_on_deploy\":\"yes\"}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body()).contains("replay_on_deploy");
    String agentId = agentOn(numberId, ",\"replay_on_deploy\":false");
    assertThat(app.api("GET", "/api/agents/" + agentId, null).json().get("replay_on_deploy").asBoolean()).isFalse();
    writes("15558000004", "wamid.N1", "before");
    post("/api/agents/" + agentId + "/deploy");
    writes("15558000004", "wamid.N2", "after");
    Await.until("after is answered", WAIT, () -> sends().size() == 1);
    assertThat(agentMessages()).containsExactly("after");
    String conv = conversationOf("15558000004").get("id").asString();
    // Written while the agent was a draft on the number.
    assertUnanswered(byWamid(history(conv), "wamid.N1"), "agent_paused");

    assertThat(app.api("PATCH", "/api/agents/" + agentId, "{\"replay_on_deploy\":true}").json()
        .get("replay_on_deploy").asBoolean()).isTrue();
    assertThat(app.api("PATCH", "/api/agents/" + agentId, "{\"replay_on_deploy\":1}").status()).isEqualTo(422);
  }

  @Test
  void whatAnotherNodeHeldIsReleasedByTheSweepAndBeforeTheCustomersNextMessage() {
    String agentId = agentOn(numberId, "");
    post("/api/agents/" + agentId + "/deploy");
    post("/api/agents/" + agentId + "/pause");
    writes("15558000005", "wamid.W1", "first");
    writes("15558000006", "wamid.W2", "older");
    // Another node deploys the agent: this node's agent cache says paused for up to 5 s, and nothing here released
    // what waits.
    app.app().database().writer().execute(h -> h.createUpdate("UPDATE agents SET status = 'deployed' WHERE id = :id")
        .bind("id", agentId).execute());
    clock.advance(Duration.ofSeconds(6));
    // The customer writes again: what waited goes to the agent first.
    writes("15558000006", "wamid.W3", "newer");
    // Another customer's waiting message goes with the sweep.
    app.app().heldMessages().sweep();
    Await.until("all three are answered", WAIT, () -> sends().size() == 3);
    List<String> calls = agentMessages();
    assertThat(calls).containsExactlyInAnyOrder("first", "older", "newer");
    assertThat(calls.indexOf("older")).isLessThan(calls.indexOf("newer"));
    assertThat(agent.requests()).filteredOn(r -> !message(r).equals("newer"))
        .allMatch(r -> Json.parse(r.body()).get("replayed").asBoolean());
  }

  @Test
  void whileHandedOffEveryMessageIsKeptTheCallbackSendsNothingAndHandbackClearsTheHold() {
    String agentId = agentOn(numberId, "");
    post("/api/agents/" + agentId + "/deploy");
    writes("15558000007", "wamid.O1", "first");
    Await.until("first is answered", WAIT, () -> sends().size() == 1);
    String callback = Json.parse(agent.requests().getFirst().body()).get("reply_callback").asString();
    String conv = conversationOf("15558000007").get("id").asString();
    assertThat(post("/api/conversations/" + conv + "/handoff").get("handoff").asBoolean()).isTrue();

    writes("15558000007", "wamid.O2", "I want a person");
    writes("15558000007", "wamid.O3", "hello?");
    TestApp.Reply refused = app.request("POST", callback.substring(app.url().length()),
        "{\"content\":\"the bot again\"}", null, "application/json", Map.of());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("error").get("code").asString()).isEqualTo("handed_off");
    TestApp.Reply business = app.api("POST", "/api/conversations/" + conv + "/messages",
        "{\"type\":\"message\",\"content\":\"Sam here\"}");
    assertThat(business.status()).isEqualTo(202);
    Await.until("the business message is sent", WAIT, () -> sends().size() == 2);
    assertThat(sends().getLast().get("text").get("body").asString()).isEqualTo("Sam here");

    JsonNode during = history(conv);
    assertUnanswered(byWamid(during, "wamid.O2"), "handoff");
    assertUnanswered(byWamid(during, "wamid.O3"), "handoff");
    assertThat(during).noneMatch(m -> "the bot again".equals(m.get("text").asString()));
    JsonNode sam = during.get(during.size() - 1);
    assertThat(sam.get("author").asString()).isEqualTo("business");
    assertThat(agent.requests()).hasSize(1);
    assertThat(graph.requests()).noneMatch(r -> r.bodyText().contains("wamid.O2") || r.bodyText().contains("wamid.O3"));

    // Handing back: the person handled what came while they had it; the agent answers what comes next.
    post("/api/conversations/" + conv + "/resume");
    JsonNode after = history(conv);
    assertThat(byWamid(after, "wamid.O2").get("unanswered").asBoolean()).isFalse();
    assertThat(byWamid(after, "wamid.O3").get("unanswered").asBoolean()).isFalse();
    app.app().heldMessages().sweep();
    writes("15558000007", "wamid.O4", "thanks");
    Await.until("thanks is answered", WAIT, () -> sends().size() == 3);
    assertThat(agentMessages()).containsExactly("first", "thanks");
  }

  @Test
  void aReplyFromACallRunningWhenHandoffBeganIsSuppressed() throws InterruptedException {
    CountDownLatch handedOff = new CountDownLatch(1);
    agent.respondWith(r -> {
      try {
        handedOff.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.json(200, "{\"content\":\"late bot answer\"}");
    });
    String agentId = agentOn(numberId, ",\"timeout_seconds\":30");
    post("/api/agents/" + agentId + "/deploy");
    writes("15558000008", "wamid.L1", "slow question");
    Await.until("the agent is thinking", WAIT, () -> agent.requests().size() == 1);
    String conv = conversationOf("15558000008").get("id").asString();
    post("/api/conversations/" + conv + "/handoff");
    handedOff.countDown();

    Await.until("the answer is recorded", WAIT, () -> stored(conv).size() == 2);
    JsonNode answer = history(conv).get(1);
    assertThat(answer.get("author").asString()).isEqualTo("agent");
    assertThat(answer.get("status").asString()).isEqualTo("suppressed");
    assertThat(answer.get("error").get("code").asString()).isEqualTo("handed_off");
    assertThat(answer.get("text").asString()).isEqualTo("late bot answer");
    Thread.sleep(300); // a send would have gone at once: give it the chance to show up
    assertThat(graph.requests()).noneMatch(r -> r.bodyText().contains("late bot answer"));
  }

  @Test
  void theAwayMessageGoesOncePerDayWhileNoAgentAnswers() {
    TestApp.Reply tooLong = app.api("PATCH", "/api/numbers/" + numberId, "{\"away_message\":\"" + "x".repeat(1025)
        + "\"}");
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.body()).contains("away_message");
    TestApp.Reply set = app.api("PATCH", "/api/numbers/" + numberId, "{\"away_message\":\"We are away, back soon\"}");
    assertThat(set.json().get("away_message").asString()).isEqualTo("We are away, back soon");

    writes("15558000009", "wamid.A1", "hi");
    writes("15558000009", "wamid.A2", "anyone?");
    clock.advance(Duration.ofHours(1));
    writes("15558000009", "wamid.A3", "hello??");
    Await.until("the away message is sent", WAIT, () -> sends().size() == 1);
    JsonNode away = sends().getFirst();
    assertThat(away.get("to").asString()).isEqualTo("+15558000009");
    assertThat(away.get("text").get("body").asString()).isEqualTo("We are away, back soon");
    String conv = conversationOf("15558000009").get("id").asString();
    JsonNode history = history(conv);
    assertThat(history).filteredOn(m -> m.get("direction").asString().equals("outbound")).singleElement()
        .satisfies(m -> assertThat(m.get("author").asString()).isEqualTo("away"));
    assertThat(history).filteredOn(m -> m.get("direction").asString().equals("inbound"))
        .allMatch(m -> m.get("unanswered").asBoolean());

    clock.advance(Duration.ofHours(24));
    writes("15558000009", "wamid.A4", "next day");
    Await.until("the next day's away message", WAIT, () -> sends().size() == 2);

    // Deployed on the number, the agent adopts the conversation and answers what was written within the last day;
    // a paused agent's customer hears the away message too; a handed-off conversation's does not: a person is there.
    String agentId = agentOn(numberId, "");
    post("/api/agents/" + agentId + "/deploy");
    Await.until("next day is answered", WAIT, () -> sends().size() == 3);
    assertThat(agentMessages()).containsExactly("next day");
    writes("15558000010", "wamid.A5", "question");
    Await.until("question is answered", WAIT, () -> sends().size() == 4);
    String handed = conversationOf("15558000010").get("id").asString();
    post("/api/conversations/" + handed + "/handoff");
    post("/api/agents/" + agentId + "/pause");
    writes("15558000010", "wamid.A6", "person?");
    writes("15558000011", "wamid.A7", "paused?");
    Await.until("the paused agent's customer hears it", WAIT, () -> sends().size() == 5);
    assertThat(sends().getLast().get("to").asString()).isEqualTo("+15558000011");
    assertThat(sends().getLast().get("text").get("body").asString()).isEqualTo("We are away, back soon");

    TestApp.Reply cleared = app.api("PATCH", "/api/numbers/" + numberId, "{\"away_message\":null}");
    assertThat(cleared.json().get("away_message").isNull()).isTrue();
    writes("15558000012", "wamid.A8", "quiet");
    assertThat(stored(conversationOf("15558000012").get("id").asString())).hasSize(1);
    assertThat(sends()).hasSize(5);
  }

  @Test
  void systemMessagesReKeyTheCustomerAndCallNoAgent() {
    String agentId = agentOn(numberId, "");
    post("/api/agents/" + agentId + "/deploy");
    webhook(Meta.envelope(PNID, "\"contacts\":[{\"profile\":{\"name\":\"Kim\"},\"wa_id\":\"15558100001\","
        + "\"user_id\":\"US.100\"}],\"messages\":[{\"from\":\"15558100001\",\"from_user_id\":\"US.100\","
        + "\"id\":\"wamid.Y1\",\"timestamp\":\"" + clock.millis() / 1000 + "\",\"type\":\"text\","
        + "\"text\":{\"body\":\"hi\"}}]"));
    Await.until("hi is answered", WAIT, () -> sends().size() == 1);
    JsonNode before = conversationOf("15558100001");
    assertThat(before.get("user_id").asString()).isEqualTo("US.100");
    String conv = before.get("id").asString();
    int graphCalls = graph.requests().size();

    clock.advance(Duration.ofHours(3));
    webhook(Meta.envelope(PNID, "\"messages\":[{\"from\":\"15558100001\",\"from_user_id\":\"US.100\","
        + "\"id\":\"wamid.Y2\",\"timestamp\":\"" + clock.millis() / 1000 + "\",\"type\":\"system\",\"system\":{"
        + "\"body\":\"Kim changed from 15558100001 to 15558100002\",\"wa_id\":\"15558100002\",\"type\":"
        + "\"user_changed_number\",\"previous_user_id\":\"US.100\",\"user_id\":\"US.200\"}}]"));
    JsonNode changed = conversationOf("15558100002");
    assertThat(changed.get("id").asString()).isEqualTo(conv);
    assertThat(changed.get("user_id").asString()).isEqualTo("US.200");
    assertThat(changed.get("window_expires_at").asString()).as("a system message is not the customer writing")
        .isEqualTo(before.get("window_expires_at").asString());
    JsonNode notice = byWamid(history(conv), "wamid.Y2");
    assertThat(notice.get("author").asString()).isEqualTo("system");
    assertThat(notice.get("unanswered").asBoolean()).isFalse();

    // The customer writes as who they are now: the same conversation, and the reply goes to the new phone.
    webhook(Meta.envelope(PNID, "\"contacts\":[{\"profile\":{\"name\":\"Kim\"},\"wa_id\":\"15558100002\","
        + "\"user_id\":\"US.200\"}],\"messages\":[{\"from\":\"15558100002\",\"from_user_id\":\"US.200\","
        + "\"id\":\"wamid.Y3\",\"timestamp\":\"" + clock.millis() / 1000 + "\",\"type\":\"text\","
        + "\"text\":{\"body\":\"new phone\"}}]"));
    Await.until("new phone is answered", WAIT, () -> sends().size() == 2);
    assertThat(agentMessages()).containsExactly("hi", "new phone");
    assertThat(Json.parse(agent.requests().getLast().body()).get("conversation_id").asString()).isEqualTo(conv);
    assertThat(sends().getLast().get("to").asString()).isEqualTo("+15558100002");
    assertThat(graph.requests().subList(graphCalls, graph.requests().size()))
        .noneMatch(r -> r.bodyText().contains("wamid.Y2"));

    // The older user_id_update field, and a user id change without a phone.
    webhook("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1234\",\"changes\":[{\"field\":"
        + "\"user_id_update\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
        + "\"15550001111\",\"phone_number_id\":\"" + PNID + "\"},\"wa_id\":\"15558100002\",\"detail\":\"changed\","
        + "\"user_id\":{\"previous\":\"US.200\",\"current\":\"US.300\"},\"timestamp\":\"" + clock.millis() / 1000
        + "\"}}]}]}");
    assertThat(conversationOf("15558100002").get("user_id").asString()).isEqualTo("US.300");
    webhook(Meta.envelope(PNID, "\"messages\":[{\"from_user_id\":\"US.300\",\"id\":\"wamid.Y4\",\"timestamp\":\""
        + clock.millis() / 1000 + "\",\"type\":\"system\",\"system\":{\"body\":\"changed\",\"type\":"
        + "\"user_changed_user_id\",\"previous_user_id\":\"US.300\",\"user_id\":\"US.400\"}}]"));
    assertThat(conversationOf("15558100002").get("user_id").asString()).isEqualTo("US.400");

    // Meta's older shape (pywa's fixture): phones only.
    writes("15558100005", "wamid.Y5", "by phone");
    Await.until("by phone is answered", WAIT, () -> sends().size() == 3);
    String byPhone = conversationOf("15558100005").get("id").asString();
    webhook(Meta.envelope(PNID, "\"messages\":[{\"from\":\"15558100005\",\"id\":\"wamid.Y6\",\"timestamp\":\""
        + clock.millis() / 1000 + "\",\"system\":{\"body\":\"User A changed from 15558100005 to 15558100006\","
        + "\"wa_id\":\"15558100006\",\"type\":\"user_changed_number\"},\"type\":\"system\"}]"));
    writes("15558100006", "wamid.Y7", "moved");
    Await.until("moved is answered", WAIT, () -> sends().size() == 4);
    assertThat(conversationOf("15558100006").get("id").asString()).isEqualTo(byPhone);
    assertThat(agentMessages()).containsExactly("hi", "new phone", "by phone", "moved");
  }
}
