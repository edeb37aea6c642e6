package dev.wabridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every reasonable reply shape through the real pipeline (issue 12): an agent that answers {@code {"message":
 * "Hello"}}, an OpenAI chat completion, and Meta's own interactive cta_url send body; the fake Graph API receives
 * exactly Meta's request for each, the envelope wabridge's own. An invalid Meta object fails visibly, naming the
 * field: as a failed message when the agent answered it, as 422 on reply_callback.
 */
class ReplyShapesTest {
  static final String PNID = "5566778899";
  static final String SECRET = "shapes-secret";
  static final String CUSTOMER = "15551230000";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String OPENAI = """
      {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
       "model": "gpt-4.1-2025-04-14", "choices": [{"index": 0, "message": {"role": "assistant",
       "content": "Your order **A-17** ships today.", "refusal": null, "annotations": []}, "logprobs": null,
       "finish_reason": "stop"}], "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29}}""";
  /** As a Cloud API client library builds it, addressed to someone else: the envelope must not count. */
  static final String CTA_URL = """
      {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+19995550000",
       "recipient": "US.13491208655302741918", "type": "interactive", "interactive": {"type": "cta_url",
       "header": {"type": "text", "text": "Order A-17"}, "body": {"text": "Track your parcel *live*"},
       "footer": {"text": "Thanks for shopping"}, "action": {"name": "cta_url",
       "parameters": {"display_text": "Track", "url": "https://shop.example.com/track/A-17"}}}}""";
  static final String FOUR_BUTTONS = """
      {"type": "interactive", "interactive": {"type": "button", "body": {"text": "Pick"}, "action": {"buttons": [
        {"type": "reply", "reply": {"id": "a", "title": "A"}}, {"type": "reply", "reply": {"id": "b", "title": "B"}},
        {"type": "reply", "reply": {"id": "c", "title": "C"}}, {"type": "reply", "reply": {"id": "d", "title": "D"}}]}}}""";

