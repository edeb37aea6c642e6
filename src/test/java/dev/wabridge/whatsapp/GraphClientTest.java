package dev.wabridge.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.config.Tuning;
import dev.wabridge.support.Json;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The send's envelope is wabridge's: whom it goes to comes from the conversation, never from the message. */
class GraphClientTest {
  private static final BusinessNumber NUMBER = new BusinessNumber("num_1", "default", "106540352242922", "+1 555",
      null, "tok", "secret", 80, 0, 0);
  private FakeServer graph;
  private GraphClient client;

  @BeforeEach
  void start() {
    graph = new FakeServer(r -> Response.json(200, "{\"messages\":[{\"id\":\"wamid.OK\"}]}"));
    client = new GraphClient(n -> graph.url() + "/v23.0", "test", Tuning.DEFAULTS.graph().call());
  }

  @AfterEach
  void stop() {
    client.close();
    graph.close();
  }

  private JsonNode sent(Recipient to) {
    ObjectNode message = (ObjectNode) Json.parse("{\"type\":\"text\",\"text\":{\"body\":\"hi\"},\"to\":\"+19990000\","
        + "\"recipient\":\"US.999\",\"recipient_type\":\"group\",\"messaging_product\":\"other\","
        + "\"biz_opaque_callback_data\":\"msg_forged\"}");
    assertThat(client.send(NUMBER, to, message, "msg_1")).isInstanceOf(SendResult.Accepted.class);
    return Json.parse(graph.requests().getLast().body());
  }

  @Test
  void aPhoneIsAddressedByToAndNothingInTheMessageOverridesTheEnvelope() {
    JsonNode body = sent(new Recipient("+15550001", "US.1349", null));
    assertThat(body.get("to").asString()).isEqualTo("+15550001");
    assertThat(body.has("recipient")).isFalse();
    assertThat(body.get("recipient_type").asString()).isEqualTo("individual");
    assertThat(body.get("messaging_product").asString()).isEqualTo("whatsapp");
    assertThat(body.get("biz_opaque_callback_data").asString()).isEqualTo("msg_1");
    assertThat(body.get("text").get("body").asString()).isEqualTo("hi");
  }

  @Test
  void aWithheldPhoneIsAddressedByUserIdAndAGroupByItsId() {
    JsonNode user = sent(new Recipient(null, "US.1349", null));
    assertThat(user.get("recipient").asString()).isEqualTo("US.1349");
    assertThat(user.has("to")).isFalse();
    JsonNode group = sent(new Recipient("+15550001", "US.1349", "Y2FwaV9ncm91cDox"));
    assertThat(group.get("recipient_type").asString()).isEqualTo("group");
    assertThat(group.get("to").asString()).isEqualTo("Y2FwaV9ncm91cDox");
    assertThat(group.has("recipient")).isFalse();
  }
}
