package dev.wabridge.whatsapp;

import dev.wabridge.testing.Fixtures;

import dev.wabridge.whatsapp.WebhookEvent;
import dev.wabridge.whatsapp.WebhookParser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wabridge.support.Json;
import dev.wabridge.testing.Meta;
import dev.wabridge.whatsapp.WebhookEvent.IgnoredChange;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.whatsapp.WebhookEvent.MediaRef;
import dev.wabridge.whatsapp.WebhookEvent.OutOfBandError;
import dev.wabridge.whatsapp.WebhookEvent.StatusUpdate;
import dev.wabridge.whatsapp.WebhookParser.MalformedWebhookException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parser against every real-shaped webhook payload in the reference fixtures (pywa and Bindambc, see
 * whatsapp-cloud-api.md §6.2), plus per-type expectations for the readable {@code text}, and malformed input.
 */
class WebhookParserTest {
  private static final WebhookParser PARSER = new WebhookParser();

  /**
   * Fixture files that are not one JSON document. bindambc/textMessageStatusRead.json ends in a stray "{" after
   * the envelope (so it is upstream, Bindambc/whatsapp-business-java-api @ 80d2ceba). The parser rightly rejects
   * such a body; the envelope before the stray token is walked like the others.
   */
  private static final Set<String> TRAILING_GARBAGE = Set.of("bindambc/textMessageStatusRead.json");

  /**
   * A documentation placeholder two pywa fixtures carry where Meta sends digits (deleted_message.json:revoke,
   * message_status.json:group). The parser refuses a phone_number_id that is not digits, so the loader puts digits
   * in its place.
   */
  private static final String PLACEHOLDER_ID = "\"<BUSINESS_PHONE_NUMBER_ID>\"";

  /** The kinds of event each fixture file may produce. A new fixture file needs an entry here. */
  private static final Map<String, Set<Class<? extends WebhookEvent>>> EXPECTED_KINDS = Map.ofEntries(
      Map.entry("pywa/account_update.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/call_connect.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/call_permission_update.json", Set.of(InboundMessage.class)),
      Map.entry("pywa/call_status.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/call_terminate.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/callback_button.json", Set.of(InboundMessage.class)),
      Map.entry("pywa/callback_selection.json", Set.of(InboundMessage.class)),
      Map.entry("pywa/deleted_message.json", Set.of(InboundMessage.class)),
      Map.entry("pywa/edited_message.json", Set.of(InboundMessage.class)),
      Map.entry("pywa/flow_completion.json", Set.of(InboundMessage.class)),
      Map.entry("pywa/message.json", Set.of(InboundMessage.class, OutOfBandError.class)),
      Map.entry("pywa/message_status.json", Set.of(StatusUpdate.class)),
      Map.entry("pywa/outgoing_message.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/system.json", Set.of(InboundMessage.class)),
      Map.entry("pywa/template_category_update.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/template_components_update.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/template_quality_update.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/template_status_update.json", Set.of(IgnoredChange.class)),
      Map.entry("pywa/user_marketing_preferences.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/accountBanned.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/accountRestricted.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/accountReview.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/audioMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/buttonMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/contactMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/documentMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/imageMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/locationMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/mediaUploadError.json", Set.of(StatusUpdate.class)),
      Map.entry("bindambc/messageDeleted.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/phoneNumberNameUpdate.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/qualityUpdate.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/reEngagementMessageError.json", Set.of(StatusUpdate.class)),
      Map.entry("bindambc/reactMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/rejectedTemplate.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/stickerMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/templateSchedulingForDisabling.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/textMessage.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/textMessage2.json", Set.of(InboundMessage.class)),
      Map.entry("bindambc/textMessageStatusDelivered.json", Set.of(StatusUpdate.class)),
      Map.entry("bindambc/textMessageStatusRead.json", Set.of(StatusUpdate.class)),
      Map.entry("bindambc/textMessageStatusSent.json", Set.of(StatusUpdate.class)),
      Map.entry("bindambc/verifiedAccount.json", Set.of(IgnoredChange.class)),
      Map.entry("bindambc/videoMessage.json", Set.of(InboundMessage.class)));

  /** One webhook envelope from the fixtures: {@code file} relative to the fixtures dir, {@code key} for pywa. */
  record Fixture(String file, String key, byte[] body, JsonNode envelope) {
    String name() {
      return key == null ? file : file + ":" + key;
    }
  }

  // ------------------------------------------------------------------ fixture loading

  static Path fixturesDir() {
    Path dir = Fixtures.webhooks();
    if (!Files.isDirectory(dir.resolve("pywa")) || !Files.isDirectory(dir.resolve("bindambc"))) {
      fail("webhook fixtures not found at " + dir + " (system property wabridge.fixtures="
          + System.getProperty("wabridge.fixtures") + "): the pywa/ and bindambc/ fixtures are part of the parser's "
          + "contract");
    }
    return dir;
  }

  static List<Fixture> allFixtures() {
    Path dir = fixturesDir();
    List<Fixture> out = new ArrayList<>();
    for (Path f : jsonFiles(dir.resolve("pywa"))) {
      String file = "pywa/" + f.getFileName();
      JsonNode named = Json.parse(read(f));
      assertThat(named.isObject()).as("%s must map names to envelopes", file).isTrue();
      for (var e : named.properties()) {
        out.add(pywa(file, e.getKey(), e.getValue()));
      }
    }
    for (Path f : jsonFiles(dir.resolve("bindambc"))) {
      String file = "bindambc/" + f.getFileName();
      byte[] raw = read(f);
      if (TRAILING_GARBAGE.contains(file)) {
        JsonNode first = Json.MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(raw);
        out.add(new Fixture(file, null, Json.bytes(first), first));
      } else {
        out.add(new Fixture(file, null, raw, Json.parse(raw)));
      }
    }
    return out;
  }