  final AtomicInteger wamids = new AtomicInteger();
  FakeServer graph;
  FakeServer agent;
  TestApp app;

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> r.bodyText().contains("\"status\":\"read\"") ? Response.json(200, "{\"success\":true}")
        : Response.json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+" + CUSTOMER + "\","
            + "\"wa_id\":\"" + CUSTOMER + "\"}],\"messages\":[{\"id\":\"wamid.OUT" + wamids.incrementAndGet() + "\"}]}"));
    agent = new FakeServer(r -> Response.json(200, switch (Json.parse(r.body()).get("message").asString()) {
      case "hello" -> "{\"message\": \"Hello\"}";
      case "order" -> OPENAI;
      case "track" -> CTA_URL;
      case "pick" -> FOUR_BUTTONS;
      default -> "{\"type\": \"none\"}";
    }));
    app = new TestApp(false, graph.url());
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"tok\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
    String agentId = app.api("POST", "/api/agents", "{\"name\":\"Shapes\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + numberId + "\"}").json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  @Test
  void aFrameworksTextAnOpenAiCompletionAndMetasCtaUrlReachMetaExactly() {
    write("wamid.IN1", "hello");
    write("wamid.IN2", "order");
    write("wamid.IN3", "track");
    Await.until("three replies are sent", WAIT, () -> sends().size() == 3);

    List<String> ids = outboundIds();
    assertThat(ids).hasSize(3);
    List<String> bodies = sends().stream().map(Request::bodyText).toList();
    assertThat(bodies.get(0)).isEqualTo(envelope() + "\"type\":\"text\",\"text\":{\"body\":\"Hello\","
        + "\"preview_url\":false}," + opaque(ids.get(0)));
    assertThat(bodies.get(1)).isEqualTo(envelope() + "\"type\":\"text\",\"text\":{\"body\":\"Your order *A-17* ships "
        + "today.\",\"preview_url\":false}," + opaque(ids.get(1)));
    // Meta's object as the agent gave it, the envelope wabridge's: to the customer, not to +19995550000
    ObjectNode cta = (ObjectNode) Json.parse(CTA_URL);
    List.of("messaging_product", "recipient_type", "to", "recipient").forEach(cta::remove);
    String message = Json.string(cta);
    assertThat(bodies.get(2)).isEqualTo(envelope() + message.substring(1, message.length() - 1) + ","
        + opaque(ids.get(2)));
    assertThat(bodies.get(2)).doesNotContain("19995550000").doesNotContain("US.1349");
  }

  @Test
  void anInvalidMetaObjectFailsNamingTheFieldInlineAndOnTheCallback() {
    write("wamid.IN4", "pick");
    // the API is asked only once the agent has answered, so the polling stays under the key's rate limit
    JsonNode failed = Await.value("the reply is recorded as failed", WAIT, () -> agent.requests().isEmpty() ? null
        : messages().stream().filter(m -> m.get("direction").asString().equals("outbound")).findFirst().orElse(null));
    assertThat(failed.get("status").asString()).isEqualTo("failed");
    assertThat(failed.get("type").asString()).isEqualTo("buttons");
    assertThat(failed.get("error").get("code").asString()).isEqualTo("invalid_content");
    assertThat(failed.get("error").get("message").asString())
        .isEqualTo("interactive.action.buttons[3]: at most 3 buttons (got 4)");

    String callback = URI.create(Json.parse(agent.requests().getFirst().body()).get("reply_callback").asString())
        .getPath();
    TestApp.Reply refused = app.request("POST", callback, "[\"first\", " + FOUR_BUTTONS + "]", null,
        "application/json", Map.of());
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("error").get("code").asString()).isEqualTo("invalid_content");
    assertThat(refused.json().get("error").get("message").asString())
        .isEqualTo("[1].interactive.action.buttons[3]: at most 3 buttons (got 4)");

    TestApp.Reply ok = app.request("POST", callback, CTA_URL, null, "application/json", Map.of());
    assertThat(ok.status()).as(ok.body()).isEqualTo(202);
    Await.until("the callback's message is sent", WAIT, () -> sends().size() == 1);
    JsonNode sent = Json.parse(sends().getFirst().body());
    assertThat(sent.get("to").asString()).isEqualTo("+" + CUSTOMER);
    assertThat(sent.get("interactive")).isEqualTo(Json.parse(CTA_URL).get("interactive"));
  }

  private void write(String wamid, String text) {
    assertThat(app.webhook(Meta.text(PNID, CUSTOMER, "Mia", wamid, System.currentTimeMillis() / 1000, text), SECRET)
        .status()).isEqualTo(200);
  }

  private List<Request> sends() {
    return graph.requests().stream().filter(r -> r.bodyText().contains("\"to\"")).toList();
  }

  /** The conversation's messages, oldest first; none while there is no conversation or the API says to wait. */
  private List<JsonNode> messages() {
    TestApp.Reply convs = app.api("GET", "/api/conversations", null);
    if (convs.status() != 200 || convs.json().get("data").isEmpty()) {
      return List.of();
    }
    TestApp.Reply page = app.api("GET", "/api/conversations/" + convs.json().get("data").get(0).get("id").asString()
        + "/messages", null);
    List<JsonNode> out = new ArrayList<>();
    if (page.status() == 200) {
      page.json().get("data").values().forEach(out::add);
    }
    return out;
  }

  /** wabridge's ids of the sent messages, oldest first. */
  private List<String> outboundIds() {
    return messages().stream().filter(m -> m.get("direction").asString().equals("outbound"))
        .map(m -> m.get("id").asString()).toList();
  }

  private static String envelope() {
    return "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+" + CUSTOMER + "\",";
  }

  private static String opaque(String messageId) {
    return "\"biz_opaque_callback_data\":\"" + messageId + "\"}";
  }
}
