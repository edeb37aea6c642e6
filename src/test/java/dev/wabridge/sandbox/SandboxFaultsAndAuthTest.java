package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.Await;
import dev.wabridge.testing.TestApp;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Fault injection seen through wabridge's retries and failures, and the sandbox API's auth and input errors. */
class SandboxFaultsAndAuthTest {
  static final String ANA = "+15550107010";
  SandboxFixture sandbox;
  String agentId;

  @BeforeEach
  void start() {
    sandbox = new SandboxFixture();
    agentId = sandbox.agent("Demo", sandbox.app.url() + "/sandbox/demo-agent").get("id").asString();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private TestApp.Reply faults(String method, String body, String key) {
    return sandbox.app.request(method, "/sandbox/api/faults", body, key, "application/json", Map.of());
  }

  private JsonNode outboundOn(String conversationId) {
    return sandbox.messages(conversationId).stream()
        .filter(m -> m.get("direction").asString().equals("outbound")).findFirst().orElse(null);
  }

  @Test
  void aPermanentErrorFailsTheReplyWithMetasCode() {
    assertThat(faults("POST", "{\"error_code\":131026,\"rate\":1}", TestApp.ADMIN_KEY).status()).isEqualTo(200);
    sandbox.write(agentId, ANA, "\"text\":\"hello\"");
    JsonNode conversation = Await.value("conversation", SandboxFixture.WAIT, () -> sandbox.conversation(agentId, ANA));
    JsonNode failed = Await.value("the reply failed", SandboxFixture.WAIT, () -> {
      JsonNode m = outboundOn(conversation.get("id").asString());
      return m != null && m.get("status").asString().equals("failed") ? m : null;
    });
    assertThat(failed.get("error").get("code").asString()).isEqualTo("131026");
    assertThat(failed.get("error").get("message").asString()).contains("Message undeliverable");
  }

  @Test
  void aThrottleIsRetriedUntilTheFaultIsCleared() {
    TestApp.Reply set = faults("POST", "{\"error_code\":130429,\"rate\":1,\"latency_ms\":10}", TestApp.ADMIN_KEY);
    assertThat(set.json().get("error_code").asInt()).isEqualTo(130429);
    assertThat(faults("GET", null, TestApp.ADMIN_KEY).json().get("rate").asDouble()).isEqualTo(1.0);
    sandbox.write(agentId, ANA, "\"text\":\"hello\"");
    JsonNode conversation = Await.value("conversation", SandboxFixture.WAIT, () -> sandbox.conversation(agentId, ANA));
    Await.until("a retry noted with 130429", SandboxFixture.WAIT, () -> {
      JsonNode m = outboundOn(conversation.get("id").asString());
      return m != null && !m.get("error").isNull() && m.get("error").get("code").asString().equals("130429")
          && m.get("status").asString().equals("queued");
    });
    assertThat(faults("DELETE", null, TestApp.ADMIN_KEY).status()).isEqualTo(204);
    sandbox.awaitBubble(agentId, ANA, "the reply got through after the fault was cleared",
        SandboxFixture.outbound("text"));
  }

  @Test
  void faultsNeedTheAdminKeyAndAKnownCode() {
    String other = sandbox.app.api("POST", "/api/workspaces", "{\"name\":\"Other\"}").json().get("api_key").asString();
    assertThat(faults("POST", "{\"error_code\":131026}", other).status()).isEqualTo(404);
    TestApp.Reply unknown = faults("POST", "{\"error_code\":999}", TestApp.ADMIN_KEY);
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("error").get("code").asString()).isEqualTo("invalid_error_code");
    assertThat(faults("POST", "{\"error_code\":4,\"rate\":2}", TestApp.ADMIN_KEY).status()).isEqualTo(422);
  }

  @Test
  void theSandboxApiNeedsAKeyAndSeesOnlyItsWorkspace() {
    TestApp.Reply none = sandbox.app.request("GET", "/sandbox/api/agents", null, null, null, Map.of());
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().get("error").get("code").asString()).isEqualTo("unauthorized");
    assertThat(sandbox.app.request("GET", "/sandbox/api/agents", null, "wab_wrong", null, Map.of()).status())
        .isEqualTo(401);

    JsonNode agents = sandbox.app.request("GET", "/sandbox/api/agents", null, TestApp.ADMIN_KEY, null, Map.of()).json();
    assertThat(agents.get("data").get(0).get("id").asString()).isEqualTo(agentId);
    assertThat(agents.get("data").get(0).get("connect_url").asString()).contains("/sandbox/connect/");

    String other = sandbox.app.api("POST", "/api/workspaces", "{\"name\":\"Other\"}").json().get("api_key").asString();
    TestApp.Reply foreign = sandbox.app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId
        + "\",\"from\":\"+15550107011\",\"text\":\"hi\"}", other, "application/json", Map.of());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(sandbox.app.request("GET", "/sandbox/api/messages?from=%2B15550107011&agent_id=" + agentId, null,
        other, null, Map.of()).status()).isEqualTo(404);
  }

  @Test
  void badInputNamesTheField() {
    assertThat(error("{\"agent_id\":\"" + agentId + "\",\"from\":\"not a phone\",\"text\":\"hi\"}"))
        .isEqualTo("invalid_from");
    assertThat(error("{\"agent_id\":\"" + agentId + "\",\"from\":\"+15550107011\"}")).isEqualTo("invalid_text");
    assertThat(error("{\"agent_id\":\"" + agentId + "\",\"from\":\"+15550107011\",\"location\":{\"latitude\":91,"
        + "\"longitude\":0}}")).isEqualTo("invalid_location_latitude");
    assertThat(error("{\"agent_id\":\"" + agentId + "\",\"from\":\"+15550107011\",\"reply\":{\"type\":\"x\"}}"))
        .isEqualTo("invalid_reply_type");
    assertThat(error("{\"from\":\"+15550107011\",\"text\":\"hi\"}")).isEqualTo("invalid_agent_id");
    assertThat(error("{\"agent_id\":\"" + agentId + "\",\"from\":\"+15550107011\",\"image_url\":\"ftp://x\"}"))
        .isEqualTo("invalid_image_url");
  }

  @Test
  void aPausedAgentSaysToDeployIt() {
    sandbox.app.api("POST", "/api/agents/" + agentId + "/pause", null);
    TestApp.Reply r = sandbox.app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId
        + "\",\"from\":\"+15550107011\",\"text\":\"hi\"}", TestApp.ADMIN_KEY, "application/json", Map.of());
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("agent_paused");
    assertThat(r.json().get("error").get("message").asString()).contains("deploy it in the console");
  }

  @Test
  void aJoinCodeJoinsThePhoneToTheAgent() {
    String code = sandbox.app.api("GET", "/api/agents/" + agentId, null).json().get("connect_url").asString()
        .replaceAll(".*/", "");
    TestApp.Reply r = sandbox.app.request("POST", "/sandbox/api/messages", "{\"join_code\":\"" + code
        + "\",\"from\":\"+15550107012\",\"text\":\"via code\"}", TestApp.ADMIN_KEY, "application/json", Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    sandbox.awaitBubble(agentId, "+15550107012", "echo",
        b -> b.get("text").asString("").equals("You said: *via code*"));
  }

  private String error(String body) {
    TestApp.Reply r = sandbox.app.request("POST", "/sandbox/api/messages", body, TestApp.ADMIN_KEY, "application/json",
        Map.of());
    assertThat(r.status()).as(r.body()).isIn(400, 422);
    return r.json().get("error").get("code").asString();
  }
}
