package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.TestApp;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The simulated Cloud API over real HTTP: Meta's checks, error bodies and response shapes. */
class SimulatedGraphTest {
  static SandboxFixture sandbox;
  static String pnid;

  @BeforeAll
  static void start() {
    sandbox = new SandboxFixture();
    pnid = sandbox.number().phoneNumberId();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static JsonNode rejected(TestApp.Reply r, int status, int code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonNode e = r.json().get("error");
    assertThat(e.get("code").asInt()).isEqualTo(code);
    assertThat(e.get("type").asString()).isEqualTo("OAuthException");
    assertThat(e.get("fbtrace_id").asString()).isNotBlank();
    return e;
  }

  private static String details(TestApp.Reply r) {
    JsonNode e = rejected(r, 400, 100);
    assertThat(e.get("message").asString()).startsWith("(#100) ");
    assertThat(e.get("error_data").get("messaging_product").asString()).isEqualTo("whatsapp");
    return e.get("error_data").get("details").asString();
  }

  @Test
  void theSandboxNumberExistsWithAFakePhoneNumberId() {
    assertThat(sandbox.number().id()).isEqualTo("num_sandbox");
    assertThat(pnid).startsWith("0").matches("\\d+");
    assertThat(sandbox.number().accessToken()).isNotBlank();
    assertThat(sandbox.number().appSecret()).isNotBlank();
    TestApp.Reply numbers = sandbox.app.api("GET", "/api/numbers/num_sandbox", null);
    assertThat(numbers.body()).doesNotContain(sandbox.number().accessToken())
        .doesNotContain(sandbox.number().appSecret());
  }

  @Test
  void aWrongOrMissingTokenIsMetasOAuthError() {
    TestApp.Reply wrong = sandbox.app.request("POST", sandbox.graph(pnid + "/messages"), "{}", "EAAG-not-it",
        "application/json", Map.of());
    JsonNode e = rejected(wrong, 401, 190);
    assertThat(e.get("message").asString()).contains("access token");
    TestApp.Reply none = sandbox.app.request("POST", sandbox.graph(pnid + "/messages"), "{}", null, "application/json",
        Map.of());
    rejected(none, 401, 190);
  }

  @Test
  void sendsAreCheckedAsMetaChecksThem() {
    String to = "\"to\":\"+15550001234\"";
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{" + to + ",\"text\":{\"body\":\"hi\"}}")))
        .contains("messaging_product is required");
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"sms\"," + to + "}")))
        .contains("messaging_product must be one of {WHATSAPP}");
    assertThat(details(sandbox.graphPost(pnid + "/messages",
        "{\"messaging_product\":\"whatsapp\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}")))
        .isEqualTo("The parameter to is required.");
    assertThat(details(sandbox.graphPost(pnid + "/messages",
        "{\"messaging_product\":\"whatsapp\"," + to + ",\"type\":\"fax\"}"))).contains("Param type must be one of");
    assertThat(details(sandbox.graphPost(pnid + "/messages",
        "{\"messaging_product\":\"whatsapp\"," + to
            + ",\"type\":\"image\"}"))).contains("The parameter image is required");
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\"," + to
        + ",\"type\":\"text\",\"text\":{\"body\":\"" + "x".repeat(4097) + "\"}}")))
        .isEqualTo("Param text['body'] must be at most 4096 characters long.");
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\"," + to
        + ",\"type\":\"image\",\"image\":{\"link\":\"https://example.com/a.png\",\"caption\":\"" + "c".repeat(1025)
        + "\"}}"))).isEqualTo("Param image['caption'] must be at most 1024 characters long.");
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\"," + to
        + ",\"type\":\"image\",\"image\":{\"link\":\"https://example.com/a.png\",\"id\":\"123\"}}")))
        .contains("exactly one of id or link");
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\"," + to
        + ",\"type\":\"image\",\"image\":{\"id\":\"1234\"}}"))).contains("not a valid media id");
  }

  @Test
  void interactiveLimitsAreMetas() {
    String four = "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001234\",\"type\":\"interactive\",\"interactive\":"
        + "{\"type\":\"button\",\"body\":{\"text\":\"Pick\"},\"action\":{\"buttons\":[" + button("a") + ","
        + button("b") + "," + button("c") + "," + button("d") + "]}}}";
    assertThat(details(sandbox.graphPost(pnid + "/messages", four)))
        .isEqualTo("Param interactive['action']['buttons'] must contain at most 3 elements.");
    String longTitle = "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001234\",\"type\":\"interactive\","
        + "\"interactive\":{\"type\":\"button\",\"body\":{\"text\":\"Pick\"},\"action\":{\"buttons\":["
        + "{\"type\":\"reply\",\"reply\":{\"id\":\"a\",\"title\":\"" + "t".repeat(21) + "\"}}]}}}";
    assertThat(details(sandbox.graphPost(pnid + "/messages", longTitle)))
        .isEqualTo("Param interactive['action']['buttons'][0]['reply']['title'] must be at most 20 characters "
            + "long.");
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      rows.append(i == 0 ? "" : ",").append("{\"id\":\"r").append(i).append("\",\"title\":\"Row ").append(i)
          .append("\"}");
    }
    String list = "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001234\",\"type\":\"interactive\",\"interactive\":"
        + "{\"type\":\"list\",\"body\":{\"text\":\"Pick\"},\"action\":{\"button\":\"Menu\",\"sections\":[{\"rows\":["
        + rows + "]}]}}}";
    assertThat(details(sandbox.graphPost(pnid + "/messages", list))).contains("at most 10 rows in total");
  }

  private static String button(String id) {
    return "{\"type\":\"reply\",\"reply\":{\"id\":\"" + id + "\",\"title\":\"" + id.toUpperCase() + "\"}}";
  }

  @Test
  void aValidSendAnswersWithMetasShape() {
    TestApp.Reply r = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"recipient_type\":"
        + "\"individual\",\"to\":\"+1 555 000 9999\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("messaging_product").asString()).isEqualTo("whatsapp");
    assertThat(body.get("contacts").get(0).get("input").asString()).isEqualTo("+1 555 000 9999");
    assertThat(body.get("contacts").get(0).get("wa_id").asString()).isEqualTo("15550009999");
    assertThat(body.get("messages").get(0).get("id").asString()).startsWith("wamid.");
  }

  /** Graph's answer for an object the token cannot see: GraphMethodException, code 100, subcode 33, Meta's words. */
  static void unsupported(TestApp.Reply r, String verb, String id) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    JsonNode e = r.json().get("error");
    assertThat(e.get("message").asString()).isEqualTo("Unsupported " + verb + " request. Object with ID '" + id
        + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation. "
        + "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api");
    assertThat(e.get("type").asString()).isEqualTo("GraphMethodException");
    assertThat(e.get("code").asInt()).isEqualTo(100);
    assertThat(e.get("error_subcode").asInt()).isEqualTo(33);
    assertThat(e.get("fbtrace_id").asString()).isNotBlank();
    assertThat(e.has("error_data")).isFalse();
  }

  @Test
  void anUnknownObjectIsGraphMethodExceptionWithSubcode33() {
    unsupported(sandbox.graphPost("106540352242922/messages",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001234\",\"text\":{\"body\":\"hi\"}}"), "post",
        "106540352242922");
    unsupported(sandbox.graphPost("106540352242922/media", "{}"), "post", "106540352242922");
    String token = sandbox.number().accessToken();
    unsupported(sandbox.app.request("GET", sandbox.graph("9123456789012345"), null, token, null, Map.of()), "get",
        "9123456789012345");
    unsupported(sandbox.app.request("DELETE", sandbox.graph("9123456789012345"), null, token, null, Map.of()),
        "delete", "9123456789012345");
    unsupported(sandbox.app.request("GET", "/sandbox/graph/9123456789012345", null, token, null, Map.of()), "get",
        "9123456789012345");
  }

  /** Meta answers its invalid-parameter error (100) for marking an invalid message id read. */
  @Test
  void markReadOfAnUnknownOrOutgoingMessageIsMetasInvalidParameterValue() {
    TestApp.Reply unknown = sandbox.graphPost(pnid + "/messages",
        "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\"wamid.nope\"}");
    JsonNode e = rejected(unknown, 400, 100);
    assertThat(e.get("message").asString()).isEqualTo("(#100) Invalid parameter");
    assertThat(e.get("error_data").get("details").asString()).startsWith("Invalid message_id");
    String outgoing = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
        + "\"15550001234\",\"text\":{\"body\":\"hi\"}}").json().get("messages").get(0).get("id").asString();
    rejected(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"status\":\"read\","
        + "\"message_id\":\"" + outgoing + "\",\"typing_indicator\":{\"type\":\"text\"}}"), 400, 100);
  }

  @Test
  void aTemplateSendIsAcceptedAndOtherSendsCarryNoMessageStatus() {
    JsonNode template = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
        + "\"15550001234\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":"
        + "{\"code\":\"en_US\"}}}").json().get("messages").get(0);
    assertThat(template.get("id").asString()).startsWith("wamid.");
    assertThat(template.get("message_status").asString()).isEqualTo("accepted");
    JsonNode text = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
        + "\"15550001234\",\"text\":{\"body\":\"hi\"}}").json().get("messages").get(0);
    assertThat(text.has("message_status")).isFalse();
  }

  @Test
  void aSendToABsuidAnswersWithItsUserIdAndToWinsOverRecipient() {
    TestApp.Reply bsuid = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\","
        + "\"recipient_type\":\"individual\",\"recipient\":\"US.13491208655302741918\",\"type\":\"text\","
        + "\"text\":{\"body\":\"Your order has shipped.\"}}");
    assertThat(bsuid.status()).as(bsuid.body()).isEqualTo(200);
    JsonNode contact = bsuid.json().get("contacts").get(0);
    assertThat(contact.get("input").asString()).isEqualTo("US.13491208655302741918");
    assertThat(contact.get("user_id").asString()).isEqualTo("US.13491208655302741918");
    assertThat(contact.has("wa_id")).isFalse();
    assertThat(bsuid.json().get("messages").get(0).get("id").asString()).startsWith("wamid.");

    JsonNode both = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
        + "\"+15550001234\",\"recipient\":\"US.13491208655302741918\",\"text\":{\"body\":\"hi\"}}").json()
        .get("contacts").get(0);
    assertThat(both.get("input").asString()).isEqualTo("+15550001234");
    assertThat(both.get("wa_id").asString()).isEqualTo("15550001234");
    assertThat(both.has("user_id")).isFalse();

    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"recipient\":"
        + "\"13491208655302741918\",\"text\":{\"body\":\"hi\"}}"))).startsWith("Param recipient must be a "
        + "business-scoped user ID");
  }

  @Test
  void aGroupTheNumberIsNotInIsMetasGroupUnknown() {
    TestApp.Reply group = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\","
        + "\"recipient_type\":\"group\",\"to\":\"Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD\","
        + "\"type\":\"text\",\"text\":{\"body\":\"hi all\"}}");
    JsonNode e = rejected(group, 400, 131041);
    assertThat(e.get("message").asString()).isEqualTo("(#131041) Group unknown");
  }

  @Test
  void versionlessPathsAreServedAsGraphServesThem() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> up = upload(http, "/sandbox/graph/" + pnid + "/media", "image/png", "photo.png", png(),
        true);
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    String id = dev.wabridge.support.Json.parse(up.body()).get("id").asString();
    TestApp.Reply info = sandbox.app.request("GET", "/sandbox/graph/" + id, null, sandbox.number().accessToken(),
        null, Map.of());
    assertThat(info.status()).as(info.body()).isEqualTo(200);
    assertThat(info.json().get("mime_type").asString()).isEqualTo("image/png");
    TestApp.Reply send = sandbox.app.request("POST", "/sandbox/graph/" + pnid + "/messages",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001234\",\"type\":\"image\",\"image\":{\"id\":\""
            + id + "\"}}", sandbox.number().accessToken(), "application/json", Map.of());
    assertThat(send.status()).as(send.body()).isEqualTo(200);
    TestApp.Reply number = sandbox.app.request("GET", "/sandbox/graph/" + pnid, null, sandbox.number().accessToken(),
        null, Map.of());
    assertThat(number.json().get("id").asString()).isEqualTo(pnid);
  }

  @Test
  void deletedMediaIsGone() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String id = dev.wabridge.support.Json.parse(upload(http, sandbox.graph(pnid + "/media"), "image/png", "photo.png", png(),
        true).body()).get("id").asString();
    String token = sandbox.number().accessToken();
    TestApp.Reply deleted = sandbox.app.request("DELETE", sandbox.graph(id), null, token, null, Map.of());
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.json().get("success").asBoolean()).isTrue();
    unsupported(sandbox.app.request("GET", sandbox.graph(id), null, token, null, Map.of()), "get", id);
    unsupported(sandbox.app.request("DELETE", sandbox.graph(id), null, token, null, Map.of()), "delete", id);
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
        + "\"15550001234\",\"type\":\"image\",\"image\":{\"id\":\"" + id + "\"}}")))
        .contains("not a valid media id");
    HttpResponse<String> lookaside = http.send(HttpRequest.newBuilder(URI.create(sandbox.app.url()
        + "/sandbox/graph/lookaside/" + id)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(lookaside.statusCode()).isEqualTo(404);
  }

  /** Graph takes parameters from the query string too: whatsapp-api-js uploads with ?messaging_product=whatsapp. */
  @Test
  void parametersAndTheTokenMayComeInTheQueryString() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> up = upload(http, sandbox.graph(pnid + "/media") + "?messaging_product=whatsapp",
        "image/png", "photo.png", png(), false);
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    HttpResponse<String> without = upload(http, sandbox.graph(pnid + "/media"), "image/png", "photo.png", png(),
        false);
    assertThat(without.statusCode()).isEqualTo(400);
    assertThat(without.body()).contains("messaging_product");

    String token = java.net.URLEncoder.encode(sandbox.number().accessToken(), StandardCharsets.UTF_8);
    TestApp.Reply send = sandbox.app.request("POST", sandbox.graph(pnid + "/messages") + "?messaging_product=whatsapp"
        + "&access_token=" + token, "{\"to\":\"15550001234\",\"text\":{\"body\":\"hi\"}}", null,
        "application/json", Map.of());
    assertThat(send.status()).as(send.body()).isEqualTo(200);
    String text = java.net.URLEncoder.encode("{\"body\":\"hi\"}", StandardCharsets.UTF_8);
    TestApp.Reply form = sandbox.app.request("POST", sandbox.graph(pnid + "/messages"), "messaging_product=whatsapp"
        + "&to=15550001234&type=text&text=" + text, sandbox.number().accessToken(),
        "application/x-www-form-urlencoded", Map.of());
    assertThat(form.status()).as(form.body()).isEqualTo(200);
  }

  /** whatsapp-api-js sends contacts as JSON text, which Graph decodes; a string that is a string stays one. */
  @Test
  void anObjectParameterMayArriveAsJsonText() {
    TestApp.Reply contacts = sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
        + "\"15550001234\",\"type\":\"contacts\",\"contacts\":\"[{\\\"name\\\":{\\\"formatted_name\\\":"
        + "\\\"Ann\\\"}}]\",\"biz_opaque_callback_data\":\"{\\\"order\\\":1}\"}");
    assertThat(contacts.status()).as(contacts.body()).isEqualTo(200);
    assertThat(details(sandbox.graphPost(pnid + "/messages", "{\"messaging_product\":\"whatsapp\",\"to\":"
        + "\"15550001234\",\"type\":\"text\",\"text\":\"hello\"}"))).isEqualTo("Param text must be an object.");
  }

  @Test
  void newerInteractiveTypesAreTakenWithMetasLimits() {
    String head = "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001234\",\"type\":\"interactive\","
        + "\"interactive\":";
    assertThat(sandbox.graphPost(pnid + "/messages", head + "{\"type\":\"location_request_message\",\"body\":"
        + "{\"text\":\"Where?\"},\"action\":{\"name\":\"send_location\"}}}").status()).isEqualTo(200);
    assertThat(sandbox.graphPost(pnid + "/messages", head + "{\"type\":\"flow\",\"body\":{\"text\":\"Book\"},"
        + "\"action\":{\"name\":\"flow\",\"parameters\":{\"flow_message_version\":\"3\",\"flow_id\":\"123\","
        + "\"flow_cta\":\"Book now\"}}}}").status()).isEqualTo(200);
    assertThat(details(sandbox.graphPost(pnid + "/messages", head + "{\"type\":\"flow\",\"body\":{\"text\":"
        + "\"Book\"},\"action\":{\"name\":\"flow\",\"parameters\":{\"flow_message_version\":\"3\","
        + "\"flow_id\":\"123\",\"flow_cta\":\"" + "c".repeat(31) + "\"}}}}")))
        .isEqualTo("Param interactive['action']['parameters']['flow_cta'] must be at most 30 characters long.");
    assertThat(details(sandbox.graphPost(pnid + "/messages", head + "{\"type\":\"carousel\",\"body\":{\"text\":"
        + "\"Pick\"},\"action\":{\"cards\":[]}}}"))).contains("2 to 10");
    assertThat(details(sandbox.graphPost(pnid + "/messages", head + "{\"type\":\"poll\",\"body\":{\"text\":"
        + "\"?\"},\"action\":{}}}"))).startsWith("Param interactive['type'] must be one of");
  }

  static byte[] png() throws java.io.IOException {
    return SimulatedGraphTest.class.getClassLoader().getResourceAsStream("public/sandbox/demo/photo.png")
        .readAllBytes();
  }

  private static HttpResponse<String> upload(HttpClient http, String mime, String filename, byte[] bytes)
      throws Exception {
    return upload(http, sandbox.graph(pnid + "/media"), mime, filename, bytes, true);
  }

  /** A multipart upload as Meta takes it; {@code product}: with the messaging_product form field. */
  static HttpResponse<String> upload(HttpClient http, String path, String mime, String filename, byte[] bytes,
                                     boolean product) throws Exception {
    return upload(http, sandbox.app.url(), path, sandbox.number().accessToken(), mime, filename, bytes, product);
  }

  static HttpResponse<String> upload(HttpClient http, String base, String path, String token, String mime,
                                     String filename, byte[] bytes, boolean product) throws Exception {
    String boundary = "----sandbox" + System.nanoTime();
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    if (product) {
      form.writeBytes(("--" + boundary
          + "\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n" + mime + "\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
        + "Content-Type: " + mime + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    form.writeBytes(bytes);
    form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Meta takes videos up to 16 MB: the server's 3 MB cap on request bodies is for Meta's webhooks, not uploads. */
  @Test
  void aVideoUpTo16MbIsTakenAndALargerOneIsMetasError() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    byte[] video = new byte[10 << 20];
    byte[] ftyp = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'};
    System.arraycopy(ftyp, 0, video, 0, ftyp.length);
    HttpResponse<String> up = upload(http, "video/mp4", "clip.mp4", video);
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    String id = dev.wabridge.support.Json.parse(up.body()).get("id").asString();
    TestApp.Reply info = sandbox.app.request("GET", sandbox.graph(id), null, sandbox.number().accessToken(), null,
        Map.of());
    assertThat(info.json().get("file_size").asLong()).isEqualTo(video.length);

    HttpResponse<String> tooBig = upload(http, "video/mp4", "long.mp4", new byte[(16 << 20) + 1]);
    assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(400);
    assertThat(tooBig.body()).contains("131053").contains("at most 16 MB");
  }

  @Test
  void mediaIsUploadedLookedUpAndDownloadedWithTheToken() throws Exception {
    byte[] png = SimulatedGraphTest.class.getClassLoader().getResourceAsStream("public/sandbox/demo/photo.png")
        .readAllBytes();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> up = upload(http, "image/png", "photo.png", png);
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    String id = dev.wabridge.support.Json.parse(up.body()).get("id").asString();
    assertThat(id).matches("\\d{16}");

    TestApp.Reply info = sandbox.app.request("GET", sandbox.graph(id), null, sandbox.number().accessToken(), null,
        Map.of());
    assertThat(info.status()).as(info.body()).isEqualTo(200);
    JsonNode m = info.json();
    assertThat(m.get("messaging_product").asString()).isEqualTo("whatsapp");
    assertThat(m.get("mime_type").asString()).isEqualTo("image/png");
    assertThat(m.get("file_size").asLong()).isEqualTo(png.length);
    assertThat(m.get("sha256").asString()).isEqualTo(SimulatedMedia.sha256Hex(png));
    assertThat(m.get("id").asString()).isEqualTo(id);
    String url = m.get("url").asString();
    assertThat(url).isEqualTo(sandbox.app.url() + "/sandbox/graph/lookaside/" + id);

    HttpResponse<byte[]> anonymous = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<byte[]> bytes = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + sandbox.number().accessToken()).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bytes.statusCode()).isEqualTo(200);
    assertThat(bytes.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(bytes.body()).isEqualTo(png);

    TestApp.Reply byId = sandbox.graphPost(pnid + "/messages",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"15550001234\","
        + "\"type\":\"image\",\"image\":{\"id\":\"" + id + "\",\"caption\":\"uploaded\"}}");
    assertThat(byId.status()).as(byId.body()).isEqualTo(200);
  }
}
