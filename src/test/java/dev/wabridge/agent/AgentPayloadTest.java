package dev.wabridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.Direction;
import dev.wabridge.conversation.Message;
import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.reply.TextFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Meta's errors reach the agent as Meta sent them, within bounds a body signed by a tenant cannot stretch. */
class AgentPayloadTest {
  private static final Agent AGENT = new Agent("agt_1", "default", "A", "https://agent.example/hook", "whsec_x",
      AgentStatus.DEPLOYED, "num_1", "join", 60, null, 0, TextFormat.AUTO, 0, 0, true);
  private static final Conversation CONVERSATION = new Conversation("conv_1", "default", "agt_1", "num_1",
      "US.1349", null, "US.1349", "kim", null, "Kim", 1_764_000_000_000L, 1_764_000_000_000L, false, null, 0);

  private static JsonNode payloadFor(ObjectNode raw) {
    Message m = new Message(1, "msg_1", "default", "conv_1", Direction.INBOUND, "unsupported", "", Json.string(raw), null,
        MessageStatus.RECEIVED, null, null, "wamid.X", null, 0, 0, Author.CUSTOMER, null, null);
    return Json.parse(AgentPayload.build(AGENT, CONVERSATION, List.of(m), "https://wabridge/cb", id -> id));
  }

  @Test
  void metasErrorsArePassedWithTheirDetailsAndAWithheldPhoneIsNull() {
    ObjectNode raw = (ObjectNode) Json.parse("{\"id\":\"wamid.X\",\"type\":\"unsupported\",\"errors\":[{\"code\":"
        + "131051,\"title\":\"Message type unknown\",\"message\":\"Message type unknown\",\"error_data\":{\"details\":"
        + "\"Message type is currently not supported.\"}}]}");
    JsonNode p = payloadFor(raw);
    assertThat(p.get("errors").get(0).get("code").asInt()).isEqualTo(131051);
    assertThat(p.get("errors").get(0).get("details").asString()).isEqualTo("Message type is currently not supported.");
    assertThat(p.get("phone_number").isNull()).isTrue();
    assertThat(p.get("user_id").asString()).isEqualTo("US.1349");
    assertThat(p.get("username").asString()).isEqualTo("kim");
  }

  @Test
  void aFloodOfErrorsIsCutToTenAndOddCodesAreDropped() {
    ObjectNode raw = (ObjectNode) Json.parse("{\"id\":\"wamid.X\",\"type\":\"unsupported\"}");
    ArrayNode errors = raw.putArray("errors");
    for (int i = 0; i < 500; i++) {
      ObjectNode e = errors.addObject();
      e.putObject("code").put("nested", i);
      e.put("title", "t".repeat(5000));
    }
    JsonNode p = payloadFor(raw);
    assertThat(p.get("errors").size()).isEqualTo(10);
    assertThat(p.get("errors").get(0).get("code").isNull()).isTrue();
    assertThat(p.get("errors").get(0).get("title").asString()).hasSize(1024);
  }
}
