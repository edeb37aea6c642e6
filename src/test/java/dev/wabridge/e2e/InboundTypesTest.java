package dev.wabridge.e2e;

import dev.wabridge.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every inbound message type in Meta's real payloads (src/test/resources/webhook-fixtures/pywa) reaches a fake
 * agent with the contract's fields: `message` always a string, media re-hosted, location, contacts,
 * interactive replies, reactions, orders, referral and reply context.
 */
class InboundTypesTest {
  static final String PNID = "7788990011";
  static final String SECRET = "types-secret";
  static final Path FIXTURES = Fixtures.webhooks();
  static FakeServer graph;
  static FakeServer agent;
  static TestApp app;
  static final Map<String, JsonNode> byName = new LinkedHashMap<>();

  @BeforeAll
  static void deliverEveryFixture() throws IOException {
    graph = new FakeServer(InboundTypesTest::graph);
    agent = new FakeServer(r -> new Response(204, null, null));
    app = new TestApp(false, graph.url());
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"tok\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
    String agentId = app.api("POST", "/api/agents", "{\"name\":\"T\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + numberId + "\"}").json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);

    int sent = 0;
    for (String file : new String[] {"message.json", "callback_button.json", "callback_selection.json",
        "flow_completion.json", "system.json"}) {
      JsonNode all = Json.parse(Files.readAllBytes(FIXTURES.resolve("pywa").resolve(file)));
      for (Map.Entry<String, JsonNode> e : all.properties()) {
        String name = file.replace(".json", "") + ":" + e.getKey();
        ObjectNode envelope = (ObjectNode) e.getValue().deepCopy();
        int n = sent++;
        for (JsonNode entry : envelope.get("entry").values()) {
          for (JsonNode change : entry.get("changes").values()) {
            ObjectNode value = (ObjectNode) change.get("value");
            ((ObjectNode) value.get("metadata")).put("phone_number_id", PNID);
            // Each fixture is its own customer: by phone and, where the fixture carries one, by user id.
            for (JsonNode m : Json.items(value, "messages")) {
              ((ObjectNode) m).put("id", "wamid.fixture." + n);
              ((ObjectNode) m).put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
              ((ObjectNode) m).put("from", "1555" + String.format("%07d", n));
              if (m.has("from_user_id")) {
                ((ObjectNode) m).put("from_user_id", "US.1555" + n);
              }
              if (!"system".equals(m.path("type").asString())) {
                // Meta's system notices (a customer changed number) are not customer turns: no agent call.
                byName.put("+1555" + String.format("%07d", n), Json.object().put("name", name));
              }
            }
            for (JsonNode c : Json.items(value, "contacts")) {
              ((ObjectNode) c).put("wa_id", "1555" + String.format("%07d", n));
              if (c.has("user_id")) {
                ((ObjectNode) c).put("user_id", "US.1555" + n);
              }
            }
          }
        }
        assertThat(app.webhook(Json.string(envelope), SECRET).status()).as(name).isEqualTo(200);
      }
    }
    int expected = byName.size();
    Await.until("every fixture message reaches the agent", Duration.ofSeconds(30),
        () -> agent.requests().size() >= expected);
  }

  static Response graph(Request r) {
    Response media = FakeServer.metaMedia(r, graph.url());
    return media != null ? media : Response.json(200, "{\"success\":true}");
  }

  @AfterAll
  static void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  static JsonNode payload(String fixture) {
    return agent.requests().stream().map(r -> Json.parse(r.body()))
        .filter(p -> fixture.equals(byName.get(p.get("phone_number").asString()).get("name").asString()))
        .findFirst().orElseThrow(() -> new AssertionError("no agent call for " + fixture));
  }

  @Test
  void everyPayloadHasTheSeedsFieldsAndAStringMessage() {
    for (Request r : agent.requests()) {
      JsonNode p = Json.parse(r.body());
      assertThat(p.get("message").isString()).as(r.bodyText()).isTrue();
      assertThat(p.has("image")).isTrue();
      assertThat(p.get("phone_number").asString()).startsWith("+1555");
      assertThat(p.get("reply_callback").asString()).contains("/api/callback/");
    }
  }

  @Test
  void textAndReplyContextAndReferral() {
    assertThat(payload("message:text").get("message").asString()).isEqualTo("Body Text");
    assertThat(payload("message:reply").get("reply_to").get("wamid").asString()).startsWith("wamid.");
    JsonNode referral = payload("message:referral").get("referral");
    assertThat(referral.get("source_type").isString()).isTrue();
  }

  @Test
  void mediaIsRehostedForEveryKind() {
    for (String kind : new String[] {"image", "video", "document", "audio", "voice", "static_sticker"}) {
      JsonNode p = payload("message:" + kind);
      assertThat(p.get("media").get("url").asString()).as(kind).startsWith(app.url() + "/media/");
    }
    assertThat(payload("message:image").get("image").asString()).startsWith(app.url() + "/media/");
    assertThat(payload("message:video").get("image").isNull()).isTrue();
    assertThat(payload("message:voice").get("media").get("voice").asBoolean()).isTrue();
    assertThat(payload("message:document").get("media").get("filename").isString()).isTrue();
  }

  @Test
  void locationContactsReactionsAndOrders() {
    JsonNode loc = payload("message:chosen_location").get("location");
    assertThat(loc.get("latitude").isNumber()).isTrue();
    assertThat(loc.get("longitude").isNumber()).isTrue();
    assertThat(payload("message:contacts").get("contacts").isArray()).isTrue();
    assertThat(payload("message:reaction").get("reaction").get("emoji").isString()).isTrue();
    assertThat(payload("message:order").get("order").get("product_items").isArray()).isTrue();
    assertThat(payload("message:unsupported").get("type").asString()).isEqualTo("unsupported");
    assertThat(payload("message:unsupported").get("message").asString()).isEmpty();
  }

  @Test
  void buttonAndListRepliesComeAsInteractive() {
    JsonNode button = payload("callback_button:button").get("interactive");
    assertThat(button.get("type").asString()).isEqualTo("button_reply");
    assertThat(button.get("id").isString()).isTrue();
    assertThat(payload("callback_button:button").get("message").asString()).isEqualTo(button.get("title").asString());
    assertThat(payload("callback_button:quick_reply").get("interactive").get("type").asString())
        .isEqualTo("quick_reply");
    JsonNode list = payload("callback_selection:description").get("interactive");
    assertThat(list.get("type").asString()).isEqualTo("list_reply");
    assertThat(list.get("description").isString()).isTrue();
    assertThat(payload("flow_completion:completion").get("interactive").get("response_json").isString()).isTrue();
  }
}
