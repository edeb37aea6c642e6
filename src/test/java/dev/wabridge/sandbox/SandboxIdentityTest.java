package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.config.Tuning;
import dev.wabridge.support.Json;
import dev.wabridge.config.SecretBox;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.sandbox.PhoneSimulator.Profile;
import dev.wabridge.sandbox.PhoneSimulator.Sender;
import dev.wabridge.db.Database;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated customers' identity as Meta shows it since BSUIDs (Meta's business-scoped user id
 * documentation): the webhooks the sandbox emits, caught by a fake wabridge, carry {@code from_user_id} and
 * {@code contacts[].user_id}, a username when set, no number when it is withheld; statuses carry
 * {@code recipient_user_id}; sends reach a customer by BSUID.
 */
class SandboxIdentityTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String WS = "ws_identity";
  FakeServer wabridge;
  Database db;
  ExecutorService executor;
  PhoneStore phones;
  SimulatedMedia media;
  PhoneSimulator simulator;
  CustomerIds ids;

  @BeforeEach
  void start() throws Exception {
    wabridge = new FakeServer(r -> FakeServer.Response.json(200, "{}"));
    db = Database.sqlite(Files.createTempDirectory("sandbox-identity").resolve("t.db"), Tuning.DEFAULTS.storage());
    executor = Executors.newVirtualThreadPerTaskExecutor();
    BusinessNumber number = new BusinessNumber("num_sandbox", "default", SandboxNumber.PHONE_NUMBER_ID,
        SandboxNumber.DISPLAY, SandboxNumber.WABA_ID, "token", "secret", 80, 0, 0);
    WebhookEmitter webhooks = new WebhookEmitter(wabridge.url() + "/webhooks/whatsapp", () -> number,
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build(), executor);
    phones = new PhoneStore(db);
    media = new SimulatedMedia(db, InstantSource.system(), null);
    ids = new CustomerIds(SecretBox.of(new byte[32]));
    simulator = new PhoneSimulator(phones, media, webhooks, InstantSource.system(), executor, "15550100000", ids);
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
    db.close();
    wabridge.close();
  }

  /** Every {@code value} the sandbox has posted so far. */
  List<JsonNode> values() {
    List<JsonNode> out = new ArrayList<>();
    for (FakeServer.Request r : wabridge.requests()) {
      out.add(Json.parse(r.body()).get("entry").get(0).get("changes").get(0).get("value"));
    }
    return out;
  }

  JsonNode customerMessage(String wamid) {
    return Await.value("the webhook of " + wamid, WAIT, () -> values().stream()
        .filter(v -> v.has("messages") && v.get("messages").get(0).get("id").asString().equals(wamid))
        .findFirst().orElse(null));
  }

  JsonNode status(String wamid, String status) {
    return Await.value(status + " of " + wamid, WAIT, () -> values().stream().filter(v -> v.has("statuses"))
        .flatMap(v -> v.get("statuses").valueStream())
        .filter(s -> s.get("id").asString().equals(wamid) && s.get("status").asString().equals(status))
        .findFirst().orElse(null));
  }

  String writes(String phone, Profile profile, String text) {
    ObjectNode typed = Json.object();
    typed.put("type", "text");
    typed.putObject("text").put("body", text);
    return simulator.customerWrites(WS, "agt_1", phone, "Sheena Nelson", profile, typed, text);
  }

  String sends(String json) {
    GraphRequest.Send send = (GraphRequest.Send) GraphRequest.parse(Json.parse(json));
    return simulator.businessSends(send, Optional.of(new Sender(WS, null)));
  }

  @Test
  void aCustomersMessageCarriesTheirBsuid() {
    JsonNode value = customerMessage(writes("+15550101234", new Profile(null, false), "hello"));
    JsonNode contact = value.get("contacts").get(0);
    String userId = contact.get("user_id").asString();
    assertThat(userId).matches("US\\.[1-9]\\d{19}");
    assertThat(contact.get("wa_id").asString()).isEqualTo("15550101234");
    assertThat(contact.get("profile").get("name").asString()).isEqualTo("Sheena Nelson");
    assertThat(contact.get("profile").has("username")).isFalse();
    JsonNode message = value.get("messages").get(0);
    assertThat(message.get("from").asString()).isEqualTo("15550101234");
    assertThat(message.get("from_user_id").asString()).isEqualTo(userId);

    assertThat(customerMessage(writes("+15550101234", new Profile(null, false), "again")).get("contacts").get(0)
        .get("user_id").asString()).as("stable for the customer").isEqualTo(userId);
    assertThat(ids.userId("ws_other", "+15550101234")).as("another workspace, another BSUID").isNotEqualTo(userId)
        .startsWith("US.");
    assertThat(ids.userId(WS, "+447700900123")).startsWith("GB.");
    assertThat(ids.userId(WS, "+5511999990000")).startsWith("BR.");
    assertThat(ids.userId(WS, "+999123456")).as("an unknown calling code").startsWith("US.");
  }

  /** Meta's example of a username user whose number is not shareable: no wa_id, no from (section 1.5). */
  @Test
  void aCustomerWithAUsernameWhoWithholdsTheNumberArrivesByBsuidAlone() {
    JsonNode value = customerMessage(writes("+15550102222", new Profile("realsheenanelson", true),
        "Does it come in another color?"));
    JsonNode contact = value.get("contacts").get(0);
    assertThat(Set.copyOf(contact.propertyNames())).containsExactlyInAnyOrder("profile", "user_id");
    assertThat(contact.get("profile").get("username").asString()).isEqualTo("realsheenanelson");
    assertThat(contact.get("profile").get("name").asString()).isEqualTo("Sheena Nelson");
    JsonNode message = value.get("messages").get(0);
    assertThat(Set.copyOf(message.propertyNames()))
        .containsExactlyInAnyOrder("from_user_id", "id", "timestamp", "type", "text");
    assertThat(message.get("from_user_id").asString()).isEqualTo(contact.get("user_id").asString());
  }

  @Test
  void statusesNameTheBsuidAndASendByBsuidReachesTheCustomer() {
    writes("+15550103333", new Profile("kerry", true), "hi");
    String userId = phones.phone(WS, "+15550103333").orElseThrow().userId();

    String byPhone = sends("{\"messaging_product\":\"whatsapp\",\"to\":\"15550103333\",\"text\":{\"body\":\"one\"}}");
    JsonNode sent = status(byPhone, "sent");
    assertThat(sent.get("recipient_id").asString()).isEqualTo("15550103333");
    assertThat(sent.get("recipient_user_id").asString()).isEqualTo(userId);

    String byBsuid = sends("{\"messaging_product\":\"whatsapp\",\"recipient\":\"" + userId + "\",\"text\":"
        + "{\"body\":\"two\"}}");
    JsonNode delivered = status(byBsuid, "delivered");
    assertThat(delivered.get("recipient_user_id").asString()).isEqualTo(userId);
    assertThat(delivered.has("recipient_id")).as("the number is withheld").isFalse();
    assertThat(phones.chat(WS, "+15550103333", "agt_1", 10)).extracting(PhoneStore.Bubble::text)
        .containsExactly("hi", "one", "two");

    String nobody = sends("{\"messaging_product\":\"whatsapp\",\"to\":\"15550109999\",\"text\":{\"body\":\"?\"}}");
    JsonNode failed = status(nobody, "failed");
    assertThat(failed.get("recipient_id").asString()).isEqualTo("15550109999");
    assertThat(failed.has("recipient_user_id")).as("a failed send to a number names no BSUID").isFalse();
    assertThat(failed.get("errors").get(0).get("code").asInt()).isEqualTo(131026);
    String unknownBsuid = sends("{\"messaging_product\":\"whatsapp\",\"recipient\":\"US.10000000000000000001\","
        + "\"text\":{\"body\":\"?\"}}");
    assertThat(status(unknownBsuid, "failed").get("recipient_user_id").asString())
        .isEqualTo("US.10000000000000000001");
  }

  /** Meta's stickers are WebP; anything else fails the send with 131053, as Meta's status does. */
  @Test
  void aStickerSentByIdMustBeWebp() throws Exception {
    writes("+15550104444", new Profile(null, false), "hi");
    byte[] png = SimulatedGraphTest.png();
    String pngId = media.put(png, "image/png", "photo.png", WS).id();
    String notWebp = sends("{\"messaging_product\":\"whatsapp\",\"to\":\"15550104444\",\"type\":\"sticker\","
        + "\"sticker\":{\"id\":\"" + pngId + "\"}}");
    JsonNode error = status(notWebp, "failed").get("errors").get(0);
    assertThat(error.get("code").asInt()).isEqualTo(131053);
    assertThat(error.get("error_data").get("details").asString()).contains("image/png").contains("image/webp");

    String webpId = media.put(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}, "image/webp",
        "s.webp", WS).id();
    String webp = sends("{\"messaging_product\":\"whatsapp\",\"to\":\"15550104444\",\"type\":\"sticker\","
        + "\"sticker\":{\"id\":\"" + webpId + "\"}}");
    status(webp, "sent");
    String otherWorkspace = media.put(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}, "image/webp",
        "s.webp", "ws_other").id();
    String foreign = sends("{\"messaging_product\":\"whatsapp\",\"to\":\"15550104444\",\"type\":\"sticker\","
        + "\"sticker\":{\"id\":\"" + otherWorkspace + "\"}}");
    assertThat(status(foreign, "failed").get("errors").get(0).get("code").asInt()).isEqualTo(131053);
  }
}
