package dev.wabridge.e2e;

import dev.wabridge.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Customers beyond phone numbers, end to end: every webhook fixture that carries a business-scoped user id (BSUID),
 * a username, a group or {@code errors[]} (src/test/resources/webhook-fixtures: pywa and bindambc) and every
 * example of Meta's business-scoped user id documentation (copied into this test), pushed as a signed webhook,
 * reaches a fake agent with
 * {@code user_id}, {@code username}, {@code phone_number} (null when withheld), {@code group} and {@code errors};
 * the agent's reply goes to the fake Graph API addressed as Meta expects ({@code to} a phone, {@code recipient} a
 * BSUID, {@code recipient_type: group}). Each fixture is its own customer: its identifiers are replaced by fresh
 * ones, equal where the fixture's were equal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdentityFixturesContract {
  /** Whether this run is on PostgreSQL (else SQLite). */
  abstract boolean postgres();

  static final String PNID = "5566778899";
  static final String SECRET = "identity-secret";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Path FIXTURES = Fixtures.webhooks();
  final AtomicInteger FRESH = new AtomicInteger();

  FakeServer graph;
  FakeServer agent;
  TestApp app;
  /** Each agent call by the number its reply carries ("ack N"). */
  final Map<Integer, JsonNode> calls = new ConcurrentHashMap<>();
  final AtomicInteger callCount = new AtomicInteger();
  /** What each fixture's message should reach the agent with, by the fixture's (rewritten) wamid. */
  final Map<String, Expected> expected = new LinkedHashMap<>();

  /** What the agent should be told about a message's writer, and where the reply should go. */
  record Expected(String name, String phone, String userId, String username, String groupId, JsonNode errors) {
  }

  @BeforeAll
  void start() throws IOException {
    graph = new FakeServer(this::graph);
    agent = new FakeServer(this::agent);
    app = new TestApp(postgres(), graph.url());
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"tok\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
    String agentId = app.api("POST", "/api/agents", "{\"name\":\"Ids\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + numberId + "\"}").json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);

    List<String> bsuidFixtures = List.of("message.json", "callback_button.json", "callback_selection.json",
        "flow_completion.json", "edited_message.json", "deleted_message.json");
    for (String file : bsuidFixtures) {
      JsonNode all = Json.parse(Files.readAllBytes(FIXTURES.resolve("pywa").resolve(file)));
      for (Map.Entry<String, JsonNode> e : all.properties()) {
        push("pywa/" + file + ":" + e.getKey(), (ObjectNode) e.getValue().deepCopy());
      }
    }
    push("bindambc/messageDeleted.json", (ObjectNode) Json.parse(Files.readAllBytes(
        FIXTURES.resolve("bindambc/messageDeleted.json"))));
    for (Map.Entry<String, String> e : moreExamples().entrySet()) {
      push("more.md:" + e.getKey(), (ObjectNode) Json.parse(e.getValue()));
    }
    Await.until("every fixture's message reaches the agent", WAIT, () -> calls.size() >= expected.size());
  }

  @AfterAll
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  /** The examples of whatsapp-cloud-api-more.md, as written there (§1.5, groups in §2, errors in §1 and pywa). */
  Map<String, String> moreExamples() {
    String usernameOnly = """
        { "object": "whatsapp_business_account",
          "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
            "contacts": [{ "profile": { "name": "Sheena Nelson", "username": "realsheenanelson" },
                           "user_id": "US.13491208655302741918",
                           "parent_user_id": "US.ENT.11815799212886844830" }],
            "messages": [{ "from_user_id": "US.13491208655302741918",
                           "from_parent_user_id": "US.ENT.11815799212886844830",
                           "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                           "timestamp": "1749416383", "type": "text",
                           "text": { "body": "Does it come in another color?" } }] } }] }] }""";
    Map<String, String> out = new LinkedHashMap<>();
    out.put("1.5 username only, no phone", usernameOnly);
    out.put("group message from a username-only member", usernameOnly.replace("\"from_user_id\"",
        "\"group_id\": \"Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MTo5OTk=\", \"from_user_id\""));
    out.put("group message from a member with a phone", """
        { "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
          "messaging_product": "whatsapp", "metadata": { "display_phone_number": "1555", "phone_number_id": "1" },
          "contacts": [{ "profile": { "name": "Grace" }, "wa_id": "16505551234", "user_id": "US.2057" }],
          "messages": [{ "from": "16505551234", "from_user_id": "US.2057", "group_id": "Y2FwaV9ncm91cDox",
            "id": "wamid.GRP1", "timestamp": "1749416383", "type": "text", "text": { "body": "Hi all" } }] } }] }] }""");
    out.put("unknown with errors 131051", """
        { "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
          "messaging_product": "whatsapp", "metadata": { "display_phone_number": "1555", "phone_number_id": "1" },
          "contacts": [{ "profile": { "name": "Old Client" }, "wa_id": "16505550000", "user_id": "US.77" }],
          "messages": [{ "from": "16505550000", "id": "wamid.UNK1", "timestamp": "1749416383", "type": "unknown",
            "errors": [{ "code": 131051, "title": "Message type unknown", "message": "Message type unknown",
              "error_data": { "details": "Message type is currently not supported." } }] }] } }] }] }""");
    return out;
  }

  /**
   * Rewrites the fixture to this test's number, a fresh customer and the current time, records what the agent
   * should get, and posts it signed.
   */
  void push(String name, ObjectNode envelope) {
    Map<String, String> fresh = new HashMap<>();
    for (JsonNode entry : envelope.get("entry").values()) {
      for (JsonNode change : entry.get("changes").values()) {
        ObjectNode value = (ObjectNode) change.get("value");
        ((ObjectNode) value.get("metadata")).put("phone_number_id", PNID);
        for (JsonNode c : Json.items(value, "contacts")) {
          rewrite((ObjectNode) c, fresh, "wa_id", "user_id", "parent_user_id");
        }
        for (JsonNode m : Json.items(value, "messages")) {
          ObjectNode o = (ObjectNode) m;
          o.put("id", "wamid.ids." + FRESH.incrementAndGet());
          o.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
          rewrite(o, fresh, "from", "from_user_id", "from_parent_user_id", "group_id");
          expected.put(o.get("id").asString(), expect(name, value, o));
        }
      }
    }
    assertThat(app.webhook(Json.string(envelope), SECRET).status()).as(name).isEqualTo(200);
  }

  /** Replaces each identifier with a fresh one of the same kind; equal ones stay equal. */
  void rewrite(ObjectNode o, Map<String, String> fresh, String... fields) {
    for (String f : fields) {
      String old = Json.text(o, f);
      if (old != null) {
        o.put(f, fresh.computeIfAbsent(old, k -> {
          int n = FRESH.incrementAndGet();
          return f.equals("group_id") ? "R1JPVVA" + n
              : f.contains("parent") ? "US.ENT.9" + n
              : f.contains("user_id") ? "US.8" + n
              : "1555" + String.format("%07d", n);
        }));
      }
    }
  }

  /** Meta's rules, read off the fixture: the writer is the contact with the message's phone or user id. */
  Expected expect(String name, JsonNode value, JsonNode m) {
    String from = Json.text(m, "from");
    String userId = Json.text(m, "from_user_id");
    JsonNode contact = null;
    for (JsonNode c : Json.items(value, "contacts")) {
      boolean samePhone = from != null && from.equals(Json.text(c, "wa_id"));
      boolean sameUser = userId != null && userId.equals(Json.text(c, "user_id"));
      if (samePhone || sameUser) {
        contact = c;
      }
    }
    if (contact != null) {
      userId = userId != null ? userId : Json.text(contact, "user_id");
      from = from != null ? from : Json.text(contact, "wa_id");
    }
    JsonNode errors = m.has("errors") ? m.get("errors") : value.get("errors");
    return new Expected(name, from == null ? null : "+" + from, userId,
        Json.text(Json.obj(contact, "profile"), "username"), Json.text(m, "group_id"), errors);
  }

  Response agent(Request r) {
    JsonNode p = Json.parse(r.body());
    int n = callCount.incrementAndGet();
    calls.put(n, p);
    if ("BUTTONS please".equals(p.path("message").asString())) {
      return Response.json(200, "{\"type\":\"buttons\",\"content\":\"Pick one\",\"buttons\":[{\"id\":\"a\","
          + "\"title\":\"A\"},{\"id\":\"b\",\"title\":\"B\"}]}");
    }
    return Response.json(200, "{\"type\":\"message\",\"content\":\"ack " + n + "\"}");
  }

  final AtomicInteger outWamids = new AtomicInteger();

  Response graph(Request r) {
    Response media = FakeServer.metaMedia(r, graph.url());
    if (media != null) {
      return media;
    }
    JsonNode body = Json.parse(r.body());
    if (body.has("status")) {
      return Response.json(200, "{\"success\":true}");
    }
    return Response.json(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.OUT"
        + outWamids.incrementAndGet() + "\"}]}");
  }

  /** The agent's call for a wamid we pushed (the payload names our message id; the API maps it to the wamid). */
  JsonNode callFor(String wamid) {
    for (JsonNode p : calls.values()) {
      if (wamid.equals(wamidOf(p))) {
        return p;
      }
    }
    throw new AssertionError("no agent call for " + wamid + " (" + expected.get(wamid) + ")");
  }

  String wamidOf(JsonNode payload) {
    return app.sql("SELECT wamid FROM messages WHERE id = ?", payload.get("message_id").asString());
  }

  /** The sends (not mark-read calls) that reached the fake Graph API. */
  List<JsonNode> sends() {
    List<JsonNode> out = new ArrayList<>();
    for (Request r : graph.requests()) {
      if (r.method().equals("POST") && r.path().endsWith("/messages")) {
        JsonNode b = Json.parse(r.body());
        if (!b.has("status")) {
          out.add(b);
        }
      }
    }
    return out;
  }

  JsonNode sendOf(String text) {
    return Await.value("the reply '" + text + "' reaches Graph", WAIT, () -> sends().stream()
        .filter(s -> text.equals(s.at("/text/body").asString(null))).findFirst().orElse(null));
  }

  int callNumber(JsonNode payload) {
    for (Map.Entry<Integer, JsonNode> e : calls.entrySet()) {
      if (e.getValue() == payload) {
        return e.getKey();
      }
    }
    throw new AssertionError("unknown call");
  }

  @Test
  void everyFixtureReachesTheAgentWithWhoWroteAndTheReplyGoesWhereMetaExpects() {
    assertThat(expected).hasSizeGreaterThan(25);
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      Expected x = e.getValue();
      JsonNode p = callFor(e.getKey());
      String as = x.name();
      assertThat(Json.text(p, "user_id")).as(as + " user_id").isEqualTo(x.userId());
      assertThat(Json.text(p, "phone_number")).as(as + " phone_number").isEqualTo(x.phone());
      assertThat(p.has("phone_number")).as(as).isTrue();
      assertThat(Json.text(p, "username")).as(as + " username").isEqualTo(x.username());
      if (x.groupId() == null) {
        assertThat(p.get("group").isNull()).as(as + " group").isTrue();
      } else {
        assertThat(p.at("/group/id").asString()).as(as + " group").isEqualTo(x.groupId());
      }
      if (x.errors() == null) {
        assertThat(p.get("errors").isNull()).as(as + " errors").isTrue();
      } else {
        JsonNode errors = p.get("errors");
        assertThat(errors.size()).as(as + " errors").isEqualTo(x.errors().size());
        for (int i = 0; i < errors.size(); i++) {
          JsonNode want = x.errors().get(i);
          assertThat(errors.get(i).get("code").asInt()).as(as).isEqualTo(want.get("code").asInt());
          assertThat(errors.get(i).get("title").asString()).as(as).isEqualTo(want.get("title").asString());
          assertThat(errors.get(i).get("message").asString()).as(as).isEqualTo(want.get("message").asString());
          assertThat(errors.get(i).get("details").asString()).as(as)
              .isEqualTo(want.at("/error_data/details").asString());
        }
      }

      JsonNode send = sendOf("ack " + callNumber(p));
      if (x.groupId() != null) {
        assertThat(send.get("recipient_type").asString()).as(as).isEqualTo("group");
        assertThat(send.get("to").asString()).as(as).isEqualTo(x.groupId());
        assertThat(send.has("recipient")).as(as).isFalse();
      } else if (x.phone() != null) {
        assertThat(send.get("recipient_type").asString()).as(as).isEqualTo("individual");
        assertThat(send.get("to").asString()).as(as).isEqualTo(x.phone());
        assertThat(send.has("recipient")).as(as).isFalse();
      } else {
        assertThat(send.get("recipient").asString()).as(as).isEqualTo(x.userId());
        assertThat(send.has("to")).as(as).isFalse();
      }
    }
  }

  @Test
  void aParentUserIdIsNeverTakenForTheCustomer() {
    for (JsonNode p : calls.values()) {
      String userId = Json.text(p, "user_id");
      assertThat(userId == null || !userId.startsWith("US.ENT.")).as(p.toString()).isTrue();
    }
  }

  @Test
  void messagesOfAGroupAreMarkedReadNeverAndOthersAreMarkedReadWithTyping() {
    Await.until("every reply is sent", WAIT, () -> sends().size() >= expected.size());
    List<String> marked = graph.requests().stream().filter(r -> r.method().equals("POST"))
        .map(r -> Json.parse(r.body())).filter(b -> b.has("status")).map(b -> b.get("message_id").asString())
        .toList();
    expected.forEach((wamid, x) -> {
      if (x.groupId() == null) {
        assertThat(marked).as(x.name() + " marked read").contains(wamid);
      } else {
        assertThat(marked).as(x.name() + " is in a group").doesNotContain(wamid);
      }
    });
  }

  @Test
  void aGroupIsOneConversationWhoseMembersAreNamedOnEachMessage() {
    String group = "Y2FwaV9ncm91cDpvbmVncm91cA==";
    long now = System.currentTimeMillis() / 1000;
    for (String[] member : new String[][] {{"16505559001", "US.5001", "Ada", "hello from Ada"},
        {null, "US.5002", "Bob", "hello from Bob"}}) {
      String from = member[0] == null ? "" : "\"from\":\"" + member[0] + "\",";
      String waId = member[0] == null ? "" : "\"wa_id\":\"" + member[0] + "\",";
      assertThat(app.webhook(Meta.envelope(PNID, "\"contacts\":[{\"profile\":{\"name\":\"" + member[2] + "\"},"
          + waId + "\"user_id\":\"" + member[1] + "\"}],\"messages\":[{" + from + "\"from_user_id\":\"" + member[1]
          + "\",\"group_id\":\"" + group + "\",\"id\":\"wamid.g." + member[1] + "\",\"timestamp\":\"" + now
          + "\",\"type\":\"text\",\"text\":{\"body\":\"" + member[3] + "\"}}]"), SECRET).status()).isEqualTo(200);
    }
    JsonNode ada = Await.value("Ada's message reaches the agent", WAIT, () -> payloadWithText("hello from Ada"));
    JsonNode bob = Await.value("Bob's message reaches the agent", WAIT, () -> payloadWithText("hello from Bob"));
    assertThat(ada.get("conversation_id")).isEqualTo(bob.get("conversation_id"));
    assertThat(ada.at("/group/id").asString()).isEqualTo(group);
    assertThat(ada.get("phone_number").asString()).isEqualTo("+16505559001");
    assertThat(ada.get("customer_name").asString()).isEqualTo("Ada");
    assertThat(bob.get("phone_number").isNull()).isTrue();
    assertThat(bob.get("user_id").asString()).isEqualTo("US.5002");
    assertThat(bob.get("customer_name").asString()).isEqualTo("Bob");

    JsonNode conv = app.api("GET", "/api/conversations?group_id=" + group, null).json().get("data");
    assertThat(conv.size()).isEqualTo(1);
    assertThat(conv.get(0).get("group_id").asString()).isEqualTo(group);
    assertThat(conv.get(0).get("phone_number").isNull()).isTrue();
    JsonNode messages = app.api("GET", "/api/conversations/" + conv.get(0).get("id").asString() + "/messages", null)
        .json().get("data");
    List<String> senders = new ArrayList<>();
    for (JsonNode m : messages.values()) {
      if (m.get("direction").asString().equals("inbound")) {
        senders.add(m.at("/sender/user_id").asString());
      }
    }
    assertThat(senders).containsExactly("US.5001", "US.5002");
  }

  @Test
  void anInteractiveReplyToAGroupFailsNamingWhyAndIsNotSent() {
    String group = "R1JPVVBfQlVUVE9OUw==";
    long now = System.currentTimeMillis() / 1000;
    int sendsBefore = sends().size();
    assertThat(app.webhook(Meta.envelope(PNID, "\"contacts\":[{\"profile\":{\"name\":\"Cy\"},\"user_id\":\"US.6001\"}],"
        + "\"messages\":[{\"from_user_id\":\"US.6001\",\"group_id\":\"" + group + "\",\"id\":\"wamid.gb1\","
        + "\"timestamp\":\"" + now + "\",\"type\":\"text\",\"text\":{\"body\":\"BUTTONS please\"}}]"), SECRET)
        .status()).isEqualTo(200);
    JsonNode call = Await.value("the agent is called", WAIT, () -> payloadWithText("BUTTONS please"));
    String conv = "/api/conversations/" + call.get("conversation_id").asString();
    Await.until("the agent's buttons are recorded", WAIT, () -> app.sql("SELECT id FROM messages WHERE conversation_id = ? "
        + "AND direction = 'outbound'", call.get("conversation_id").asString()) != null);
    JsonNode failed = app.api("GET", conv + "/messages", null).json().get("data").values().stream()
        .filter(m -> m.get("direction").asString().equals("outbound")).findFirst().orElseThrow();
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.at("/error/code").asString()).isEqualTo("invalid_content");
    assertThat(failed.at("/error/message").asString()).contains("groups cannot receive interactive messages");
    assertThat(sends().stream().skip(sendsBefore).filter(s -> group.equals(Json.text(s, "to"))).toList()).isEmpty();

    TestApp.Reply refused = app.api("POST", conv + "/messages", "{\"type\":\"buttons\",\"content\":\"Pick\","
        + "\"buttons\":[{\"id\":\"a\",\"title\":\"A\"}]}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().at("/error/code").asString()).isEqualTo("invalid_content");
    assertThat(refused.json().at("/error/message").asString()).contains("groups cannot receive interactive");
    TestApp.Reply text = app.api("POST", conv + "/messages", "{\"type\":\"message\",\"content\":\"Plain words\"}");
    assertThat(text.status()).as(text.body()).isEqualTo(202);
    JsonNode sent = sendOf("Plain words");
    assertThat(sent.get("recipient_type").asString()).isEqualTo("group");
    assertThat(sent.get("to").asString()).isEqualTo(group);
  }

  @Test
  void aCustomerSeenByPhoneThenPhoneAndUserIdThenUserIdOnlyIsOneConversation() {
    long now = System.currentTimeMillis() / 1000;
    String phone = "16505557001";
    String user = "US.7001";
    post("\"contacts\":[{\"profile\":{\"name\":\"Dee\"},\"wa_id\":\"" + phone + "\"}],\"messages\":[{\"from\":\""
        + phone + "\",\"id\":\"wamid.link1\",\"timestamp\":\"" + now + "\",\"type\":\"text\",\"text\":{\"body\":"
        + "\"link one\"}}]");
    JsonNode first = Await.value("the phone-only message", WAIT, () -> payloadWithText("link one"));
    post("\"contacts\":[{\"profile\":{\"name\":\"Dee\"},\"wa_id\":\"" + phone + "\",\"user_id\":\"" + user + "\"}],"
        + "\"messages\":[{\"from\":\"" + phone + "\",\"id\":\"wamid.link2\",\"timestamp\":\"" + now + "\",\"type\":"
        + "\"text\",\"text\":{\"body\":\"link two\"}}]");
    JsonNode second = Await.value("the phone and user id message", WAIT, () -> payloadWithText("link two"));
    post("\"contacts\":[{\"profile\":{\"name\":\"Dee\",\"username\":\"dee\"},\"user_id\":\"" + user + "\"}],"
        + "\"messages\":[{\"from_user_id\":\"" + user + "\",\"id\":\"wamid.link3\",\"timestamp\":\"" + now
        + "\",\"type\":\"text\",\"text\":{\"body\":\"link three\"}}]");
    JsonNode third = Await.value("the user-id-only message", WAIT, () -> payloadWithText("link three"));

    assertThat(second.get("conversation_id")).isEqualTo(first.get("conversation_id"));
    assertThat(third.get("conversation_id")).isEqualTo(first.get("conversation_id"));
    assertThat(first.get("user_id").isNull()).isTrue();
    assertThat(second.get("user_id").asString()).isEqualTo(user);
    // The phone, once known, stays known: the agent may still reach the customer by it, and replies go to it.
    assertThat(third.get("phone_number").asString()).isEqualTo("+" + phone);
    assertThat(third.get("username").asString()).isEqualTo("dee");
    assertThat(sendOf("ack " + callNumber(third)).get("to").asString()).isEqualTo("+" + phone);

    JsonNode byUser = app.api("GET", "/api/conversations?user_id=" + user, null).json().get("data");
    assertThat(byUser.size()).isEqualTo(1);
    assertThat(byUser.get(0).get("phone_number").asString()).isEqualTo("+" + phone);
    assertThat(byUser.get(0).get("username").asString()).isEqualTo("dee");
    assertThat(app.api("GET", "/api/conversations?username=@DEE", null).json().at("/data/0/id"))
        .isEqualTo(byUser.get(0).get("id"));
  }

  @Test
  void twoUsernameOnlyCustomersAreTwoConversationsAndStatusesByUserIdApply() {
    long now = System.currentTimeMillis() / 1000;
    for (String n : new String[] {"1", "2"}) {
      post("\"contacts\":[{\"profile\":{\"name\":\"Anon " + n + "\",\"username\":\"anon" + n + "\"},\"user_id\":"
          + "\"US.900" + n + "\"}],\"messages\":[{\"from_user_id\":\"US.900" + n + "\",\"id\":\"wamid.anon" + n
          + "\",\"timestamp\":\"" + now + "\",\"type\":\"text\",\"text\":{\"body\":\"anon says " + n + "\"}}]");
    }
    JsonNode one = Await.value("the first", WAIT, () -> payloadWithText("anon says 1"));
    JsonNode two = Await.value("the second", WAIT, () -> payloadWithText("anon says 2"));
    assertThat(one.get("conversation_id")).isNotEqualTo(two.get("conversation_id"));
    assertThat(one.get("phone_number").isNull()).isTrue();
    assertThat(two.get("phone_number").isNull()).isTrue();
    assertThat(one.get("customer_name").asString()).isEqualTo("Anon 1");
    JsonNode sendOne = sendOf("ack " + callNumber(one));
    JsonNode sendTwo = sendOf("ack " + callNumber(two));
    assertThat(sendOne.get("recipient").asString()).isEqualTo("US.9001");
    assertThat(sendTwo.get("recipient").asString()).isEqualTo("US.9002");

    // Meta's statuses for a send to a user id name only the user id; they apply by wamid.
    String conv = one.get("conversation_id").asString();
    String wamid = Await.value("the reply has its wamid", WAIT, () -> outbound(conv, "sent"));
    post("\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"delivered\",\"timestamp\":\"" + now + "\","
        + "\"recipient_user_id\":\"US.9001\"}]");
    Await.value("delivered applies", WAIT, () -> outbound(conv, "delivered"));
    // And a group-shaped status (pywa's fixture) by its wamid too.
    post("\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"read\",\"timestamp\":\"" + now + "\","
        + "\"recipient_id\":\"fowefinoewcnw\",\"recipient_type\":\"group\",\"recipient_participant_user_id\":"
        + "\"US.9001\"}]");
    Await.value("read applies", WAIT, () -> outbound(conv, "read"));
  }

  void post(String value) {
    assertThat(app.webhook(Meta.envelope(PNID, value), SECRET).status()).isEqualTo(200);
  }

  /** The wamid of the conversation's outbound message once it has this status. */
  String outbound(String conversationId, String status) {
    return app.sql("SELECT wamid FROM messages WHERE conversation_id = ? AND direction = 'outbound' AND status = ?",
        conversationId, status);
  }

  JsonNode payloadWithText(String text) {
    return calls.values().stream().filter(p -> text.equals(p.path("message").asString())).findFirst().orElse(null);
  }
}
