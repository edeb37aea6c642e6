package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The sandbox's tables on PostgreSQL (skipped with a message when no PostgreSQL answers on 127.0.0.1:5432). */
class SandboxPostgresTest {
  @Test
  void aChatWithMediaRunsOnPostgres() {
    try (SandboxFixture sandbox = new SandboxFixture(true)) {
      String agentId = sandbox.agent("Demo", sandbox.app.url() + "/sandbox/demo-agent").get("id").asString();
      sandbox.write(agentId, "+15550107030", "\"text\":\"image\"");
      JsonNode image = sandbox.awaitBubble(agentId, "+15550107030", "the image", SandboxFixture.outbound("image"));
      assertThat(image.get("media").get("size").asLong()).isPositive();
      sandbox.awaitBubble(agentId, "+15550107030", "the customer's message read",
          b -> b.get("direction").asString().equals("inbound") && b.get("status").asString().equals("read"));
    }
  }
}
