package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A simulated customer chats through the real pipeline: signed webhooks into wabridge, the agent called, its reply
 * sent to the simulated Graph API and shown on the phone, statuses back as webhooks (sent, delivered, read).
 */
class SandboxChatTest {
  static final String KERRY = "+15550107001";
  SandboxFixture sandbox;

  @BeforeEach
  void start() {
    sandbox = new SandboxFixture();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void theDemoAgentAnswersAndTicksGoFromSentToDeliveredToRead() {
    String agentId = sandbox.agent("Demo", sandbox.app.url() + "/sandbox/demo-agent").get("id").asString();
    String wamid = sandbox.write(agentId, KERRY, "\"text\":\"hello there\"");
    assertThat(wamid).startsWith("wamid.");

    JsonNode reply = sandbox.awaitBubble(agentId, KERRY, "the echo on the phone", SandboxFixture.outbound("text"));
    assertThat(reply.get("text").asString()).isEqualTo("You said: *hello there*");
    JsonNode mine = sandbox.awaitBubble(agentId, KERRY, "the customer's message read (blue ticks)",
        b -> b.get("id").asString().equals(wamid) && b.get("status").asString().equals("read"));
    assertThat(mine.get("direction").asString()).isEqualTo("inbound");
    assertThat(mine.get("text").asString()).isEqualTo("hello there");

    JsonNode conversation = Await.value("the conversation", SandboxFixture.WAIT,
        () -> sandbox.conversation(agentId, KERRY));
    assertThat(conversation.get("customer_name").asString()).isEqualTo("Kerry");
    assertThat(conversation.get("number_id").asString()).isEqualTo("num_sandbox");
    String outWamid = reply.get("id").asString();
    Await.until("wabridge sees the reply read after the phone showed it", SandboxFixture.WAIT, () ->
        sandbox.messages(conversation.get("id").asString()).stream().anyMatch(m ->
            outWamid.equals(m.path("wamid").asString(null)) && m.get("status").asString().equals("read")));
    List<JsonNode> history = sandbox.messages(conversation.get("id").asString());
    assertThat(history.getFirst().get("direction").asString()).isEqualTo("inbound");
    assertThat(history.getFirst().get("wamid").asString()).isEqualTo(wamid);
  }

  /**
   * A customer with a username whose number is withheld: the agent gets their user id and no phone, the conversation
   * is keyed by the user id, and the reply goes to Meta by {@code recipient} and lands on their phone.
   */
  @Test
  void aUsernameOnlyCustomerIsAnsweredByUserId() {
    String agentId = sandbox.agent("Demo", sandbox.app.url() + "/sandbox/demo-agent").get("id").asString();
    sandbox.write(agentId, KERRY, "\"text\":\"hi from a username\",\"username\":\"kerry.k\","
        + "\"withhold_phone\":true");
    JsonNode reply = sandbox.awaitBubble(agentId, KERRY, "the echo on the phone", SandboxFixture.outbound("text"));
    assertThat(reply.get("text").asString()).isEqualTo("You said: *hi from a username*");
    JsonNode conversation = Await.value("the conversation", SandboxFixture.WAIT, () -> {
      JsonNode list = sandbox.app.api("GET", "/api/conversations?agent_id=" + agentId, null).json().get("data");
      return list.isEmpty() ? null : list.get(0);
    });
    assertThat(conversation.get("phone_number").isNull()).as(conversation.toString()).isTrue();
    assertThat(conversation.get("user_id").asString()).startsWith("US.");
    assertThat(conversation.get("username").asString()).isEqualTo("kerry.k");
  }

  @Test
  void statusesArriveSentThenDeliveredBeforeThePhoneIsViewed() {
    FakeServer agent = new FakeServer(r -> Response.json(200, "{\"type\":\"message\",\"content\":\"Hi **Kerry**\"}"));
    try {
      String agentId = sandbox.agent("Fake", agent.url() + "/hook").get("id").asString();
      sandbox.write(agentId, KERRY, "\"text\":\"ping\"");
      JsonNode conversation = Await.value("the conversation", SandboxFixture.WAIT,
          () -> sandbox.conversation(agentId, KERRY));
      Await.until("the reply delivered (not yet read: nobody looked at the phone)", SandboxFixture.WAIT, () ->
          sandbox.messages(conversation.get("id").asString()).stream().anyMatch(m ->
              m.get("direction").asString().equals("outbound") && m.get("status").asString().equals("delivered")));
      JsonNode call = Json.parse(agent.requests().getFirst().body());
      assertThat(call.get("message").asString()).isEqualTo("ping");
      assertThat(call.get("phone_number").asString()).isEqualTo(KERRY);
      assertThat(call.get("customer_name").asString()).isEqualTo("Kerry");
      JsonNode shown = sandbox.awaitBubble(agentId, KERRY, "reply shown", SandboxFixture.outbound("text"));
      assertThat(shown.get("text").asString()).isEqualTo("Hi *Kerry*");
      Await.until("read once the phone was viewed", SandboxFixture.WAIT, () ->
          sandbox.messages(conversation.get("id").asString()).stream().anyMatch(m ->
              m.get("direction").asString().equals("outbound") && m.get("status").asString().equals("read")));
    } finally {
      agent.close();
    }
  }

  @Test
  void buttonsListsAndMediaRoundTrip() throws Exception {
    String agentId = sandbox.agent("Demo", sandbox.app.url() + "/sandbox/demo-agent").get("id").asString();
    sandbox.write(agentId, KERRY, "\"text\":\"buttons\"");
    JsonNode buttons = sandbox.awaitBubble(agentId, KERRY, "buttons", SandboxFixture.outbound("interactive"));
    JsonNode first = buttons.get("content").get("action").get("buttons").get(0).get("reply");
    sandbox.write(agentId, KERRY, "\"reply\":{\"type\":\"button_reply\",\"id\":\"" + first.get("id").asString()
        + "\",\"title\":\"" + first.get("title").asString() + "\"}");
    JsonNode chosen = sandbox.awaitBubble(agentId, KERRY, "the choice named",
        b -> b.get("text").asString("").startsWith("You chose"));
    assertThat(chosen.get("text").asString()).isEqualTo("You chose *Yes, it did* (id `yes`).");

    sandbox.write(agentId, KERRY, "\"text\":\"image\"");
    JsonNode image = sandbox.awaitBubble(agentId, KERRY, "the image", SandboxFixture.outbound("image"));
    assertThat(image.get("media").get("mime_type").asString()).isEqualTo("image/png");
    HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(sandbox.app.url() + image.get("media").get("url").asString())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).hasValue("image/png");

    sandbox.write(agentId, KERRY, "\"text\":\"document\"");
    JsonNode doc = sandbox.awaitBubble(agentId, KERRY, "the document", SandboxFixture.outbound("document"));
    assertThat(doc.get("media").get("filename").asString()).isEqualTo("wabridge-guide.pdf");

    sandbox.write(agentId, KERRY, "\"location\":{\"latitude\":52.37,\"longitude\":4.89,\"name\":\"Dam\"}");
    JsonNode loc = sandbox.awaitBubble(agentId, KERRY, "the location answered",
        b -> b.get("text").asString("").startsWith("Thanks, I got your location"));
    assertThat(loc.get("text").asString()).contains("52.37");
  }

