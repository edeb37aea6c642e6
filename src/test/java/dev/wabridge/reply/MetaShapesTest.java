package dev.wabridge.reply;

import static dev.wabridge.reply.MetaExamples.example;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.HttpUrls;
import dev.wabridge.support.Json;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's own message objects as an agent's reply (issue 12): every example of Meta's OpenAPI file, and the reference's
 * examples of the interactive types it has none for, is accepted and sent byte for byte as given apart from the
 * envelope; Meta's rules are checked, each broken one named by its field's path.
 */
class MetaShapesTest {
  private static final ReplyParser PARSER = new ReplyParser();
  /** What GraphClient sets; an agent's values for these are dropped. */
  private static final Set<String> ENVELOPE = Set.of("messaging_product", "recipient_type", "to");
  /** Meta's examples that are not valid requests, and the field each is refused at. */
  private static final Map<String, String> INVALID_EXAMPLES = Map.of(
      // the Postman source's "Yes"/"No" came through as booleans; a text parameter's text is a string
      "Send Sample Issue Resolution Template", "template.components[1].parameters[0].text",
      // a placeholder where the header's type goes
      "Send Multi-Product Message", "interactive.header.type",
      // a mark-as-read request: wabridge marks messages read itself
      "Send typing indicator and read receipt", "type");

  // ---------------------------------------------------------------------------------------------------------------
  // 1. Meta's examples
  // ---------------------------------------------------------------------------------------------------------------