  private static List<Path> jsonFiles(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Fixture fixture(String file, String key) {
    Path p = fixturesDir().resolve(file);
    if (key == null) {
      byte[] raw = read(p);
      return new Fixture(file, null, raw, Json.parse(raw));
    }
    JsonNode env = Json.parse(read(p)).get(key);
    assertThat(env).as("fixture %s:%s", file, key).isNotNull();
    return pywa(file, key, env);
  }

  private static Fixture pywa(String file, String key, JsonNode envelope) {
    String text = Json.string(envelope).replace(PLACEHOLDER_ID, "\"109999999999998\"");
    return new Fixture(file, key, text.getBytes(StandardCharsets.UTF_8), Json.parse(text));
  }

  static List<WebhookEvent> parse(String file, String key) {
    return PARSER.parse(fixture(file, key).body());
  }

  static InboundMessage message(String file, String key) {
    List<WebhookEvent> events = parse(file, key);
    assertThat(events).as("%s:%s", file, key).hasSize(1);
    assertThat(events.get(0)).isInstanceOf(InboundMessage.class);
    return (InboundMessage) events.get(0);
  }

  static InboundMessage pywa(String key) {
    return message("pywa/message.json", key);
  }

  static StatusUpdate status(String file, String key) {
    List<WebhookEvent> events = parse(file, key);
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).isInstanceOf(StatusUpdate.class);
    return (StatusUpdate) events.get(0);
  }

