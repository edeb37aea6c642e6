package dev.wabridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Media both ways over real sockets: a customer's image is fetched from (fake) Meta at once, re-hosted and
 * handed to the agent as a signed link that serves the same bytes and expires; an agent's image URL is fetched,
 * checked by content, uploaded once and sent by media id.
 */
class MediaRoundTripTest {
  static final String PNID = "5566778899";
  static final String SECRET = "media-secret";
  static final byte[] PNG = pngBytes();
  static final Duration WAIT = Duration.ofSeconds(20);

  final MutableClock clock = new MutableClock(Instant.now());
  final AtomicInteger uploads = new AtomicInteger();
  final AtomicReference<Response> agentReply = new AtomicReference<>(new Response(204, null, null));
  FakeServer graph;
  FakeServer agent;
  FakeServer cdn;
  TestApp app;

  static byte[] pngBytes() {
    byte[] b = new byte[300];
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(sig, 0, b, 0, sig.length);
    for (int i = sig.length; i < b.length; i++) {
      b[i] = (byte) (i * 7);
    }
    return b;
  }

  @BeforeEach
  void start() {
    graph = new FakeServer(this::graph);
    agent = new FakeServer(r -> agentReply.get());
    cdn = new FakeServer(r -> switch (r.path()) {
      case "/cat.png" -> new Response(200, "application/octet-stream", PNG);
      case "/fake.png" -> new Response(200, "image/png", "<html>not found</html>".getBytes());
      default -> new Response(404, "text/plain", "no".getBytes());
    });
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of()));
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"media-token\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
    String agentId = app.api("POST", "/api/agents", "{\"name\":\"M\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + numberId + "\"}").json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);
  }

  private Response graph(Request r) {
    if (r.method().equals("GET") && r.path().endsWith("/v23.0/MEDIA1")) {
      return Response.json(200, "{\"messaging_product\":\"whatsapp\",\"url\":\"" + graph.url() + "/lookaside/MEDIA1\","
          + "\"mime_type\":\"image/png\",\"sha256\":\"x\",\"file_size\":\"" + PNG.length + "\",\"id\":\"MEDIA1\"}");
    }
    if (r.method().equals("GET") && r.path().equals("/lookaside/MEDIA1")) {
      return "Bearer media-token".equals(r.header("Authorization")) ? new Response(200, "image/png", PNG)
          : Response.json(401, "{\"error\":{\"code\":190,\"message\":\"token\"}}");
    }
    if (r.method().equals("GET")) {
      return Response.json(404, "{\"error\":{\"code\":100,\"message\":\"Unsupported get request\"}}");
    }
    if (r.path().endsWith("/media")) {
      return Response.json(200, "{\"id\":\"UPLOADED" + uploads.incrementAndGet() + "\"}");
    }
    return Response.json(200, "{\"messages\":[{\"id\":\"wamid.M" + System.nanoTime() + "\"}]}");
  }

  @AfterEach
  void stop() {
    app.close();
    graph.close();
    agent.close();
    cdn.close();
  }

  private String image(String wamid, String mediaId) {
    return Meta.envelope(PNID, "\"contacts\":[{\"profile\":{\"name\":\"Ann\"},\"wa_id\":\"15550200\"}],"
        + "\"messages\":[{\"from\":\"15550200\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + clock.millis() / 1000
        + "\",\"type\":\"image\",\"image\":{\"caption\":\"my cat\",\"mime_type\":\"image/png\",\"sha256\":\"x\","
        + "\"id\":\"" + mediaId + "\"}}]");
  }

  private static HttpResponse<byte[]> get(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void customersImageReachesTheAgentAsASignedExpiringLinkWithTheSameBytes() {
    assertThat(app.webhook(image("wamid.IMG1", "MEDIA1"), SECRET).status()).isEqualTo(200);
    Await.until("the agent is called", WAIT, () -> agent.requests().size() == 1);
    JsonNode payload = Json.parse(agent.requests().getFirst().body());
    assertThat(payload.get("message").asString()).isEqualTo("my cat");
    assertThat(payload.get("type").asString()).isEqualTo("image");
    String url = payload.get("image").asString();
    assertThat(url).startsWith(app.url() + "/media/med_");
    JsonNode media = payload.get("media");
    assertThat(media.get("url").asString()).isEqualTo(url);
    assertThat(media.get("mime_type").asString()).isEqualTo("image/png");
    assertThat(media.get("size").asLong()).isEqualTo(PNG.length);
    assertThat(media.get("caption").asString()).isEqualTo("my cat");

    HttpResponse<byte[]> served = get(url);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(served.body()).isEqualTo(PNG);
    assertThat(get(url.replace("sig=", "sig=x")).statusCode()).isEqualTo(403);

    clock.advance(Duration.ofHours(25));
    assertThat(get(url).statusCode()).isEqualTo(410);
  }

  @Test
  void mediaIsFetchedAtOnceEvenWhenNoAgentCallFollows() {
    app.webhook(Meta.text(PNID, "15550200", "Ann", "wamid.FIRST", clock.millis() / 1000, "hi"), SECRET);
    Await.until("the agent is called", WAIT, () -> agent.requests().size() == 1);
    String conv = app.api("GET", "/api/conversations", null).json().get("data").get(0).get("id").asString();
    app.api("POST", "/api/conversations/" + conv + "/handoff", null);
    app.webhook(image("wamid.IMG3", "MEDIA1"), SECRET);
    JsonNode media = Await.value("the image is re-hosted", WAIT, () -> {
      JsonNode d = app.api("GET", "/api/conversations/" + conv + "/messages", null).json().get("data");
      JsonNode last = d.get(d.size() - 1);
      return "image".equals(last.get("type").asString()) && last.get("media").isObject()
          && last.get("media").get("url").isString() ? last.get("media") : null;
    });
    assertThat(get(media.get("url").asString()).body()).isEqualTo(PNG);
    assertThat(agent.requests()).hasSize(1);
  }

  @Test
  void aFailedDownloadStillCallsTheAgentWithTheReason() {
    app.webhook(image("wamid.IMG2", "GONE"), SECRET);
    Await.until("the agent is called", WAIT, () -> agent.requests().size() == 1);
    JsonNode payload = Json.parse(agent.requests().getFirst().body());
    assertThat(payload.get("image").isNull()).isTrue();
    assertThat(payload.get("media").get("url").isNull()).isTrue();
    assertThat(payload.get("media").get("error").asString()).contains("could not download");
    long tries = graph.requests().stream().filter(r -> r.path().endsWith("/GONE")).count();
    assertThat(tries).isEqualTo(3);
  }

  @Test
  void agentsImageIsFetchedCheckedUploadedOnceAndSentById() {
    agentReply.set(Response.json(200, "{\"messages\":[{\"type\":\"image\",\"url\":\"" + cdn.url() + "/cat.png\","
        + "\"caption\":\"here\"},{\"type\":\"image\",\"url\":\"" + cdn.url() + "/cat.png\"},"
        + "{\"type\":\"image\",\"url\":\"" + cdn.url() + "/fake.png\"},{\"type\":\"message\",\"content\":\"done\"}]}"));
    app.webhook(Meta.text(PNID, "15550300", "Bo", "wamid.T1", clock.millis() / 1000, "send a cat"), SECRET);
    Await.until("two images and the text are sent", WAIT, () -> sends().size() == 3);
    List<JsonNode> sent = sends().stream().map(r -> Json.parse(r.body())).toList();
    assertThat(sent.get(0).get("image").get("id").asString()).isEqualTo("UPLOADED1");
    assertThat(sent.get(0).get("image").get("caption").asString()).isEqualTo("here");
    assertThat(sent.get(0).get("image").has("link")).isFalse();
    assertThat(sent.get(1).get("image").get("id").asString()).isEqualTo("UPLOADED1");
    assertThat(sent.get(2).get("text").get("body").asString()).isEqualTo("done");
    assertThat(uploads.get()).isEqualTo(1);
    Request upload = graph.requests().stream().filter(r -> r.path().endsWith("/media")).findFirst().orElseThrow();
    assertThat(upload.header("Content-Type")).startsWith("multipart/form-data");
    assertThat(upload.bodyText()).contains("name=\"messaging_product\"").contains("image/png");

    String conv = app.api("GET", "/api/conversations", null).json().get("data").get(0).get("id").asString();
    JsonNode history = Await.value("the fake image fails", WAIT, () -> {
      JsonNode d = app.api("GET", "/api/conversations/" + conv + "/messages", null).json().get("data");
      return d.size() == 5 && "failed".equals(d.get(3).get("status").asString()) ? d : null;
    });
    assertThat(history.get(3).get("error").get("code").asString()).isEqualTo("media_type_mismatch");
    assertThat(history.get(3).get("error").get("message").asString()).startsWith("url:");
  }

  private List<Request> sends() {
    return graph.requests().stream().filter(r -> r.path().endsWith("/messages") && r.bodyText().contains("\"to\""))
        .toList();
  }
}