  static Stream<String> validExamples() {
    return MetaExamples.names().stream().filter(n -> !INVALID_EXAMPLES.containsKey(n));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validExamples")
  void metasExampleIsSentAsGivenApartFromTheEnvelope(String name) {
    ObjectNode body = withRealLinks(example(name));
    Outgoing o = one(body);
    ObjectNode expected = body.deepCopy();
    ENVELOPE.forEach(expected::remove);
    if (!expected.has("type")) {
      // Meta's "with Preview URL" and "Reply to List" examples leave the type out; it is the one object they hold
      expected.put("type", expected.has("text") ? "text" : "interactive");
    }
    assertThat(Json.string(o.message())).isEqualTo(Json.string(expected));
    // the same message without the envelope, as an agent that only copied the message part sends it
    assertThat(Json.string(one(expected.deepCopy()).message())).isEqualTo(Json.string(expected));
  }

  @Test
  void everyMessageTypeOfMetasExamplesIsCovered() {
    List<String> types = new ArrayList<>();
    validExamples().forEach(n -> {
      ObjectNode m = example(n);
      String type = m.has("type") ? m.get("type").asString() : m.has("text") ? "text" : "interactive";
      types.add(type.equals("interactive") ? "interactive " + m.get("interactive").get("type").asString() : type);
    });
    assertThat(types).contains("text", "image", "video", "audio", "document", "sticker", "location", "contacts",
        "reaction", "template", "interactive button", "interactive list", "interactive flow", "interactive product",
        "interactive catalog_message", "interactive order_details", "interactive order_status");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidExamples")
  void metasInvalidExamplesAreRefusedAtTheirField(String name, String field) {
    Invalid i = invalid(example(name));
    assertThat(i.field()).isEqualTo(field);
  }

  static Stream<Arguments> invalidExamples() {
    return INVALID_EXAMPLES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void theMultiProductExampleWithItsHeaderTypeFilledInIsSentAsGiven() {
    ObjectNode body = example("Send Multi-Product Message");
    ((ObjectNode) body.at("/interactive/header")).put("type", "text");
    Outgoing o = one(body);
    assertThat(o.type()).isEqualTo("interactive");
    assertThat(o.message().get("interactive")).isEqualTo(body.get("interactive"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesWithPlaceholderLinks")
  void aPlaceholderLinkIsRefusedAtItsPath(String name, String field) {
    Invalid i = invalid(example(name));
    assertThat(i.field()).isEqualTo(field);
    assertThat(i.reason()).contains("http");
  }

  static Stream<Arguments> examplesWithPlaceholderLinks() {
    List<Arguments> out = new ArrayList<>();
    for (String name : MetaExamples.names()) {
      List<String> links = new ArrayList<>();
      placeholderLinks(example(name), "", links);
      if (!links.isEmpty() && !INVALID_EXAMPLES.containsKey(name)) {
        out.add(Arguments.of(name, links.getFirst()));
      }
    }
    assertThat(out).hasSizeGreaterThanOrEqualTo(10);
    return out.stream();
  }

  @Test
  void theDraftsTypeAndHistoryText() {
    assertThat(one(example("Send Reply Button"))).extracting(Outgoing::type, Outgoing::text)
        .containsExactly("buttons", "<BUTTON_TEXT>");
    assertThat(one(example("Send List Message"))).extracting(Outgoing::type, Outgoing::text)
        .containsExactly("list", "<BODY_TEXT>");
    assertThat(one(example("Send Published Flow by ID"))).extracting(Outgoing::type, Outgoing::text)
        .containsExactly("interactive", "<BODY_TEXT>");
    assertThat(one(example("Send Contact Message"))).extracting(Outgoing::type, Outgoing::text)
        .containsExactly("contact", "John Smith");
    assertThat(one(example("Send Test Message"))).extracting(Outgoing::type, Outgoing::text)
        .containsExactly("template", "[template hello_world]");
    assertThat(one(example("Send Location Message")).text()).isEqualTo("META HQ");
    assertThat(one(example("Send Reply with Reaction Message")).text()).isEqualTo("😀");
    assertThat(one(example("Send Video Message by ID")).text()).isEqualTo("<VIDEO_CAPTION_TEXT>");
    assertThat(one(example("Send Sticker Message by ID")).text()).isNull();
    assertThat(one(example("Send Text Message")).text()).isEqualTo("text-message-content");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 2. The reference's examples of the interactive types Meta's OpenAPI file has none for
  // ---------------------------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceExamples")
  void theReferencesExampleIsSentAsGiven(String name, String message) {
    ObjectNode m = (ObjectNode) Json.parse(message);
    Outgoing o = one(m);
    assertThat(Json.string(o.message())).isEqualTo(Json.string(m));
    assertThat(o.type()).isEqualTo(m.get("type").asString().equals("interactive") ? "interactive" : "template");
  }

  static Stream<Arguments> referenceExamples() {
    return Stream.of(
        // Meta's messages reference
        Arguments.of("cta_url", BASES.get("cta_url")),
        // Meta's interactive message reference
        Arguments.of("location_request_message", BASES.get("location_request_message")),
        Arguments.of("flow", BASES.get("flow")),
        Arguments.of("product", BASES.get("product")),
        Arguments.of("product_list", BASES.get("product_list")),
        Arguments.of("catalog_message", BASES.get("catalog_message")),
        Arguments.of("carousel", BASES.get("carousel")),
        Arguments.of("carousel of quick replies", BASES.get("carousel quick replies")),
        Arguments.of("address_message", """
            {"type": "interactive", "interactive": {"type": "address_message",
              "body": {"text": "Where should we deliver?"}, "action": {"name": "address_message",
              "parameters": {"country": "IN", "values": {"name": "Asha", "phone_number": "+919000000000"}}}}}"""),
        // whatsapp-cloud-api-more.md section 3.3 and whatsapp-cloud-api.md section 2
        Arguments.of("template with parameters", BASES.get("template")),
        Arguments.of("template of the base reference", """
            {"type": "template", "template": {"name": "order_update",
              "language": {"code": "en_US", "policy": "deterministic"}, "components": [
              {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://cdn.example.com/o.png"}}]},
              {"type": "body", "parameters": [{"type": "text", "text": "Jessica"},
                {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
                {"type": "date_time", "date_time": {"fallback_value": "Feb 25, 1977"}}]},
              {"type": "button", "sub_type": "quick_reply", "index": "0",
               "parameters": [{"type": "payload", "payload": "YES"}]},
              {"type": "button", "sub_type": "url", "index": "1",
               "parameters": [{"type": "text", "text": "suffix-123"}]}]}}"""));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 3. The envelope is wabridge's
  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void anAgentNeverChoosesTheRecipient() {
    Outgoing o = one("""
        {"messaging_product": "whatsapp", "recipient_type": "group", "to": "+19995550000",
         "recipient": "US.13491208655302741918", "biz_opaque_callback_data": "msg_someone_elses",
         "type": "text", "text": {"body": "Hi"}}""");
    assertThat(Json.string(o.message())).isEqualTo("{\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}");
  }

  @Test
  void aSendBodyWithoutTypeIsReadByTheOneObjectItHolds() {
    Outgoing o = one("{\"messaging_product\": \"whatsapp\", \"to\": \"1\", \"image\": {\"id\": \"7\"}}");
    assertThat(Json.string(o.message())).isEqualTo("{\"image\":{\"id\":\"7\"},\"type\":\"image\"}");
    Invalid two = invalid(Json.parse("{\"messaging_product\": \"whatsapp\", \"text\": {\"body\": \"a\"}, "
        + "\"image\": {\"id\": \"7\"}}"));
    assertThat(two.message()).startsWith("type: is required: one of text, image");
    Invalid read = invalid(example("Send typing indicator and read receipt"));
    assertThat(read.reason()).contains("mark-as-read request is not a message");
  }

  @Test
  void contextQuotesAMessageAndIsKept() {
    Outgoing o = one("{\"type\": \"text\", \"text\": {\"body\": \"Yes\"}, \"context\": {\"message_id\": \"wamid.X\"}}");
    assertThat(o.message().get("context").get("message_id").asString()).isEqualTo("wamid.X");
  }

  @Test
  void theTypeIsReadAsMetaReadsItAndSentLowercase() {
    Outgoing o = one("{\"type\": \"IMAGE\", \"image\": {\"id\": \"1234\"}}");
    assertThat(Json.string(o.message())).isEqualTo("{\"type\":\"image\",\"image\":{\"id\":\"1234\"}}");
  }

  @Test
  void severalMetaMessagesGoInOrderAndAnInvalidOneFailsAlone() {
    List<Draft> drafts = parse("""
        [{"type": "text", "text": {"body": "one"}},
         {"type": "interactive", "interactive": {"type": "button", "body": {"text": "Pick"}, "action": {"buttons": [
           {"type": "reply", "reply": {"id": "a", "title": "A"}}, {"type": "reply", "reply": {"id": "b", "title": "B"}},
           {"type": "reply", "reply": {"id": "c", "title": "C"}}, {"type": "reply", "reply": {"id": "d", "title": "D"}}]}}},
         {"messaging_product": "whatsapp", "to": "+1", "type": "image", "image": {"link": "https://cdn.example.com/a.png"}},
         "three"]""");
    assertThat(drafts).extracting(Draft::type).containsExactly("text", "buttons", "image", "text");
    Invalid bad = (Invalid) drafts.get(1);
    assertThat(bad.message()).isEqualTo("[1].interactive.action.buttons[3]: at most 3 buttons (got 4)");
    assertThat(parse("{\"messages\": [{\"type\": \"text\", \"text\": {}}]}").getFirst())
        .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.field()).isEqualTo("messages[0].text.body"));
  }

  @Test
  void theNoReplySentenceSendsNothingInMetasShapeToo() {
    assertThat(parse("{\"type\": \"text\", \"text\": {\"body\": \"No CUSTOMER message reply\"}}")).isEmpty();
  }

  @Test
  void wabridgesOwnShapesOfTheSameTypesAreReadAsBefore() {
    // no object under the type's name: wabridge's flat shapes, unchanged (ReplyParserTest)
    assertThat(one("{\"type\": \"image\", \"url\": \"https://cdn.example.com/a.png\"}").message().get("image")
        .get("link").asString()).isEqualTo("https://cdn.example.com/a.png");
    assertThat(one("{\"type\": \"reaction\", \"emoji\": \"👍\"}").type()).isEqualTo("reaction");
    assertThat(one("{\"type\": \"contacts\", \"contacts\": [{\"name\": {\"formatted_name\": \"A\"}}]}").type())
        .isEqualTo("contact");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 4. Meta's rules, one broken at a time
  // ---------------------------------------------------------------------------------------------------------------

  /** A valid message of each kind; each rule below breaks one of them in one place. */
  static final Map<String, String> BASES = Map.ofEntries(
      Map.entry("text", "{\"type\": \"text\", \"text\": {\"body\": \"Hi\", \"preview_url\": false}}"),
      Map.entry("full text", "{\"messaging_product\": \"whatsapp\", \"recipient_type\": \"individual\", "
          + "\"to\": \"+16505551234\", \"type\": \"text\", \"text\": {\"body\": \"Hi\"}}"),
      Map.entry("image", "{\"type\": \"image\", \"image\": {\"link\": \"https://cdn.example.com/a.png\", "
          + "\"caption\": \"A\"}}"),
      Map.entry("audio", "{\"type\": \"audio\", \"audio\": {\"id\": \"123\", \"voice\": true}}"),
      Map.entry("document", "{\"type\": \"document\", \"document\": {\"id\": \"123\", \"filename\": \"a.pdf\"}}"),
      Map.entry("sticker", "{\"type\": \"sticker\", \"sticker\": {\"id\": \"123\"}}"),
      Map.entry("location", "{\"type\": \"location\", \"location\": {\"latitude\": 52.37, \"longitude\": 4.89}}"),
      Map.entry("contacts", "{\"messaging_product\": \"whatsapp\", \"type\": \"contacts\", \"contacts\": [{\"name\": "
          + "{\"formatted_name\": \"Ann\", \"first_name\": \"Ann\"}, \"phones\": [{\"phone\": \"+1555\"}], "
          + "\"emails\": [{\"email\": \"a@example.com\"}], \"urls\": [{\"url\": \"https://a.example\"}], "
          + "\"birthday\": \"2012-08-18\"}]}"),
      Map.entry("reaction", "{\"type\": \"reaction\", \"reaction\": {\"message_id\": \"wamid.X\", \"emoji\": \"👍\"}}"),
      Map.entry("template", """
          {"type": "template", "template": {"name": "order_ready", "language": {"code": "en_US"}, "components": [
            {"type": "header", "parameters": [{"type": "document",
              "document": {"id": "4490", "filename": "invoice.pdf"}}]},
            {"type": "body", "parameters": [{"type": "text", "parameter_name": "first_name", "text": "Jessica"},
              {"type": "text", "parameter_name": "order_id", "text": "A-1029"}]},
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "A-1029"}]},
            {"type": "button", "sub_type": "copy_code", "index": 1,
             "parameters": [{"type": "coupon_code", "coupon_code": "SAVE20"}]},
            {"type": "button", "sub_type": "flow", "index": "2",
             "parameters": [{"type": "action", "action": {"flow_token": "t-77", "flow_action_data": {}}}]}]}}"""),
      Map.entry("button", """
          {"type": "interactive", "interactive": {"type": "button",
            "header": {"type": "image", "image": {"link": "https://cdn.example.com/h.png"}},
            "body": {"text": "Pick one"}, "footer": {"text": "Thanks"}, "action": {"buttons": [
              {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
              {"type": "reply", "reply": {"id": "no", "title": "No"}}]}}}"""),
      Map.entry("list", """
          {"type": "interactive", "interactive": {"type": "list", "header": {"type": "text", "text": "Menu"},
            "body": {"text": "Choose"}, "action": {"button": "Open", "sections": [
              {"title": "Drinks", "rows": [{"id": "tea", "title": "Tea", "description": "Black"}]},
              {"title": "Food", "rows": [{"id": "cake", "title": "Cake"}]}]}}}"""),
      Map.entry("cta_url", """
          {"type": "interactive", "interactive": {"type": "cta_url",
            "header": {"type": "text", "text": "Your order"}, "body": {"text": "Track it here"},
            "footer": {"text": "Thanks"}, "action": {"name": "cta_url",
              "parameters": {"display_text": "Track", "url": "https://shop.example.com/track/A-17"}}}}"""),
      Map.entry("location_request_message", """
          {"type": "interactive", "interactive": {"type": "location_request_message",
            "body": {"text": "Share your pickup point"}, "action": {"name": "send_location"}}}"""),
      Map.entry("flow", """
          {"type": "interactive", "interactive": {"type": "flow", "header": {"type": "text", "text": "Book"},
            "body": {"text": "Pick a slot"}, "footer": {"text": "Takes 1 min"},
            "action": {"name": "flow", "parameters": {
              "flow_message_version": "3", "flow_id": "1234567890", "flow_cta": "Book now",
              "flow_token": "session-8f2c", "mode": "published", "flow_action": "navigate",
              "flow_action_payload": {"screen": "SLOT_PICKER", "data": {"service": "haircut"}}}}}}"""),
      Map.entry("product", """
          {"type": "interactive", "interactive": {"type": "product", "body": {"text": "Back in stock"},
            "action": {"catalog_id": "146265584024623", "product_retailer_id": "SKU-1"}}}"""),
      Map.entry("product_list", """
          {"type": "interactive", "interactive": {"type": "product_list",
            "header": {"type": "text", "text": "Our picks"}, "body": {"text": "Have a look"},
            "action": {"catalog_id": "146265584024623",
              "sections": [{"title": "Shirts", "product_items": [{"product_retailer_id": "SKU-1"}]}]}}}"""),
      Map.entry("catalog_message", """
          {"type": "interactive", "interactive": {"type": "catalog_message", "body": {"text": "Browse our catalog"},
            "action": {"name": "catalog_message", "parameters": {"thumbnail_product_retailer_id": "SKU-1"}}}}"""),
      Map.entry("carousel", """
          {"type": "interactive", "interactive": {"type": "carousel", "body": {"text": "Pick a plan"},
            "action": {"cards": [
              {"card_index": 0, "type": "cta_url",
               "header": {"type": "image", "image": {"link": "https://cdn.example.com/a.png"}},
               "body": {"text": "Basic"},
               "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://shop.example.com/a"}}},
              {"card_index": 1, "type": "cta_url",
               "header": {"type": "video", "video": {"id": "778"}},
               "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://shop.example.com/b"}}}
            ]}}}"""),
      Map.entry("carousel quick replies", """
          {"type": "interactive", "interactive": {"type": "carousel", "body": {"text": "Pick a plant"},
            "action": {"cards": [
              {"card_index": 0, "header": {"type": "image", "image": {"id": "1"}}, "action": {"buttons": [
                {"type": "quick_reply", "quick_reply": {"id": "more-0", "title": "Learn more"}},
                {"type": "quick_reply", "quick_reply": {"id": "fav-0", "title": "Add to favorites"}}]}},
              {"card_index": 1, "header": {"type": "image", "image": {"id": "2"}}, "action": {"buttons": [
                {"type": "quick_reply", "quick_reply": {"id": "more-1", "title": "Learn more"}},
                {"type": "quick_reply", "quick_reply": {"id": "fav-1", "title": "Add to favorites"}}]}}]}}}"""));

  @Test
  void everyBaseIsValidAndSentAsGiven() {
    BASES.forEach((name, json) -> {
      ObjectNode m = (ObjectNode) Json.parse(json);
      ENVELOPE.forEach(m::remove);
      assertThat(Json.string(one(json).message())).as(name).isEqualTo(Json.string(m));
    });
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("refused")
  void aBrokenRuleIsRefusedNamingTheField(String base, String pointer, String value, String field, String reason) {
    ObjectNode m = (ObjectNode) Json.parse(BASES.get(base));
    set(m, pointer, value);
    Invalid i = invalid(m);
    assertThat(i.field()).isEqualTo(field);
    assertThat(i.reason()).contains(reason);
    assertThat(i.message()).startsWith(field + ": ");
  }

  /** Base, JSON pointer to change (the item just past an array's end appends), new value (null removes), field, reason. */
  static Stream<Arguments> rules() {
    return Stream.of(
        // any message
        // (a type wabridge does not know makes an object readable text, unless it is a whole send body)
        rule("full text", "/type", "\"video_note\"", "type", "must be one of"),
        rule("full text", "/type", "5", "type", "must be a string"),
        rule("full text", "/type", null, null, null),
        rule("image", "/caption", "\"A\"", "caption", "is not a field of Meta's image message"),
        rule("text", "/context", "{}", "context.message_id", "is required"),
        rule("text", "/context", "\"wamid.X\"", "context", "must be an object"),
        // text
        rule("text", "/text/body", null, "text.body", "is required"),
        rule("text", "/text/body", "\"  \"", "text.body", "must not be blank"),
        rule("text", "/text/body", "\"" + "x".repeat(4097) + "\"", "text.body", "at most 4096 characters (got 4097)"),
        rule("text", "/text/preview_url", "\"yes\"", "text.preview_url", "true or false"),
        rule("full text", "/text", "\"Hi\"", "text", "must be an object"),
        // media
        rule("image", "/image/link", null, "image", "exactly one of id"),
        rule("image", "/image/id", "\"123\"", "image", "exactly one of id"),
        rule("image", "/image/link", "\"ftp://cdn.example.com/a.png\"", "image.link", "http:// or https://"),
        rule("image", "/image/link", "\"/a.png\"", "image.link", "http:// or https://"),
        rule("image", "/image/caption", "\"" + "c".repeat(1025) + "\"", "image.caption", "at most 1024"),
        rule("image", "/image/filename", "\"a.png\"", "image.filename", "documents only"),
        rule("audio", "/audio/caption", "\"listen\"", "audio.caption", "no caption"),
        rule("audio", "/audio/voice", "\"yes\"", "audio.voice", "true or false"),
        rule("sticker", "/sticker/caption", "\"hi\"", "sticker.caption", "no caption"),
        rule("document", "/document/id", "\" \"", "document.id", "must not be blank"),
        rule("document", "/document/filename", "7", "document.filename", "must be a string"),
        // location
        rule("location", "/location/latitude", "91", "location.latitude", "-90 to 90"),
        rule("location", "/location/longitude", null, "location.longitude", "-180 to 180"),
        rule("location", "/location/latitude", "\"NaN\"", "location.latitude", "-90 to 90"),
        rule("location", "/location/name", "3", "location.name", "must be a string"),
        // contacts
        rule("contacts", "/contacts", "[]", "contacts", "at least 1 contacts"),
        rule("contacts", "/contacts/0/name/formatted_name", null, "contacts[0].name.formatted_name", "is required"),
        rule("contacts", "/contacts/0/name", null, "contacts[0].name", "is required"),
        rule("contacts", "/contacts/0/phones/0/phone", null, "contacts[0].phones[0].phone", "is required"),
        rule("contacts", "/contacts/0/emails/0", "\"a@example.com\"", "contacts[0].emails[0]", "must be an object"),
        rule("contacts", "/contacts/0/urls/0/url", null, "contacts[0].urls[0].url", "is required"),
        rule("contacts", "/contacts/0/birthday", "\"18/08/2012\"", "contacts[0].birthday", "YYYY-MM-DD"),
        rule("contacts", "/contacts", contacts(6), "contacts[5]", "at most 5 contacts (got 6)"),
        // reaction
        rule("reaction", "/reaction/emoji", null, "reaction.emoji", "is required"),
        rule("reaction", "/reaction/emoji", "1", "reaction.emoji", "is required"),
        rule("reaction", "/reaction/message_id", "\"\"", "reaction.message_id", "must not be blank"),
        // template
        rule("template", "/template/name", null, "template.name", "is required"),
        rule("template", "/template/language", null, "template.language", "is required"),
        rule("template", "/template/language", "\"en_US\"", "template.language", "must be an object"),
        rule("template", "/template/language/code", null, "template.language.code", "is required"),
        rule("template", "/template/language/policy", "\"fallback\"", "template.language.policy", "deterministic"),
        rule("template", "/template/components", "{}", "template.components", "must be an array"),
        rule("template", "/template/components/1/type", null, "template.components[1].type", "is required"),
        rule("template", "/template/components/2/index", null, "template.components[2].index", "0 to 9"),
        rule("template", "/template/components/3/index", "12", "template.components[3].index", "0 to 9"),
        rule("template", "/template/components/2/sub_type", null, "template.components[2].sub_type", "is required"),
        rule("template", "/template/components/1/parameters/0/text", "true", "template.components[1].parameters[0].text",
            "must be a string"),
        rule("template", "/template/components/0/parameters/0/document/id", null,
            "template.components[0].parameters[0].document", "exactly one of id"),
        rule("template", "/template/components/4/parameters/0/action", null,
            "template.components[4].parameters[0].action", "is required: a parameter of type action holds it"),
        // interactive, any type
        rule("button", "/interactive", null, "interactive", "is required"),
        rule("button", "/interactive/type", "\"menu\"", "interactive.type", "must be one of button, list, cta_url"),
        rule("button", "/interactive/body", null, "interactive.body", "is required"),
        rule("button", "/interactive/body/text", "\"" + "b".repeat(1025) + "\"", "interactive.body.text",
            "at most 1024"),
        rule("button", "/interactive/footer/text", "\"" + "f".repeat(61) + "\"", "interactive.footer.text",
            "at most 60"),
        rule("cta_url", "/interactive/header/text", "\"" + "h".repeat(61) + "\"", "interactive.header.text",
            "at most 60"),
        rule("button", "/interactive/header/type", "\"sticker\"", "interactive.header.type", "must be one of"),
        rule("button", "/interactive/header/image", null, "interactive.header.image", "is required"),
        rule("button", "/interactive/header/image/link", "\"file:///etc/passwd\"", "interactive.header.image.link",
            "http:// or https://"),
        rule("button", "/interactive/action", null, "interactive.action", "is required"),
        // button
        rule("button", "/interactive/action/buttons/2", button("maybe", "Maybe"), null, null),
        rule("button", "/interactive/action/buttons", buttons(4), "interactive.action.buttons[3]",
            "at most 3 buttons (got 4)"),
        rule("button", "/interactive/action/buttons", "[]", "interactive.action.buttons", "at least 1 buttons"),
        rule("button", "/interactive/action/buttons/0/type", "\"url\"", "interactive.action.buttons[0].type",
            "must be \"reply\""),
        rule("button", "/interactive/action/buttons/0/reply/title", "\"" + "t".repeat(21) + "\"",
            "interactive.action.buttons[0].reply.title", "at most 20 characters (got 21)"),
        rule("button", "/interactive/action/buttons/1/reply/title", "\"Yes\"",
            "interactive.action.buttons[1].reply.title", "unique"),
        rule("button", "/interactive/action/buttons/1/reply/id", "\"yes\"", "interactive.action.buttons[1].reply.id",
            "unique"),
        rule("button", "/interactive/action/buttons/0/reply/id", "\"yes \"", "interactive.action.buttons[0].reply.id",
            "space"),
        rule("button", "/interactive/action/buttons/0/reply/id", "\"" + "i".repeat(257) + "\"",
            "interactive.action.buttons[0].reply.id", "at most 256"),
        // list
        rule("list", "/interactive/header", "{\"type\": \"image\", \"image\": {\"id\": \"1\"}}",
            "interactive.header.type", "must be one of text"),
        rule("list", "/interactive/body/text", "\"" + "b".repeat(4096) + "\"", null, null),
        rule("list", "/interactive/body/text", "\"" + "b".repeat(4097) + "\"", "interactive.body.text", "at most 4096"),
        rule("list", "/interactive/action/button", "\"" + "o".repeat(21) + "\"", "interactive.action.button",
            "at most 20"),
        rule("list", "/interactive/action/button", null, "interactive.action.button", "is required"),
        rule("list", "/interactive/action/sections", sections(11, 1), "interactive.action.sections[10]",
            "at most 10 sections (got 11)"),
        rule("list", "/interactive/action/sections/1/title", null, "interactive.action.sections[1].title",
            "is required"),
        rule("list", "/interactive/action/sections/0/title", "\"" + "s".repeat(25) + "\"",
            "interactive.action.sections[0].title", "at most 24"),
        rule("list", "/interactive/action/sections/0/rows", "[]", "interactive.action.sections[0].rows",
            "at least 1 rows"),
        rule("list", "/interactive/action/sections/0/rows/0/title", "\"" + "t".repeat(25) + "\"",
            "interactive.action.sections[0].rows[0].title", "at most 24 characters (got 25)"),
        rule("list", "/interactive/action/sections/0/rows/0/description", "\"" + "d".repeat(73) + "\"",
            "interactive.action.sections[0].rows[0].description", "at most 72"),
        rule("list", "/interactive/action/sections/0/rows/0/id", "\"" + "i".repeat(201) + "\"",
            "interactive.action.sections[0].rows[0].id", "at most 200"),
        rule("list", "/interactive/action/sections/1/rows/0/id", "\"tea\"", "interactive.action.sections[1].rows[0].id",
            "unique"),
        rule("list", "/interactive/action/sections", sections(2, 6), "interactive.action.sections[1].rows[4]",
            "at most 10 rows in all"),
        rule("list", "/interactive/action/sections", sections(2, 5), null, null),
        // cta_url
        rule("cta_url", "/interactive/action/name", "\"url\"", "interactive.action.name", "must be \"cta_url\""),
        rule("cta_url", "/interactive/action/parameters", null, "interactive.action.parameters", "is required"),
        rule("cta_url", "/interactive/action/parameters/display_text", "\"" + "d".repeat(21) + "\"",
            "interactive.action.parameters.display_text", "at most 20"),
        rule("cta_url", "/interactive/action/parameters/url", "\"javascript:alert(1)\"",
            "interactive.action.parameters.url", "http:// or https://"),
        rule("cta_url", "/interactive/header", "{\"type\": \"video\", \"video\": {\"link\": \"https://cdn.example.com/v.mp4\"}}",
            null, null),
        // location_request_message
        rule("location_request_message", "/interactive/header", "{\"type\": \"text\", \"text\": \"x\"}",
            "interactive.header", "not allowed"),
        rule("location_request_message", "/interactive/footer", "{\"text\": \"x\"}", "interactive.footer",
            "not allowed"),
        rule("location_request_message", "/interactive/action/name", "\"location\"", "interactive.action.name",
            "must be \"send_location\""),
        rule("location_request_message", "/interactive/body", null, "interactive.body", "is required"),
        // flow
        rule("flow", "/interactive/action/name", "\"flows\"", "interactive.action.name", "must be \"flow\""),
        rule("flow", "/interactive/action/parameters/flow_message_version", null,
            "interactive.action.parameters.flow_message_version", "is required"),
        rule("flow", "/interactive/action/parameters/flow_name", "\"booking\"", "interactive.action.parameters",
            "exactly one of flow_id or flow_name"),
        rule("flow", "/interactive/action/parameters/flow_id", null, "interactive.action.parameters",
            "exactly one of flow_id or flow_name"),
        rule("flow", "/interactive/action/parameters/flow_id", "1234567890", null, null),
        rule("flow", "/interactive/action/parameters/flow_cta", "\"" + "c".repeat(31) + "\"",
            "interactive.action.parameters.flow_cta", "at most 30"),
        rule("flow", "/interactive/action/parameters/flow_cta", "\"Book now 📅\"",
            "interactive.action.parameters.flow_cta", "emoji"),
        rule("flow", "/interactive/action/parameters/mode", "\"live\"", "interactive.action.parameters.mode",
            "draft, published"),
        rule("flow", "/interactive/action/parameters/flow_action", "\"open\"",
            "interactive.action.parameters.flow_action", "navigate, data_exchange"),
        rule("flow", "/interactive/action/parameters/flow_action_payload/screen", null,
            "interactive.action.parameters.flow_action_payload.screen", "is required"),
        rule("flow", "/interactive/action/parameters/flow_action_payload/data", "{}",
            "interactive.action.parameters.flow_action_payload.data", "must not be empty"),
        // product
        rule("product", "/interactive/header", "{\"type\": \"text\", \"text\": \"x\"}", "interactive.header",
            "not allowed"),
        rule("product", "/interactive/body", null, null, null),
        rule("product", "/interactive/action/product_retailer_id", null, "interactive.action.product_retailer_id",
            "is required"),
        rule("product", "/interactive/action/catalog_id", "146265584024623", null, null),
        // product_list
        rule("product_list", "/interactive/header", null, "interactive.header", "is required"),
        rule("product_list", "/interactive/header/type", "\"image\"", "interactive.header.type", "must be one of text"),
        rule("product_list", "/interactive/action/catalog_id", null, "interactive.action.catalog_id", "is required"),
        rule("product_list", "/interactive/action/sections/0/product_items", products(31),
            "interactive.action.sections[0].product_items[30]", "at most 30 products"),
        rule("product_list", "/interactive/action/sections/0/product_items/0/product_retailer_id", null,
            "interactive.action.sections[0].product_items[0].product_retailer_id", "is required"),
        // catalog_message
        rule("catalog_message", "/interactive/action/name", "\"catalog\"", "interactive.action.name",
            "must be \"catalog_message\""),
        rule("catalog_message", "/interactive/action/parameters/thumbnail_product_retailer_id", "[]",
            "interactive.action.parameters.thumbnail_product_retailer_id", "must be a string"),
        // carousel
        rule("carousel", "/interactive/action/cards/1", null, "interactive.action.cards", "at least 2 cards"),
        rule("carousel", "/interactive/action/cards", cards(11), "interactive.action.cards[10]", "at most 10 cards"),
        rule("carousel", "/interactive/header", "{\"type\": \"text\", \"text\": \"x\"}", "interactive.header",
            "not allowed"),
        rule("carousel", "/interactive/footer", "{\"text\": \"x\"}", "interactive.footer", "not allowed"),
        rule("carousel", "/interactive/action/cards/0/header", null, "interactive.action.cards[0].header",
            "is required"),
        rule("carousel", "/interactive/action/cards/0/header", "{\"type\": \"text\", \"text\": \"x\"}",
            "interactive.action.cards[0].header.type", "must be one of image, video"),
        rule("carousel", "/interactive/action/cards/0/header/image/link", "\"http://\"",
            "interactive.action.cards[0].header.image.link", "http:// or https://"),
        rule("carousel", "/interactive/action/cards/0/body/text", "\"" + "b".repeat(161) + "\"",
            "interactive.action.cards[0].body.text", "at most 160"),
        rule("carousel", "/interactive/action/cards/1/card_index", "0", "interactive.action.cards[1].card_index",
            "unique"),
        rule("carousel", "/interactive/action/cards/1/card_index", null, "interactive.action.cards[1].card_index",
            "is required"),
        rule("carousel", "/interactive/action/cards/1/action", quickReplies(1), "interactive.action.cards[1].action",
            "same kind and number of buttons as the first card (one URL button)"),
        rule("carousel quick replies", "/interactive/action/cards/1/action", quickReplies(1),
            "interactive.action.cards[1].action", "(2 quick-reply buttons)"),
        rule("carousel quick replies", "/interactive/action/cards/0/action/buttons/0/quick_reply/title",
            "\"" + "t".repeat(21) + "\"", "interactive.action.cards[0].action.buttons[0].quick_reply.title",
            "at most 20"),
        rule("carousel quick replies", "/interactive/action/cards/0/action/buttons/0/type", "\"reply\"",
            "interactive.action.cards[0].action.buttons[0].type", "must be \"quick_reply\""));
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("allowed")
  void theLimitsThemselvesAreAllowed(String base, String pointer, String value, String field, String reason) {
    ObjectNode m = (ObjectNode) Json.parse(BASES.get(base));
    set(m, pointer, value);
    assertThat(parse(m)).singleElement().isInstanceOf(Outgoing.class);
  }

  /** The rules above whose change is allowed (no field): at the limit, or an optional part left out. */
  static Stream<Arguments> allowed() {
    return rules().filter(a -> a.get()[3] == null);
  }

  static Stream<Arguments> refused() {
    return rules().filter(a -> a.get()[3] != null);
  }

  private static Arguments rule(String base, String pointer, String value, String field, String reason) {
    return Arguments.of(base, pointer, value, field, reason);
  }

  private static String button(String id, String title) {
    return "{\"type\": \"reply\", \"reply\": {\"id\": \"" + id + "\", \"title\": \"" + title + "\"}}";
  }

  private static String buttons(int n) {
    List<String> b = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      b.add(button("b" + i, "B" + i));
    }
    return "[" + String.join(", ", b) + "]";
  }

  private static String contacts(int n) {
    return "[" + String.join(", ", java.util.Collections.nCopies(n, "{\"name\": {\"formatted_name\": \"A\"}}")) + "]";
  }

  private static String products(int n) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      p.add("{\"product_retailer_id\": \"SKU-" + i + "\"}");
    }
    return "[" + String.join(", ", p) + "]";
  }

  /** {@code n} sections of {@code rows} rows each, ids unique. */
  private static String sections(int n, int rows) {
    List<String> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> r = new ArrayList<>();
      for (int j = 0; j < rows; j++) {
        r.add("{\"id\": \"r" + i + "-" + j + "\", \"title\": \"Row " + j + "\"}");
      }
      s.add("{\"title\": \"S" + i + "\", \"rows\": [" + String.join(", ", r) + "]}");
    }
    return "[" + String.join(", ", s) + "]";
  }

  private static String cards(int n) {
    List<String> c = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      c.add("{\"card_index\": " + i + ", \"header\": {\"type\": \"image\", \"image\": {\"id\": \"" + i + "\"}}, "
          + "\"action\": {\"name\": \"cta_url\", \"parameters\": {\"display_text\": \"Buy\", "
          + "\"url\": \"https://shop.example.com/" + i + "\"}}}");
    }
    return "[" + String.join(", ", c) + "]";
  }

  private static String quickReplies(int n) {
    List<String> b = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      b.add("{\"type\": \"quick_reply\", \"quick_reply\": {\"id\": \"q" + i + "\", \"title\": \"Q" + i + "\"}}");
    }
    return "{\"buttons\": [" + String.join(", ", b) + "]}";
  }

  /** Sets (or, for a null value, removes) the node at {@code pointer}; an index one past an array's end appends. */
  private static void set(ObjectNode root, String pointer, String value) {
    JsonPointer p = JsonPointer.compile(pointer);
    JsonNode parent = root.at(p.head());
    String last = p.last().getMatchingProperty();
    JsonNode v = value == null ? null : Json.parse(value);
    if (parent instanceof ArrayNode a) {
      int index = Integer.parseInt(last);
      if (v == null) {
        a.remove(index);
      } else if (index == a.size()) {
        a.add(v);
      } else {
        a.set(index, v);
      }
    } else if (v == null) {
      ((ObjectNode) parent).remove(last);
    } else {
      ((ObjectNode) parent).set(last, v);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** The example with each placeholder link ("http(s)://image-url") replaced by a real https URL, in place. */
  private static ObjectNode withRealLinks(ObjectNode body) {
    List<String> fields = new ArrayList<>();
    placeholderLinks(body, "", fields);
    return body;
  }

  /** Collects the paths of links that are not http(s) URLs, and replaces each by a real one. */
  private static void placeholderLinks(JsonNode node, String path, List<String> fields) {
    if (node instanceof ObjectNode o) {
      for (String key : List.copyOf(o.propertyNames())) {
        String field = path.isEmpty() ? key : path + "." + key;
        JsonNode v = o.get(key);
        if (key.equals("link") && v.isString() && !HttpUrls.isHttp(v.asString())) {
          fields.add(field);
          o.put(key, "https://cdn.example.com/" + field.replaceAll("[^a-z]", "-"));
        } else {
          placeholderLinks(v, field, fields);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        placeholderLinks(a.get(i), path + "[" + i + "]", fields);
      }
    }
  }

  private static List<Draft> parse(String json) {
    return parse(Json.parse(json));
  }

  private static List<Draft> parse(JsonNode node) {
    return PARSER.parse(node);
  }

  private static Outgoing one(String json) {
    return one(Json.parse(json));
  }

  private static Outgoing one(JsonNode node) {
    List<Draft> drafts = parse(node);
    assertThat(drafts).hasSize(1);
    assertThat(drafts.getFirst()).as(() -> drafts.getFirst().toString()).isInstanceOf(Outgoing.class);
    return (Outgoing) drafts.getFirst();
  }

  private static Invalid invalid(JsonNode node) {
    List<Draft> drafts = parse(node);
    assertThat(drafts).hasSize(1);
    assertThat(drafts.getFirst()).as(() -> drafts.getFirst().toString()).isInstanceOf(Invalid.class);
    return (Invalid) drafts.getFirst();
  }
}