  @Test
  void aCustomerImageReachesTheAgentAsMetaMedia() {
    FakeServer agent = new FakeServer(r -> new Response(204, null, null));
    try {
      String agentId = sandbox.agent("Fake", agent.url() + "/hook").get("id").asString();
      String png = java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
      sandbox.write(agentId, KERRY, "\"image_base64\":\"" + png
          + "\",\"mime_type\":\"image/png\",\"caption\":\"look\"");
      Await.until("the agent called", SandboxFixture.WAIT, () -> !agent.requests().isEmpty());
      JsonNode call = Json.parse(agent.requests().getFirst().body());
      assertThat(call.get("type").asString()).isEqualTo("image");
      assertThat(call.get("message").asString()).isEqualTo("look");
      assertThat(call.get("image").asString()).as("re-hosted from the simulated Graph API's media store")
          .startsWith(sandbox.app.url() + "/media/");
      JsonNode mine = sandbox.awaitBubble(agentId, KERRY, "the image on the phone",
          b -> b.get("type").asString().equals("image"));
      assertThat(mine.get("content").get("id").asString()).matches("\\d{16}");
      assertThat(mine.get("media").get("mime_type").asString()).isEqualTo("image/png");
    } finally {
      agent.close();
    }
  }

  @Test
  void webhooksAreSignedWithTheSandboxAppSecretOverTheExactBytes() {
    String body = dev.wabridge.testing.Meta.text(sandbox.number().phoneNumberId(), "15550107002", "Ana", "wamid.X1",
        System.currentTimeMillis() / 1000, "forged");
    TestApp.Reply forged = sandbox.app.webhook(body, "not-the-secret");
    assertThat(forged.status()).isEqualTo(401);
    TestApp.Reply real = sandbox.app.webhook(body, sandbox.number().appSecret());
    assertThat(real.status()).isEqualTo(200);
    assertThat(MetaSignature.sign(new byte[0], sandbox.number().appSecret())).startsWith("sha256=");
  }

  @Test
  void typingShowsWhileTheAgentThinks() {
    FakeServer agent = new FakeServer(r -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.json(200, "{\"type\":\"message\",\"content\":\"done\"}");
    });
    try {
      String agentId = sandbox.agent("Slow", agent.url() + "/hook").get("id").asString();
      sandbox.write(agentId, KERRY, "\"text\":\"think\"");
      Await.until("typing on the phone", SandboxFixture.WAIT, () -> sandbox.phone(agentId,
          KERRY).get("typing").asBoolean());
      sandbox.awaitBubble(agentId, KERRY, "the answer", SandboxFixture.outbound("text"));
      assertThat(sandbox.phone(agentId, KERRY).get("typing").asBoolean()).isFalse();
    } finally {
      agent.close();
    }
  }

  /** A typing refresh that crosses the reply on the wire (mark-read arriving after the send) shows no typing. */
  @Test
  void aTypingRefreshThatArrivesAfterTheReplyShowsNoTyping() {
    FakeServer agent = new FakeServer(r -> Response.json(200, "{\"type\":\"message\",\"content\":\"done\"}"));
    try {
      String agentId = sandbox.agent("Quick", agent.url() + "/hook").get("id").asString();
      String wamid = sandbox.write(agentId, "+15550104242", "\"text\":\"hi\"");
      sandbox.awaitBubble(agentId, "+15550104242", "the answer", SandboxFixture.outbound("text"));
      TestApp.Reply late = sandbox.graphPost(sandbox.number().phoneNumberId() + "/messages", "{\"messaging_product\":"
          + "\"whatsapp\",\"status\":\"read\",\"message_id\":\"" + wamid + "\",\"typing_indicator\":{\"type\":\"text\"}}");
      assertThat(late.status()).as(late.body()).isEqualTo(200);
      assertThat(sandbox.phone(agentId, "+15550104242").get("typing").asBoolean()).isFalse();
    } finally {
      agent.close();
    }
  }
}
