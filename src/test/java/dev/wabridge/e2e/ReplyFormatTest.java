package dev.wabridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's {@code format} decides how its reply reaches Meta, whether it answers the webhook call or its
 * reply_callback; text the business sends through the API and the fallback message are read as auto.
 */
class ReplyFormatTest {
  static final String PNID = "5566778899";
  static final String SECRET = "format-secret";
  static final Duration WAIT = Duration.ofSeconds(25);
  static final String REPLY = "*Order shipped* on _Friday_\n\n**Total:** ~~$20~~ $15, see [details](https://x.dev/o_1)";
  static final String AS_AUTO = "*Order shipped* on _Friday_\n\n*Total:* ~$20~ $15, see details (https://x.dev/o_1)";
  static final String AS_MARKDOWN = "_Order shipped_ on _Friday_\n\n*Total:* ~$20~ $15, see details (https://x.dev/o_1)";

  final MutableClock clock = new MutableClock(Instant.now());
  FakeServer graph;
  FakeServer agent;
  TestApp app;
  String agentId;
  int sent;

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> r.bodyText().contains("\"status\":\"read\"") ? Response.json(200, "{\"success\":true}")
        : Response.json(200, "{\"messages\":[{\"id\":\"wamid.F" + System.nanoTime() + "\"}]}"));
    agent = new FakeServer(r -> Response.json(200, Json.string(Map.of("content", REPLY))));
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of()));
    agentId = app.api("POST", "/api/agents", Json.string(Map.of("name", "F", "webhook_url", agent.url(), "number_id",
        app.registerNumber(PNID, SECRET), "fallback_message", "Sorry, **try again** *soon*"))).json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  /** The customer writes; returns the text of the next message wabridge sends to Meta. */
  private String replyTo(String wamid) {
    app.webhook(Meta.text(PNID, "15558000002", "Ana", wamid, clock.millis() / 1000, "hello " + wamid), SECRET);
    return nextSent();
  }

  private String nextSent() {
    int before = sent;
    Await.until("a message is sent", WAIT, () -> graph.sentTexts().size() > before);
    sent = graph.sentTexts().size();
    return graph.sentTexts().get(before);
  }

  private void setFormat(String format) {
    assertThat(app.api("PATCH", "/api/agents/" + agentId, "{\"format\":\"" + format + "\"}").json().get("format")
        .asString()).isEqualTo(format);
  }

  @Test
  void eachFormatReachesMetaAsDocumented() {
    assertThat(replyTo("wamid.AUTO")).isEqualTo(AS_AUTO);
    setFormat("markdown");
    assertThat(replyTo("wamid.MD")).isEqualTo(AS_MARKDOWN);
    setFormat("whatsapp");
    assertThat(replyTo("wamid.WA")).isEqualTo(REPLY);
    setFormat("auto");
    assertThat(replyTo("wamid.AUTO2")).isEqualTo(AS_AUTO);
  }

  @Test
  void aReplyCallbackIsReadInTheAgentsFormat() {
    setFormat("markdown");
    agent.respondWith(r -> new Response(204, "application/json", new byte[0]));
    app.webhook(Meta.text(PNID, "15558000002", "Ana", "wamid.CB", clock.millis() / 1000, "hello"), SECRET);
    Await.until("the agent is called", WAIT, () -> !agent.requests().isEmpty());
    String callback = Json.parse(agent.requests().getFirst().body()).get("reply_callback").asString();
    String path = callback.substring(callback.indexOf("/api/callback/"));
    assertThat(app.request("POST", path, Json.string(Map.of("content", REPLY)), null, "application/json", Map.of())
        .status()).isEqualTo(202);
    assertThat(nextSent()).isEqualTo(AS_MARKDOWN);
  }

  @Test
  void theBusinessAndTheFallbackAreReadAsAutoWhateverTheAgentsFormat() {
    setFormat("whatsapp");
    assertThat(replyTo("wamid.FIRST")).isEqualTo(REPLY);
    String conv = app.api("GET", "/api/conversations", null).json().get("data").get(0).get("id").asString();
    assertThat(app.api("POST", "/api/conversations/" + conv + "/messages", Json.string(Map.of("content", REPLY)))
        .status()).isEqualTo(202);
    assertThat(nextSent()).isEqualTo(AS_AUTO);

    agent.respondWith(r -> Response.json(500, "{}"));
    assertThat(replyTo("wamid.FAIL")).isEqualTo("Sorry, *try again* *soon*");
  }
}