  static List<WebhookEvent> parse(String json) {
    return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ every fixture

  @TestFactory
  Stream<DynamicTest> everyFixtureEnvelopeParses() {
    List<Fixture> all = allFixtures();
    assertThat(all).as("fixture envelopes").hasSizeGreaterThan(0);
    return all.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
      try {
        checkEnvelope(f);
      } catch (Throwable t) {
        // surefire's XML names dynamic tests by index; keep the fixture name in the failure
        throw new AssertionError(f.name() + ": " + t, t);
      }
    }));
  }

  @Test
  void bothFixtureFoldersAreWalkedAndEveryFileHasAnExpectation() {
    List<Fixture> all = allFixtures();
    long pywa = all.stream().filter(f -> f.file().startsWith("pywa/")).count();
    long bindambc = all.stream().filter(f -> f.file().startsWith("bindambc/")).count();
    System.out.println("webhook fixture envelopes walked: " + all.size() + " (pywa " + pywa + ", bindambc "
        + bindambc + ")");
    assertThat(pywa).isGreaterThanOrEqualTo(74);
    assertThat(bindambc).isGreaterThanOrEqualTo(25);
    assertThat(all.stream().map(Fixture::file).distinct().toList())
        .as("each fixture file needs an entry in EXPECTED_KINDS")
        .allSatisfy(file -> assertThat(EXPECTED_KINDS).containsKey(file));
    // the keys the per-type tests below rely on (whatsapp-cloud-api.md §6.2)
    JsonNode message = Json.parse(read(fixturesDir().resolve("pywa/message.json")));
    for (String key : List.of("text", "image", "media_with_url", "video", "document", "audio", "voice",
        "static_sticker", "animated_sticker", "reaction", "unreaction_empty", "unreaction_no_emoji",
        "current_location", "chosen_location", "contacts", "order", "unsupported", "unsupported_with_type", "reply",
        "forwarded", "forwarded_many_times", "interactive_message_with_err", "referral")) {
      assertThat(message.has(key)).as("pywa/message.json:%s", key).isTrue();
    }
  }

  @Test
  void theBodyWithAStrayTrailingTokenIsRejectedAsIs() {
    for (String file : TRAILING_GARBAGE) {
      byte[] raw = read(fixturesDir().resolve(file));
      assertThatThrownBy(() -> PARSER.parse(raw))
          .as("%s no longer has trailing content: drop it from TRAILING_GARBAGE", file)
          .isInstanceOf(MalformedWebhookException.class);
    }
  }

  private static void checkEnvelope(Fixture f) {
    List<WebhookEvent> events = PARSER.parse(f.body());
    assertThat(events).as("events of %s", f.name()).isNotEmpty();
    assertThat(describe(events)).as("event sequence of %s", f.name()).isEqualTo(expectedSequence(f.envelope()));

    Set<Class<? extends WebhookEvent>> kinds = EXPECTED_KINDS.get(f.file());
    assertThat(kinds).as("EXPECTED_KINDS entry for new fixture file %s", f.file()).isNotNull();
    for (WebhookEvent e : events) {
      assertThat(kinds).as("kind of %s in %s", e, f.name()).contains(e.getClass());
    }

    List<JsonNode> rawMessages = new ArrayList<>();
    List<JsonNode> rawStatuses = new ArrayList<>();
    for (JsonNode entry : f.envelope().get("entry").values()) {
      for (JsonNode change : entry.get("changes").values()) {
        if ("messages".equals(Json.text(change, "field"))) {
          JsonNode changeErrors = change.get("value").get("errors");
          for (JsonNode m : Json.items(change.get("value"), "messages")) {
            // Errors about the whole change (beside a message Meta could not describe) are the message's too.
            rawMessages.add(changeErrors == null || m.has("errors") ? m
                : ((tools.jackson.databind.node.ObjectNode) m.deepCopy()).set("errors", changeErrors));
          }
          Json.items(change.get("value"), "statuses").forEach(rawStatuses::add);
        }
      }
    }
    List<InboundMessage> messages = ofKind(events, InboundMessage.class);
    List<StatusUpdate> statuses = ofKind(events, StatusUpdate.class);
    assertThat(messages).hasSameSizeAs(rawMessages);
    assertThat(statuses).hasSameSizeAs(rawStatuses);

    for (int i = 0; i < messages.size(); i++) {
      InboundMessage m = messages.get(i);
      JsonNode raw = rawMessages.get(i);
      assertThat(m.wamid()).as("wamid").isNotNull().isEqualTo(Json.text(raw, "id"));
      assertThat(m.from()).as("from").isNotNull();
      assertThat(m.type()).as("type").isIn(WebhookParser.KNOWN_TYPES);
      assertThat(m.timestamp()).as("timestamp")
          .isEqualTo(Instant.ofEpochSecond(Long.parseLong(Json.text(raw, "timestamp"))));
      assertThat(m.phoneNumberId()).as("phoneNumberId").isNotNull();
      assertThat(m.displayPhoneNumber()).as("displayPhoneNumber").isNotNull();
      assertThat(m.text()).as("text").isNotNull();
      assertThat(m.message()).as("the whole message object").isEqualTo(raw);
      assertThat(m.replyToWamid()).as("replyToWamid").isEqualTo(Json.text(Json.obj(raw, "context"), "id"));
      if (Set.of("image", "video", "audio", "document", "sticker").contains(m.type())) {
        MediaRef media = m.media();
        assertThat(media).as("media of %s", m.type()).isNotNull();
        assertThat(media.kind()).isEqualTo(m.type());
        assertThat(media.id()).isNotBlank();
        assertThat(media.mimeType()).isNotBlank();
        assertThat(media.sha256()).isNotBlank();
      } else {
        assertThat(m.media()).as("media of %s", m.type()).isNull();
      }
    }
    for (int i = 0; i < statuses.size(); i++) {
      StatusUpdate s = statuses.get(i);
      JsonNode raw = rawStatuses.get(i);
      assertThat(s.wamid()).isNotNull().isEqualTo(Json.text(raw, "id"));
      assertThat(s.status()).isIn("sent", "delivered", "read", "played", "failed").isEqualTo(Json.text(raw, "status"));
      assertThat(s.timestamp()).isNotNull();
      assertThat(s.phoneNumberId()).isNotNull();
      assertThat(s.recipientId()).isEqualTo(Json.text(raw, "recipient_id"));
      if (s.status().equals("failed")) {
        JsonNode error = raw.get("errors").get(0);
        assertThat(s.errorCode()).isEqualTo(error.get("code").asString());
        assertThat(s.errorMessage()).isNotBlank();
      } else {
        assertThat(s.errorCode()).isNull();
      }
    }
    for (OutOfBandError e : ofKind(events, OutOfBandError.class)) {
      assertThat(e.code()).isNotBlank();
      assertThat(e.message()).isNotBlank();
    }
    for (IgnoredChange c : ofKind(events, IgnoredChange.class)) {
      assertThat(c.field()).isNotBlank();
    }
  }

  /** What the envelope holds, read independently of the parser: one line per event, in order. */
  private static List<String> expectedSequence(JsonNode envelope) {
    List<String> out = new ArrayList<>();
    for (JsonNode entry : envelope.get("entry").values()) {
      for (JsonNode change : Json.items(entry, "changes")) {
        String field = Json.text(change, "field");
        JsonNode value = change.get("value");
        if (!"messages".equals(field)) {
          out.add("ignored " + field);
          continue;
        }
        int before = out.size();
        Json.items(value, "messages").forEach(m -> out.add("message " + Json.text(m, "id")));
        Json.items(value, "statuses").forEach(s -> out.add("status " + Json.text(s, "id") + " " + Json.text(s, "status")));
        Json.items(value, "errors").forEach(e -> out.add("error " + Json.text(e, "code")));
        if (out.size() == before) {
          out.add("ignored messages");
        }
      }
    }
    return out;
  }

  private static List<String> describe(List<WebhookEvent> events) {
    return events.stream().map(e -> switch (e) {
      case InboundMessage m -> "message " + m.wamid();
      case StatusUpdate s -> "status " + s.wamid() + " " + s.status();
      case OutOfBandError x -> "error " + x.code();
      case IgnoredChange c -> "ignored " + c.field();
      case WebhookEvent.IdentityChange c -> "identity " + c.previousUserId();
    }).toList();
  }

  private static <T extends WebhookEvent> List<T> ofKind(List<WebhookEvent> events, Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  // ------------------------------------------------------------------ messages, per type

  @Test
  void text() {
    InboundMessage m = pywa("text");
    assertThat(m.type()).isEqualTo("text");
    assertThat(m.text()).isEqualTo("Body Text");
    assertThat(m.wamid()).isEqualTo("wamid.xyzxyz");
    assertThat(m.from()).isEqualTo("972987654321");
    assertThat(m.customerName()).isEqualTo("Test Name");
    assertThat(m.phoneNumberId()).isEqualTo("1122334455667");
    assertThat(m.displayPhoneNumber()).isEqualTo("972123456789");
    assertThat(m.timestamp()).isEqualTo(Instant.ofEpochSecond(1697043223L));
    assertThat(m.media()).isNull();
    assertThat(m.replyToWamid()).isNull();

    InboundMessage b = message("bindambc/textMessage.json", null);
    assertThat(b.text()).isEqualTo("hi everyone!");
    assertThat(b.customerName()).isEqualTo("Mauricio Binda");
    assertThat(b.phoneNumberId()).isEqualTo("409552778964973");
    assertThat(pywa("referral").text()).isEqualTo("BODY");
    assertThat(pywa("forwarded").text()).isEqualTo("forwarded text");
    assertThat(pywa("forwarded").replyToWamid()).as("forwarded context has no id").isNull();
    assertThat(pywa("forwarded_many_times").text()).isEqualTo("text forwarded many times");
  }

  @Test
  void imageWithoutCaptionHasEmptyTextAndAMediaRef() {
    InboundMessage m = pywa("image");
    assertThat(m.type()).isEqualTo("image");
    assertThat(m.text()).isEmpty();
    assertThat(m.media()).isEqualTo(
        new MediaRef("image", "65463453", "image/jpeg", "4654+8g=", null, null, false, null));
    assertThat(message("bindambc/imageMessage.json", null).media().id()).isEqualTo("8472976218001204");
  }

  @Test
  void mediaUrlIsKeptWhenMetaSendsIt() {
    InboundMessage m = pywa("media_with_url");
    assertThat(m.media().url()).isEqualTo(
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=65463453&source=webhook&ext=487r9re"
            + "&hash=heiwchueowbcew-dnedcw");
    assertThat(m.media().id()).isEqualTo("65463453");
  }

  @Test
  void videoCaptionIsTheText() {
    InboundMessage m = pywa("video");
    assertThat(m.text()).isEqualTo("caption");
    assertThat(m.media().kind()).isEqualTo("video");
    assertThat(m.media().caption()).isEqualTo("caption");
    assertThat(m.media().mimeType()).isEqualTo("video/mp4");
    assertThat(message("bindambc/videoMessage.json", null).text()).isEqualTo("hello world");
  }

  @Test
  void documentCarriesFilenameAndCaption() {
    InboundMessage m = pywa("document");
    assertThat(m.text()).isEqualTo("caption");
    assertThat(m.media()).isEqualTo(new MediaRef("document", "1234567890987654321", "application/pdf",
        "grwfwe/ZPx0wAbdfbdeFUNItPZ0RylL8gGUvdt3YFqc18SY=", "filename.pdf", "caption", false, null));
    InboundMessage b = message("bindambc/documentMessage.json", null);
    assertThat(b.text()).isEmpty();
    assertThat(b.media().filename()).isEqualTo("4_641947.pdf");
  }

  @Test
  void audioAndVoiceNotes() {
    InboundMessage audio = pywa("audio");
    assertThat(audio.type()).isEqualTo("audio");
    assertThat(audio.text()).isEmpty();
    assertThat(audio.media().voice()).isFalse();
    assertThat(audio.media().mimeType()).isEqualTo("audio/ogg; codecs=opus");
    assertThat(pywa("voice").media().voice()).isTrue();
    assertThat(message("bindambc/audioMessage.json", null).media().voice()).isTrue();
  }

  @Test
  void stickers() {
    for (String key : List.of("static_sticker", "animated_sticker")) {
      InboundMessage m = pywa(key);
      assertThat(m.type()).isEqualTo("sticker");
      assertThat(m.text()).isEmpty();
      assertThat(m.media().kind()).isEqualTo("sticker");
      assertThat(m.media().mimeType()).isEqualTo("image/webp");
    }
    assertThat(message("bindambc/stickerMessage.json", null).media().id()).isEqualTo("1604825680670873");
  }

  @Test
  void reactionsGiveTheEmojiAndEmptyWhenRemoved() {
    InboundMessage m = pywa("reaction");
    assertThat(m.type()).isEqualTo("reaction");
    assertThat(m.text()).isEqualTo("\uD83D\uDE2E");
    assertThat(m.message().get("reaction").get("message_id").asString()).isEqualTo("wamid.yzxyzx=");
    assertThat(pywa("unreaction_empty").text()).isEmpty();
    assertThat(pywa("unreaction_no_emoji").text()).isEmpty();
    assertThat(message("bindambc/reactMessage.json", null).text()).isEqualTo("👍");
  }

  @Test
  void locations() {
    assertThat(pywa("current_location").text()).isEqualTo("12.25089, 43.90539");
    assertThat(pywa("chosen_location").text())
        .isEqualTo("Facebook HQ — 1 Hacker Way, Menlo Park, CA 94025 — 37.4611978, -122.2164385");
    assertThat(message("bindambc/locationMessage.json", null).text()).isEqualTo("-10.93941311633, -10.606395436721");
  }

  @Test
  void contactsGiveNamesAndPhones() {
    InboundMessage m = pywa("contacts");
    assertThat(m.type()).isEqualTo("contacts");
    assertThat(m.text()).isEqualTo("Chandler Bing +1 555-555-5555; Monica +1 666-666-6666; Rachel Green +1 777-777-7777");
    assertThat(m.customerName()).as("sender profile, not the shared cards").isEqualTo("Test Name");
    assertThat(message("bindambc/contactMessage.json", null).text()).isEqualTo("Person Ok +55 11 11111-1111");
  }

  @Test
  void order() {
    InboundMessage m = pywa("order");
    assertThat(m.type()).isEqualTo("order");
    assertThat(m.text()).isEqualTo("Order of 3 items");
    assertThat(m.message().get("order").get("product_items")).hasSize(3);
  }

  @Test
  void unsupportedMessagesHaveEmptyText() {
    for (InboundMessage m : List.of(pywa("unsupported"), pywa("unsupported_with_type"),
        message("bindambc/messageDeleted.json", null))) {
      assertThat(m.type()).isEqualTo("unsupported");
      assertThat(m.text()).isEmpty();
      assertThat(m.media()).isNull();
      assertThat(m.message().get("errors").get(0).get("code").asInt()).isEqualTo(131051);
    }
  }

  @Test
  void replyCarriesTheQuotedWamid() {
    InboundMessage m = pywa("reply");
    assertThat(m.text()).isEqualTo("replied text");
    assertThat(m.replyToWamid()).isEqualTo("wamid.xyzxyz==");
  }

  @Test
  void interactiveRepliesGiveTheChosenTitle() {
    InboundMessage button = message("pywa/callback_button.json", "button");
    assertThat(button.type()).isEqualTo("interactive");
    assertThat(button.text()).isEqualTo("title");
    assertThat(button.replyToWamid()).isEqualTo("wamid.xyzxyz");
    assertThat(button.message().get("interactive").get("button_reply").get("id").asString())
        .isEqualTo("callback_data");

    assertThat(message("pywa/callback_selection.json", "callback").text()).isEqualTo("title");
    InboundMessage described = message("pywa/callback_selection.json", "description");
    assertThat(described.text()).isEqualTo("title");
    assertThat(described.type()).isEqualTo("interactive");
  }

  @Test
  void templateQuickReplyGivesTheButtonText() {
    InboundMessage m = message("pywa/callback_button.json", "quick_reply");
    assertThat(m.type()).isEqualTo("button");
    assertThat(m.text()).isEqualTo("title");
    assertThat(m.replyToWamid()).isEqualTo("wamid.xyzxyz==");
    assertThat(message("pywa/callback_button.json", "quick_reply_without_context").replyToWamid()).isNull();
    InboundMessage b = message("bindambc/buttonMessage.json", null);
    assertThat(b.text()).isEqualTo("SIM");
    assertThat(b.replyToWamid()).isEqualTo("wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==");
  }

  @Test
  void flowCompletionAndCallPermissionRepliesDoNotThrow() {
    InboundMessage flow = message("pywa/flow_completion.json", "completion");
    assertThat(flow.type()).isEqualTo("interactive");
    assertThat(flow.text()).isEqualTo("Sent");
    assertThat(flow.message().get("interactive").get("nfm_reply").get("response_json").isString()).isTrue();
    for (String key : List.of("accept", "reject")) {
      InboundMessage m = message("pywa/call_permission_update.json", key);
      assertThat(m.type()).isEqualTo("interactive");
      assertThat(m.text()).isNotNull();
    }
  }

  @Test
  void interactiveWithoutItsObjectDoesNotThrowAndKeepsTheOutOfBandError() {
    List<WebhookEvent> events = parse("pywa/message.json", "interactive_message_with_err");
    assertThat(events).hasSize(2);
    InboundMessage m = (InboundMessage) events.get(0);
    assertThat(m.type()).isEqualTo("interactive");
    assertThat(m.text()).isEmpty();
    assertThat(m.replyToWamid()).isEqualTo("wamid.gvwegfretge==");
    assertThat(events.get(1)).isEqualTo(
        new OutOfBandError("1122334455667", "131000", "Something went wrong", "Unsupported webhook payload"));
    // The change's errors explain the empty message: they travel with it to the agent.
    assertThat(m.message().at("/errors/0/code").asInt()).isEqualTo(131000);
    assertThat(m.message().at("/errors/0/error_data/details").asString()).isEqualTo("Unsupported webhook payload");
  }

  @Test
  void theWritersUserIdAndUsernameComeFromTheContactWhenTheMessageNamesOnlyThePhone() {
    InboundMessage m = pywa("text");
    assertThat(m.from()).isEqualTo("972987654321");
    assertThat(m.fromUserId()).as("contacts[].user_id, not the parent's").isEqualTo("US.13491208655302741918");
    InboundMessage usernameOnly = (InboundMessage) parse(Meta.envelope("1", "\"contacts\":[{\"profile\":{\"name\":"
        + "\"Sheena\",\"username\":\"sheena\"},\"user_id\":\"US.1349\",\"parent_user_id\":\"US.ENT.1181\"}],"
        + "\"messages\":[{\"from_user_id\":\"US.1349\",\"from_parent_user_id\":\"US.ENT.1181\",\"id\":\"w1\","
        + "\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]")).getFirst();
    assertThat(usernameOnly.from()).isNull();
    assertThat(usernameOnly.fromUserId()).isEqualTo("US.1349");
    assertThat(usernameOnly.username()).isEqualTo("sheena");
    assertThat(usernameOnly.customerName()).isEqualTo("Sheena");
  }

  @Test
  void aContactThatNamesAnotherPhoneIsNotTakenForTheWriter() {
    // pywa's edited_message: the only contact names another phone than the message's "from".
    InboundMessage m = message("pywa/edited_message.json", "image");
    assertThat(m.from()).isEqualTo("16505551234");
    assertThat(m.fromUserId()).as("the other phone's user id is not linked to this one").isNull();
    assertThat(m.customerName()).isNull();
  }

  @Test
  void systemMessages() {
    InboundMessage changed = message("pywa/system.json", "phone_number_change");
    assertThat(changed.type()).isEqualTo("system");
    assertThat(changed.text()).isEqualTo("User A changed from 972987654321 to 972912345678");
    assertThat(changed.customerName()).as("system messages have no value.contacts").isNull();
    InboundMessage identity = message("pywa/system.json", "identity_change");
    assertThat(identity.text()).isEqualTo("User identity changed");
    assertThat(identity.customerName()).isEqualTo("User A");
  }

  @Test
  void revokeAndEdit() {
    InboundMessage revoke = message("pywa/deleted_message.json", "revoke");
    assertThat(revoke.type()).isEqualTo("revoke");
    assertThat(revoke.text()).isEmpty();
    assertThat(revoke.message().get("revoke").get("original_message_id").asString())
        .isEqualTo("<ORIGINAL_WHATSAPP_MESSAGE_ID>");

    InboundMessage edit = message("pywa/edited_message.json", "image");
    assertThat(edit.type()).isEqualTo("edit");
    assertThat(edit.text()).as("the edited message's readable text").isEqualTo("Updated image caption");
    assertThat(edit.media()).isNull();
    assertThat(edit.replyToWamid()).isNull();
  }

  @Test
  void customerNameComesFromValueContactsProfile() {
    assertThat(message("pywa/callback_button.json", "quick_reply_without_context").customerName())
        .isEqualTo("Test Name");
    // textMessage2's sender is not the contact listed: no name rather than the wrong one
    assertThat(message("bindambc/textMessage2.json", null).customerName()).isNull();
  }

  @Test
  void bsuidOnlySenderIsKeyedByUserId() {
    ObjectNode env = (ObjectNode) fixture("pywa/callback_button.json", "quick_reply_without_context").envelope()
        .deepCopy();
    ObjectNode value = (ObjectNode) env.get("entry").get(0).get("changes").get(0).get("value");
    ((ObjectNode) value.get("messages").get(0)).remove("from");
    ((ObjectNode) value.get("contacts").get(0)).remove("wa_id");

    InboundMessage m = (InboundMessage) PARSER.parse(Json.bytes(env)).get(0);
    assertThat(m.from()).as("Meta withheld the phone").isNull();
    assertThat(m.fromUserId()).isEqualTo("US.13491208655302741918");
    assertThat(m.customer().key()).isEqualTo("US.13491208655302741918");
    assertThat(m.customerName()).isEqualTo("Test Name");
    assertThat(m.text()).isEqualTo("title");
  }

  @Test
  void nameIsFoundByUserIdWhenContactsCarryOnlyTheUserId() {
    ObjectNode env = (ObjectNode) fixture("pywa/callback_button.json", "quick_reply_without_context").envelope()
        .deepCopy();
    ObjectNode value = (ObjectNode) env.get("entry").get(0).get("changes").get(0).get("value");
    ((ObjectNode) value.get("contacts").get(0)).remove("wa_id");

    InboundMessage m = (InboundMessage) PARSER.parse(Json.bytes(env)).get(0);
    assertThat(m.from()).isEqualTo("972987654321");
    assertThat(m.customerName()).isEqualTo("Test Name");
  }

  // ------------------------------------------------------------------ unknown and odd message types

  @Test
  void unknownMessageTypeBecomesUnsupportedAndKeepsTheRawObject() {
    List<WebhookEvent> events = parse(messagesEnvelope("""
        {"from": "16505551234", "id": "wamid.POLL", "timestamp": "1750000000", "type": "poll_whatever",
         "poll_whatever": {"question": "Lunch?", "options": ["a", "b"]}}"""));
    InboundMessage m = (InboundMessage) events.get(0);
    assertThat(m.type()).isEqualTo("unsupported");
    assertThat(m.text()).isEmpty();
    assertThat(m.media()).isNull();
    assertThat(m.message().get("type").asString()).isEqualTo("poll_whatever");
    assertThat(m.message().get("poll_whatever").get("question").asString()).isEqualTo("Lunch?");
    assertThat(m.wamid()).isEqualTo("wamid.POLL");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"type\": 42", "\"type\": null", "\"type\": {\"x\": 1}", "\"other\": 1",
      "\"type\": \"TEXT\", \"TEXT\": {\"body\": \"hi\"}"})
  void oddOrMissingTypeBecomesUnsupported(String typeField) {
    InboundMessage m = (InboundMessage) parse(messagesEnvelope(
        "{\"from\": \"1\", \"id\": \"wamid.X\", \"timestamp\": \"1\", " + typeField + "}")).get(0);
    assertThat(m.type()).isEqualTo("unsupported");
    assertThat(m.text()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "image", "video", "audio", "document", "sticker", "location", "contacts",
      "interactive", "button", "reaction", "order", "system", "unsupported", "unknown", "request_welcome", "revoke",
      "edit"})
  void knownTypesKeepTheirTypeEvenWithoutTheirObject(String type) {
    InboundMessage m = (InboundMessage) parse(messagesEnvelope(
        "{\"from\": \"1\", \"id\": \"wamid.X\", \"timestamp\": \"1\", \"type\": \"" + type + "\"}")).get(0);
    assertThat(m.type()).isEqualTo(type);
    assertThat(m.text()).isEmpty();
    assertThat(m.media()).isNull();
  }

  @Test
  void wrongShapesInsideAMessageDoNotThrow() {
    List<WebhookEvent> events = parse(messagesEnvelope("""
        {"from": "1", "id": "wamid.A", "timestamp": "soon", "type": "text", "text": "not an object"},
        {"from": "1", "id": "wamid.B", "timestamp": 1700000000, "type": "image", "image": []},
        {"from": "1", "id": "wamid.C", "timestamp": "1", "type": "interactive", "interactive": {"type": "zzz"}},
        {"from": "1", "id": "wamid.D", "timestamp": "1", "type": "contacts", "contacts": {"name": "x"}},
        {"from": "1", "id": "wamid.E", "timestamp": "1", "type": "location", "location": {"latitude": 1}},
        {"from": "1", "id": "wamid.F", "timestamp": "1", "type": "edit", "edit": {"message": {"type": "edit"}}},
        {"from": "1", "id": "wamid.G", "timestamp": "1", "type": "order", "order": {"product_items": [{}]}},
        {"from": "1", "id": "wamid.H", "timestamp": "1", "type": "edit",
         "edit": {"message": {"type": "text", "text": {"body": "fixed typo"}}}}"""));
    assertThat(events).hasSize(8).allSatisfy(e -> assertThat(e).isInstanceOf(InboundMessage.class));
    List<InboundMessage> ms = ofKind(events, InboundMessage.class);
    assertThat(ms.get(0).text()).isEmpty();
    assertThat(ms.get(0).timestamp()).isNull();
    assertThat(ms.get(1).timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000L));
    assertThat(ms.get(1).media()).isNull();
    assertThat(ms.stream().map(InboundMessage::text).toList())
        .containsExactly("", "", "", "", "", "", "Order of 1 item", "fixed typo");
  }

  // ------------------------------------------------------------------ statuses

  @Test
  void statusWords() {
    for (String word : List.of("sent", "delivered", "read", "played")) {
      StatusUpdate s = status("pywa/message_status.json", word);
      assertThat(s.status()).isEqualTo(word);
      assertThat(s.wamid()).isEqualTo("wamid.xyzxyz");
      assertThat(s.recipientId()).isEqualTo("972987654321");
      assertThat(s.phoneNumberId()).isEqualTo("1122334455667");
      assertThat(s.errorCode()).isNull();
      assertThat(s.errorMessage()).isNull();
    }
    assertThat(status("pywa/message_status.json", "with_tracker").status()).isEqualTo("sent");
    StatusUpdate group = status("pywa/message_status.json", "group");
    assertThat(group.status()).isEqualTo("read");
    assertThat(group.recipientId()).isEqualTo("fowefinoewcnw");
    assertThat(status("bindambc/textMessageStatusSent.json", null).status()).isEqualTo("sent");
    StatusUpdate delivered = status("bindambc/textMessageStatusDelivered.json", null);
    assertThat(delivered.status()).isEqualTo("delivered");
    assertThat(delivered.timestamp()).isEqualTo(Instant.ofEpochSecond(1673020317L));
  }

  @Test
  void failedStatusesCarryMetasCodeAndMessage() {
    StatusUpdate experiment = status("pywa/message_status.json", "failed");
    assertThat(experiment.status()).isEqualTo("failed");
    assertThat(experiment.errorCode()).isEqualTo("130472");
    assertThat(experiment.errorMessage())
        .isEqualTo("Failed to send message because this user's phone number is part of an experiment");

    StatusUpdate reengagement = status("bindambc/reEngagementMessageError.json", null);
    assertThat(reengagement.errorCode()).isEqualTo("131047");
    assertThat(reengagement.errorMessage()).startsWith("Message failed to send because more than 24 hours");
    assertThat(reengagement.recipientId()).isEqualTo("5511111111111");

    StatusUpdate upload = status("bindambc/mediaUploadError.json", null);
    assertThat(upload.errorCode()).isEqualTo("131053");
    assertThat(upload.errorMessage())
        .isEqualTo("Unsupported Video mime type text/html. Please use one of video/3gpp, video/mp4.");
  }

  @Test
  void failedStatusWithoutDetailsFallsBackToMessageThenTitle() {
    List<WebhookEvent> events = parse(envelope(change("messages", """
        {"metadata": {"phone_number_id": "100"}, "statuses": [
          {"id": "wamid.1", "status": "failed", "timestamp": "1", "recipient_id": "r",
           "errors": [{"code": 131026, "title": "Message undeliverable", "message": "Receiver is incapable"}]},
          {"id": "wamid.2", "status": "failed", "timestamp": "1", "recipient_id": "r",
           "errors": [{"code": 131000, "title": "Something went wrong"}]},
          {"id": "wamid.3", "status": "failed", "timestamp": "1", "recipient_id": "r"}]}""")));
    assertThat(ofKind(events, StatusUpdate.class)).extracting(StatusUpdate::errorCode, StatusUpdate::errorMessage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("131026", "Receiver is incapable"),
            org.assertj.core.groups.Tuple.tuple("131000", "Something went wrong"),
            org.assertj.core.groups.Tuple.tuple(null, null));
  }

  // ------------------------------------------------------------------ other fields

  @Test
  void accountTemplateCallAndPreferenceChangesAreIgnored() {
    assertThat(parse("pywa/account_update.json", "account_deleted"))
        .containsExactly(new IgnoredChange(null, "account_update"));
    assertThat(parse("bindambc/accountBanned.json", null)).containsExactly(new IgnoredChange(null, "account_update"));
    assertThat(parse("bindambc/accountReview.json", null))
        .containsExactly(new IgnoredChange(null, "account_review_update"));
    assertThat(parse("pywa/template_status_update.json", "approved"))
        .containsExactly(new IgnoredChange(null, "message_template_status_update"));
    assertThat(parse("pywa/user_marketing_preferences.json", "resume")).singleElement()
        .isInstanceOf(IgnoredChange.class).extracting(e -> ((IgnoredChange) e).field()).isEqualTo("user_preferences");
    // call statuses and call errors are not message statuses or message errors
    assertThat(parse("pywa/call_status.json", "call_status")).singleElement().isInstanceOf(IgnoredChange.class);
    assertThat(parse("pywa/call_terminate.json", "call_terminate")).singleElement().isInstanceOf(IgnoredChange.class);
    // our own number's echoes are not customer messages
    assertThat(parse("pywa/outgoing_message.json", "text")).singleElement()
        .isInstanceOf(IgnoredChange.class).extracting(e -> ((IgnoredChange) e).field()).isEqualTo("smb_message_echoes");
  }

  @Test
  void unknownFieldIsIgnored() {
    assertThat(parse(envelope(change("group_lifecycle_update", "{\"metadata\": {\"phone_number_id\": \"100\"}}"))))
        .containsExactly(new IgnoredChange("100", "group_lifecycle_update"));
    assertThat(parse(envelope("{\"value\": {}}"))).containsExactly(new IgnoredChange(null, null));
  }

  @Test
  void messagesChangeWithNothingInItIsIgnored() {
    assertThat(parse(envelope(change("messages", "{\"metadata\": {\"phone_number_id\": \"100\"}}"))))
        .containsExactly(new IgnoredChange("100", "messages"));
    assertThat(parse(envelope("{\"field\": \"messages\"}"))).containsExactly(new IgnoredChange(null, "messages"));
    assertThat(parse(envelope("{\"field\": \"messages\", \"value\": [1]}")))
        .containsExactly(new IgnoredChange(null, "messages"));
  }

  @Test
  void outOfBandErrors() {
    List<WebhookEvent> events = parse(envelope(change("messages", """
        {"metadata": {"phone_number_id": "100"}, "errors": [{"code": 130429, "title": "Rate limit hit",
          "message": "Rate limit hit", "error_data": {"details": "Cloud API message throughput has been reached."}}]}""")));
    assertThat(events).containsExactly(
        new OutOfBandError("100", "130429", "Rate limit hit", "Cloud API message throughput has been reached."));
  }

  // ------------------------------------------------------------------ batches

  @Test
  void mixedPostYieldsEveryEventInOrder() {
    ObjectNode text = (ObjectNode) fixture("pywa/message.json", "text").envelope();
    ObjectNode image = (ObjectNode) fixture("bindambc/imageMessage.json", null).envelope();
    ObjectNode failed = (ObjectNode) fixture("bindambc/mediaUploadError.json", null).envelope();
    ObjectNode read = (ObjectNode) fixture("pywa/message_status.json", "read").envelope();
    ObjectNode banned = (ObjectNode) fixture("bindambc/accountBanned.json", null).envelope();
    ObjectNode withErr = (ObjectNode) fixture("pywa/message.json", "interactive_message_with_err").envelope();

    // entry 1: two changes (a text message, then a read status); entry 2: one change holding a message, a status
    // and an error together, then an account change; entry 3: a bindambc image and a failed status
    ObjectNode mixedValue = ((ObjectNode) withErr.get("entry").get(0).get("changes").get(0).get("value")).deepCopy();
    mixedValue.set("statuses", read.get("entry").get(0).get("changes").get(0).get("value").get("statuses"));
    ObjectNode mixedChange = Json.object();
    mixedChange.put("field", "messages");
    mixedChange.set("value", mixedValue);

    ObjectNode env = Json.object();
    env.put("object", "whatsapp_business_account");
    ArrayNode entries = env.putArray("entry");
    ObjectNode e1 = entries.addObject();
    e1.put("id", "WABA1");
    ArrayNode c1 = e1.putArray("changes");
    c1.add(text.get("entry").get(0).get("changes").get(0));
    c1.add(read.get("entry").get(0).get("changes").get(0));
    ObjectNode e2 = entries.addObject();
    e2.put("id", "WABA2");
    ArrayNode c2 = e2.putArray("changes");
    c2.add(mixedChange);
    c2.add(banned.get("entry").get(0).get("changes").get(0));
    entries.add(image.get("entry").get(0));
    entries.add(failed.get("entry").get(0));

    List<WebhookEvent> events = PARSER.parse(Json.bytes(env));
    assertThat(describe(events)).containsExactly(
        "message wamid.xyzxyz",
        "status wamid.xyzxyz read",
        "message wamid.wegrchytvwcggt=",
        "status wamid.xyzxyz read",
        "error 131000",
        "ignored account_update",
        "message wamid.HBgODE0NDQwANNTTBGRjkUyNzkzNhUCABIYFDNF5NzAzMDkQjBEQ3NjdBA==",
        "status wamid.HBgNNTUyNzk5NzAUZBQTI3MzRGRDA3MjgzMDkzNhUCABEYEjNCR2OQA= failed");
    assertThat(((InboundMessage) events.get(0)).text()).isEqualTo("Body Text");
    assertThat(((InboundMessage) events.get(6)).phoneNumberId()).isEqualTo("409552778964973");
    assertThat(((InboundMessage) events.get(6)).customerName()).isEqualTo("Mauricio Binda");
    assertThat(((StatusUpdate) events.get(7)).errorCode()).isEqualTo("131053");
    assertThat(events.get(5)).isEqualTo(new IgnoredChange(null, "account_update"));
  }

  @Test
  void severalMessagesAndStatusesInOneChangeKeepTheirOrder() {
    StringBuilder messages = new StringBuilder();
    StringBuilder statuses = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      messages.append(i == 0 ? "" : ",").append("{\"from\": \"1\", \"id\": \"wamid.m").append(i)
          .append("\", \"timestamp\": \"").append(1700000000 + i).append("\", \"type\": \"text\", \"text\": {\"body\": \"")
          .append(i).append("\"}}");
      statuses.append(i == 0 ? "" : ",").append("{\"id\": \"wamid.s").append(i)
          .append("\", \"status\": \"delivered\", \"timestamp\": \"1700000000\", \"recipient_id\": \"1\"}");
    }
    List<WebhookEvent> events = parse(envelope(change("messages",
        "{\"metadata\": {\"phone_number_id\": \"100\"}, \"messages\": [" + messages + "], \"statuses\": [" + statuses
            + "]}")));
    assertThat(events).hasSize(2000);
    for (int i = 0; i < 1000; i++) {
      assertEquals("wamid.m" + i, ((InboundMessage) events.get(i)).wamid());
      assertEquals(String.valueOf(i), ((InboundMessage) events.get(i)).text());
      assertEquals("wamid.s" + i, ((StatusUpdate) events.get(1000 + i)).wamid());
    }
  }

  @Test
  void nonObjectItemsAreSkipped() {
    List<WebhookEvent> events = parse(envelope(change("messages", """
        {"metadata": {"phone_number_id": "100"},
         "messages": [null, 1, "x", [], {"from": "1", "id": "wamid.OK", "timestamp": "1", "type": "text",
                                         "text": {"body": "ok"}}],
         "statuses": [null, "x"], "errors": [7]}""")));
    assertThat(describe(events)).containsExactly("message wamid.OK");
    assertThat(parse("{\"entry\": [null, 1, \"x\", [], {\"id\": \"1\"}, {\"changes\": {}}, {\"changes\": [null, 2]}]}"))
        .isEmpty();
  }

  // ------------------------------------------------------------------ malformed bodies

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "not json", "{\"entry\": [", "null", "42", "\"entry\"", "true",
      "[]", "[{\"object\": \"whatsapp_business_account\", \"entry\": []}]",
      "{}", "{\"object\": \"whatsapp_business_account\"}", "{\"object\": \"whatsapp_business_account\", \"entry\": null}",
      "{\"entry\": {}}", "{\"entry\": \"x\"}", "{\"entry\": 1}",
      "{\"entry\": []} {", "{\"entry\": []}{\"entry\": []}"})
  void malformedBodiesAreRejected(String body) {
    assertThatThrownBy(() -> parse(body)).isInstanceOf(MalformedWebhookException.class);
  }

  @Test
  void absurdlyDeepNestingIsRejectedNotAStackOverflow() {
    String deep = "{\"entry\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> parse(deep)).isInstanceOf(MalformedWebhookException.class);
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] body = {'{', '"', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThatThrownBy(() -> PARSER.parse(body)).isInstanceOf(MalformedWebhookException.class);
  }

  @Test
  void emptyEntryGivesNoEvents() {
    assertThat(parse("{\"object\": \"whatsapp_business_account\", \"entry\": []}")).isEmpty();
    assertThat(parse("{\"entry\": [{\"id\": \"WABA\", \"changes\": []}]}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "P", "12a", "1\\n2", " 12", "-1", "12.0"})
  void aPhoneNumberIdThatIsNotDigitsIsRefused(String id) {
    assertThatThrownBy(() -> parse(envelope(change("messages", "{\"metadata\": {\"phone_number_id\": \"" + id
        + "\"}}")))).isInstanceOf(MalformedWebhookException.class).hasMessageContaining("metadata.phone_number_id");
  }

  @Test
  void anEnvelopeSaysWhichNumbersAndAccountsItNames() {
    WebhookParser.Envelope e = PARSER.read(("{\"entry\": [{\"id\": \"555\", \"changes\": ["
        + change("messages", "{\"metadata\": {\"phone_number_id\": \"100\"}}") + ","
        + change("account_update", "{\"event\": \"X\"}") + "]}, {\"id\": \"WABA\", \"changes\": ["
        + change("message_template_status_update", "{\"event\": \"APPROVED\"}") + ","
        + change("messages", "{\"metadata\": {\"phone_number_id\": \"100\"}}") + "]}]}")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(e.phoneNumberIds()).containsExactly("100");
    assertThat(e.accountIds()).containsExactly("555");
    assertThat(e.accountChangesWithoutId()).isEqualTo(1);
    assertThat(e.accountLevel()).isTrue();
    assertThat(PARSER.read(messagesEnvelope("").getBytes(StandardCharsets.UTF_8)).accountLevel()).isFalse();
  }

  @Test
  void atMostAHundredNumbersOrAccountsPerBody() {
    List<String> changes = new ArrayList<>();
    for (int i = 0; i < WebhookParser.MAX_IDS; i++) {
      changes.add(change("messages", "{\"metadata\": {\"phone_number_id\": \"" + (1000 + i) + "\"}}"));
    }
    assertThat(PARSER.read(envelope(changes.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8))
        .phoneNumberIds()).hasSize(WebhookParser.MAX_IDS);
    changes.add(change("messages", "{\"metadata\": {\"phone_number_id\": \"1\"}}"));
    assertThatThrownBy(() -> parse(envelope(changes.toArray(String[]::new))))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("100");
    StringBuilder accounts = new StringBuilder("{\"entry\": [");
    for (int i = 0; i <= WebhookParser.MAX_IDS; i++) {
      accounts.append(i == 0 ? "" : ",").append("{\"id\": \"").append(2000 + i).append("\", \"changes\": [")
          .append(change("account_update", "{}")).append("]}");
    }
    assertThatThrownBy(() -> parse(accounts + "]}")).isInstanceOf(MalformedWebhookException.class)
        .hasMessageContaining("entry[].id");
  }

  // ------------------------------------------------------------------ helpers

  private static String envelope(String... changes) {
    return "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"id\": \"WABA\", \"changes\": ["
        + String.join(",", changes) + "]}]}";
  }

  private static String change(String field, String value) {
    return "{\"field\": \"" + field + "\", \"value\": " + value + "}";
  }

  private static String messagesEnvelope(String messages) {
    return envelope(change("messages", "{\"messaging_product\": \"whatsapp\", \"metadata\": "
        + "{\"display_phone_number\": \"15550000000\", \"phone_number_id\": \"100\"}, \"messages\": [" + messages
        + "]}"));
  }
}
