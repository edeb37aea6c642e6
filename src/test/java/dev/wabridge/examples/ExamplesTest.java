package dev.wabridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wabridge.support.Json;
import dev.wabridge.agent.AgentSignature;
import dev.wabridge.reply.Draft;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every example agent in {@code examples/} started as a real process with its one command, then held to the agent
 * contract (docs/contract.md sections 5 and 6): a correctly signed call gets a reply wabridge accepts, a bad or stale
 * signature gets 401, and a slow answer arrives on reply_callback with an Idempotency-Key. Python runs only where
 * {@code python3} has Flask, Node only where {@code node} 18+ is on PATH; otherwise the test is skipped, saying why.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExamplesTest {
  private static final String SECRET = "whsec_examples_test_secret";
  private static final Path EXAMPLES = Path.of("examples");
  private static final ReplyParser PARSER = new ReplyParser();
  private static FakeServer callbacks;

  @BeforeAll
  static void startCallbackReceiver() {
    callbacks = new FakeServer(r -> Response.json(202, "{\"messages\":[{\"id\":\"msg_cb\",\"status\":\"queued\"}]}"));
  }

  @AfterAll
  static void stopCallbackReceiver() {
    callbacks.close();
  }

  @Test
  void pythonFlask() throws IOException {
    assumeAvailable(commandSucceeds(List.of("python3", "-c", "import flask")),
        "examples/python-flask skipped: python3 with Flask not found (pip install flask, or apt-get install -y "
            + "python3-flask)");
    check("python-flask", List.of("python3", "app.py"));
  }

  @Test
  void node() throws IOException {
    assumeAvailable(onPath("node") && commandSucceeds(List.of("node", "-e",
            "process.exit(Number(process.versions.node.split('.')[0]) >= 18 ? 0 : 1)")),
        "examples/node skipped: node 18 or newer not found on PATH");
    check("node", List.of("node", "server.mjs"));
  }

  @Test
  void java() throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    check("java", List.of(java, "--source", "21", "Agent.java"));
  }

  private static void check(String example, List<String> command) throws IOException {
    Path dir = EXAMPLES.resolve(example);
    assertThat(dir.resolve("README.md")).as("every example has a README").isRegularFile();
    try (AgentProcess agent = AgentProcess.start(dir, command,
        Map.of("WABRIDGE_WEBHOOK_SECRET", SECRET, "SLOW_SECONDS", "0"))) {
      long now = Instant.now().getEpochSecond();

      JsonNode text = reply(agent, payload("Hello, I need help with my order"), now, agent.output());
      assertThat(text.get("type").asString()).isEqualTo("message");
      assertThat(text.get("content").asString()).contains("Hello, I need help with my order");
      assertThat(drafts(text)).singleElement().extracting(Draft::type).isEqualTo("text");

      assertThat(drafts(reply(agent, payload("image"), now, agent.output()))).singleElement()
          .extracting(Draft::type).isEqualTo("image");
      assertThat(drafts(reply(agent, payload("buttons"), now, agent.output()))).singleElement()
          .extracting(Draft::type).isEqualTo("buttons");
      JsonNode none = reply(agent, payload("no reply"), now, agent.output());
      assertThat(none.get("content").asString()).isEqualTo(ReplyParser.NO_REPLY);
      assertThat(drafts(none)).as("nothing is sent").isEmpty();

      assertSlowAnswerUsesCallback(agent, example, now);

      String body = payload("Hello").toString();
      assertThat(agent.postSigned(body, "whsec_some_other_secret", now).statusCode()).as("wrong secret")
          .isEqualTo(401);
      assertThat(agent.postSigned(body, SECRET, now - 301).statusCode()).as("timestamp 5 min old").isEqualTo(401);
      assertThat(agent.postSigned(body, SECRET, now + 3600).statusCode()).as("timestamp an hour ahead")
          .isEqualTo(401);
      assertThat(agent.postSigned(body, null, now).statusCode()).as("no signature").isEqualTo(401);
      String otherBodysSignature = AgentSignature.header(SECRET, now, "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(agent.post(body.getBytes(StandardCharsets.UTF_8), otherBodysSignature).statusCode())
          .as("signature of another body").isEqualTo(401);
    }
  }

  private static void assertSlowAnswerUsesCallback(AgentProcess agent, String example, long now) {
    String url = callbacks.url() + "/api/callback/tok_" + example;
    ObjectNode slow = payload("slow");
    slow.put("reply_callback", url);
    slow.put("message_id", "msg_slow_" + example);
    JsonNode first = reply(agent, slow, now, agent.output());
    assertThat(first.get("type").asString()).isEqualTo("message");
    FakeServer.Request later = Await.value("a POST to reply_callback from " + example, Duration.ofSeconds(20),
        () -> callbacks.requests("/tok_" + example).stream().findFirst().orElse(null));
    assertThat(later.method()).isEqualTo("POST");
    assertThat(later.header("Idempotency-Key")).isEqualTo("msg_slow_" + example);
    assertThat(later.header("Content-Type")).startsWith("application/json");
    assertThat(drafts(Json.parse(later.body()))).singleElement().extracting(Draft::type).isEqualTo("text");
  }

  /** A signed call as wabridge makes it; the reply must be 200 JSON. */
  private static JsonNode reply(AgentProcess agent, ObjectNode payload, long now, String log) {
    HttpResponse<String> r = agent.postSigned(payload.toString(), SECRET, now);
    assertThat(r.statusCode()).as("%s\n%s", r.body(), log).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("json"));
    return Json.parse(r.body());
  }

  /** What wabridge would send for this reply; none of it may be invalid. */
  private static List<Draft> drafts(JsonNode reply) {
    List<Draft> drafts = PARSER.parse(reply);
    assertThat(drafts).as("reply %s", reply).noneMatch(d -> d instanceof Draft.Invalid);
    return drafts;
  }

  /** The agent webhook body of docs/contract.md section 5, every field present. */
  static ObjectNode payload(String message) {
    ObjectNode p = Json.object();
    p.put("message", message);
    p.putNull("image");
    p.put("phone_number", "+1234567890");
    p.put("reply_callback", callbacks.url() + "/api/callback/unused");
    p.put("type", "text");
    p.put("message_id", "msg_01");
    p.put("conversation_id", "conv_01");
    p.put("agent_id", "agt_01");
    p.put("customer_name", "Kerry");
    p.put("user_id", "US.13491208655302741918");
    p.putNull("username");
    p.putNull("group");
    p.put("timestamp", "2026-11-24T10:00:00Z");
    p.put("window_expires_at", "2026-11-25T10:00:00Z");
    for (String f : List.of("media", "location", "contacts", "interactive", "reply_to", "referral", "reaction",
        "order", "errors")) {
      p.putNull(f);
    }
    p.put("replayed", false);
    return p;
  }

  private static void assumeAvailable(boolean available, String reason) {
    if (!available) {
      System.err.println("SKIPPED " + reason);
    }
    assumeTrue(available, reason);
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  private static boolean commandSucceeds(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
