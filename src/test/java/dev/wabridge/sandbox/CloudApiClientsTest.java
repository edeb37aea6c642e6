package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.NodeScripts;
import dev.wabridge.testing.TestApp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two real WhatsApp Cloud API client libraries from npm, {@code whatsapp-api-js} and
 * {@code @kapso/whatsapp-cloud-api}, run by Node ({@code src/test/clients/clients.mjs}) against the sandbox's
 * simulated Graph API with a tenant's sandbox credentials: every message type each supports, media upload,
 * retrieve, download and delete, mark-read with typing, a send to a BSUID, and Meta's errors as the libraries parse
 * them. Afterwards the customer's phone shows every message the libraries sent. System property
 * {@code wabridge.test.clients}: {@code true} (CI: Node must be there), {@code auto} (skip with a message when it
 * is not), {@code false}.
 */
class CloudApiClientsTest {
  private static final Path DIR = Path.of("src/test/clients");
  private static final String CUSTOMER = "+15550109090";
  private FakeServer agent;
  private TestApp app;

  @BeforeEach
  void start() {
    String mode = System.getProperty("wabridge.test.clients", "auto");
    boolean node = NodeScripts.nodeAvailable(DIR);
    if (!node || mode.equals("false")) {
      String why = mode.equals("false") ? "wabridge.test.clients=false" : "missing node";
      if (mode.equals("true")) {
        throw new IllegalStateException("the Cloud API client library tests are required here but " + why);
      }
      Assumptions.abort("Cloud API client library tests SKIPPED: " + why);
    }
    if (!Files.isDirectory(DIR.resolve("node_modules/whatsapp-api-js"))
        || !Files.isDirectory(DIR.resolve("node_modules/@kapso/whatsapp-cloud-api"))) {
      NodeScripts.Result install = NodeScripts.run(List.of("npm", "install", "--no-audit", "--no-fund"), DIR, 300,
          Map.of());
      assertThat(install.exitCode()).as("npm install in src/test/clients:\n" + install.output()).isZero();
    }
    agent = new FakeServer(r -> FakeServer.Response.json(200, "{\"type\":\"none\"}"));
    app = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", InstantSource.system(),
        Map.of("WABRIDGE_SANDBOX", "true", "WABRIDGE_AGENT_NETWORK_ALLOWLIST", "127.0.0.1/32")));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void whatsappApiJsAndKapsoGetMetasAnswersFromTheSandbox() {
    String key = app.api("POST", "/api/workspaces", "{\"name\":\"Client libraries\"}").json().get("api_key")
        .asString();
    TestApp.Reply made = app.request("POST", "/api/agents", "{\"name\":\"Library bot\",\"webhook_url\":\""
        + agent.url() + "\",\"number_id\":\"num_sandbox\",\"timeout_seconds\":10}", key, "application/json", Map.of());
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    String agentId = made.json().get("id").asString();

    NodeScripts.Result r = NodeScripts.run(List.of("node", "clients.mjs"), DIR, 240, Map.of("WABRIDGE_URL", app.url(),
        "WABRIDGE_KEY", key, "AGENT_ID", agentId, "CUSTOMER", CUSTOMER));
    assertThat(r.exitCode()).as("clients.mjs output:\n" + r.output()).isZero();
    assertThat(r.output()).contains("clients: all 22 checks passed");

    // Each library: text, 5 media by link, 5 by id, location, contacts, 5 interactive, a template, a BSUID text.
    Map<String, Integer> expected = Map.of("text", 4, "image", 4, "video", 4, "audio", 4, "document", 4,
        "sticker", 4, "location", 2, "contacts", 2, "interactive", 10, "template", 2);
    String phone = "/sandbox/api/messages?agent_id=" + agentId + "&from=" + URLEncoder.encode(CUSTOMER,
        StandardCharsets.UTF_8);
    Await.until("every message the libraries sent is on the phone", Duration.ofSeconds(30),
        () -> outboundTypes(app.request("GET", phone, null, key, null, Map.of()).json()).equals(new TreeMap<>(expected)));
    JsonNode inbound = app.request("GET", phone, null, key, null, Map.of()).json().get("data").get(0);
    assertThat(inbound.get("direction").asString()).isEqualTo("inbound");
    assertThat(inbound.get("status").asString()).as("marked read").isEqualTo("read");
    assertThat(inbound.get("reaction").asString()).isEqualTo("❤️");
  }

  private static Map<String, Integer> outboundTypes(JsonNode phone) {
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode b : phone.get("data").values()) {
      if (b.get("direction").asString().equals("outbound")) {
        counts.merge(b.get("type").asString(), 1, Integer::sum);
      }
    }
    return counts;
  }
}
