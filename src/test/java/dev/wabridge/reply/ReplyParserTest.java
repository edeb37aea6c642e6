package dev.wabridge.reply;

import static dev.wabridge.reply.MetaExamples.diff;
import static dev.wabridge.reply.MetaExamples.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wabridge.support.Json;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import dev.wabridge.reply.MetaExamples.Diff;
import dev.wabridge.reply.ReplyParser.UnreadableReplyException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an agent's reply becomes (docs/contract.md section 6): each rich type in the exact shape of Meta's example request
 * (test resources meta-examples/, taken from Meta's OpenAPI file), invalid content failing only its own message with
 * the field named, and every reply body form.
 */
class ReplyParserTest {
  private static final ReplyParser PARSER = new ReplyParser();

  // ---------------------------------------------------------------------------------------------------------------
  // 1. Every type in Meta's request shape
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class MetaShapes {
    @Test
    void text() {
      Outgoing o = one("{\"type\": \"message\", \"content\": \"text-message-content\"}");
      assertThat(o.type()).isEqualTo("text");
      assertThat(o.text()).isEqualTo("text-message-content");
      assertThat(diff(o.message(), message("text"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("text"));
    }

    @Test
    void textWithALink() {
      Outgoing o = one("{\"type\": \"message\", \"content\": \"Please visit https://youtu.be/hpltvTEiRrY.\"}");
      // Meta's "with Preview URL" example leaves out "type" (text is the API's default type); we always name it,
      // as every other example does
      assertThat(diff(o.message(), message("text-preview-url"))).isEqualTo(Diff.NONE.ours("type"));
      ObjectNode expected = message("text-preview-url").put("type", "text");
      assertThat(o.message()).isEqualTo(expected);
      assertThat(o.message().get("text").get("preview_url").asBoolean()).isTrue();
    }

    @Test
    void image() {
      Outgoing o = one("{\"type\": \"image\", \"url\": \"https://cdn.example.com/cat.jpg\"}");
      assertThat(diff(o.message(), message("image"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(media("image", "link", "https://cdn.example.com/cat.jpg"));
    }

    @Test
    void imageWithCaption() {
      Outgoing o = one("{\"type\": \"image\", \"url\": \"https://cdn.example.com/cat.jpg\", \"caption\": \"A **cat**\"}");
      // Meta's image-by-URL example happens to carry no caption; caption is Meta's field on image, video and
      // document alike (see the video and document examples), so we send it
      assertThat(diff(o.message(), message("image"))).isEqualTo(Diff.NONE.ours("image.caption"));
      assertThat(o.message()).isEqualTo(media("image", "link", "https://cdn.example.com/cat.jpg", "caption", "A *cat*"));
      assertThat(o.text()).isEqualTo("A *cat*");
    }

    @Test
    void video() {
      Outgoing o = one("{\"type\": \"video\", \"url\": \"https://cdn.example.com/a.mp4\", \"caption\": \"Watch\"}");
      assertThat(diff(o.message(), message("video"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(media("video", "link", "https://cdn.example.com/a.mp4", "caption", "Watch"));
    }

    @Test
    void audio() {
      Outgoing o = one("{\"type\": \"audio\", \"url\": \"https://cdn.example.com/a.ogg\"}");
      assertThat(diff(o.message(), message("audio"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(media("audio", "link", "https://cdn.example.com/a.ogg"));
    }

    @Test
    void documentWithFilename() {
      Outgoing o = one("{\"type\": \"document\", \"url\": \"https://cdn.example.com/files/r.pdf\", "
          + "\"caption\": \"Your invoice\", \"filename\": \"invoice-17.pdf\"}");
      // the by-URL example has no filename, but Meta's by-ID example does: it is the name the customer sees
      assertThat(diff(o.message(), message("document"))).isEqualTo(Diff.NONE.ours("document.filename"));
      // against the by-ID example the only difference is link for id: links are re-hosted to ids when sending
      assertThat(diff(o.message(), message("document-by-id")))
          .isEqualTo(Diff.NONE.ours("document.link").meta("document.id"));
      assertThat(o.message()).isEqualTo(media("document", "link", "https://cdn.example.com/files/r.pdf",
          "caption", "Your invoice", "filename", "invoice-17.pdf"));
    }

    @Test
    void documentWithoutFilenameIsNamedAfterItsUrl() {
      Outgoing o = one("{\"type\": \"document\", \"url\": \"https://cdn.example.com/files/report%202025.pdf?x=1\"}");
      // we always send a filename (the one given, else the URL's last path segment, decoded), so the customer sees a name
      assertThat(diff(o.message(), message("document"))).isEqualTo(Diff.NONE.ours("document.filename").meta(
          "document.caption"));
      assertThat(o.message().get("document").get("filename").asString()).isEqualTo("report 2025.pdf");
    }

    @Test
    void sticker() {
      Outgoing o = one("{\"type\": \"sticker\", \"url\": \"https://cdn.example.com/s.webp\"}");
      assertThat(diff(o.message(), message("sticker"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(media("sticker", "link", "https://cdn.example.com/s.webp"));
    }

    @Test
    void contactInTheSimpleForm() {
      Outgoing o = one("{\"type\": \"contact\", \"name\": \"John Smith\", \"phone\": \"+1 (650) 555-1234\"}");
      assertThat(o.type()).isEqualTo("contact");
      assertThat(o.text()).isEqualTo("John Smith");
      // the simple form carries a name and a phone only, so the rest of Meta's card is absent. The phone's type is
      // CELL: the OpenAPI file's enum lists only HOME and WORK (the two its example uses), but Meta's contacts
      // reference and its own Node SDK give CELL, MAIN, IPHONE, HOME and WORK, and a number an agent hands over
      // is neither known to be a home nor a work number
      assertThat(diff(o.message(), message("contacts"))).isEqualTo(Diff.NONE
          .meta("contacts[].addresses", "contacts[].birthday", "contacts[].emails", "contacts[].org",
              "contacts[].urls", "contacts[].name.last_name", "contacts[].name.middle_name",
              "contacts[].name.prefix", "contacts[].name.suffix")
          .value("contacts[].phones[].type", "[CELL] vs [HOME, WORK]"));
      // formatted_name is required and Meta wants one more name field: first_name holds the whole name, since
      // splitting names into first and last is not safe across cultures. wa_id (the digits, as in Meta's example)
      // gives the card its "Message" button instead of "Invite to WhatsApp"
      assertThat(o.message()).isEqualTo(Json.parse("""
          {"type": "contacts", "contacts": [{
            "name": {"formatted_name": "John Smith", "first_name": "John Smith"},
            "phones": [{"phone": "+1 (650) 555-1234", "type": "CELL", "wa_id": "16505551234"}]}]}"""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"contacts", "contact"})
    void contactsInMetasShapePassThrough(String type) {
      ObjectNode reply = Json.object().put("type", type);
      reply.set("contacts", message("contacts").get("contacts"));
      Outgoing o = one(reply);
      assertThat(diff(o.message(), message("contacts"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("contacts"));
      assertThat(o.text()).isEqualTo("John Smith");
    }

    @Test
    void location() {
      Outgoing o = one("{\"type\": \"location\", \"latitude\": 37.758056, \"longitude\": -122.425332, "
          + "\"name\": \"META HQ\", \"address\": \"1 Hacker Way, Menlo Park, CA 94025\"}");
      assertThat(diff(o.message(), message("location"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("location"));
      assertThat(o.text()).isEqualTo("META HQ");
    }

    @Test
    void locationWithCoordinatesAsStringsStillSendsNumbers() {
      Outgoing o = one("{\"type\": \"location\", \"latitude\": \"37.758056\", \"longitude\": \"-122.425332\"}");
      // name and address are optional (the contract marks them so)
      assertThat(diff(o.message(), message("location")))
          .isEqualTo(Diff.NONE.meta("location.name", "location.address"));
    }

    @Test
    void buttons() {
      Outgoing o = one("""
          {"type": "buttons", "content": "<BUTTON_TEXT>", "buttons": [
            {"id": "<UNIQUE_BUTTON_ID_1>", "title": "<BUTTON_TITLE_1>"},
            {"id": "<UNIQUE_BUTTON_ID_2>", "title": "<BUTTON_TITLE_2>"}]}""");
      assertThat(o.type()).isEqualTo("buttons");
      assertThat(diff(o.message(), message("reply-button"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("reply-button"));
    }

    @Test
    void buttonsWithoutIdsUseTheirTitles() {
      Outgoing o = one("{\"type\": \"buttons\", \"content\": \"**Pick** one\", \"buttons\": [{\"title\": \"Yes\"}, "
          + "{\"title\": \"No\"}]}");
      assertThat(diff(o.message(), message("reply-button"))).isEqualTo(Diff.NONE);
      JsonNode interactive = o.message().get("interactive");
      assertThat(interactive.get("body").get("text").asString()).isEqualTo("*Pick* one");
      assertThat(interactive.get("action").get("buttons").get(1).get("reply"))
          .isEqualTo(Json.parse("{\"id\": \"No\", \"title\": \"No\"}"));
    }

    @Test
    void list() {
      Outgoing o = one("""
          {"type": "list", "header": "<HEADER_TEXT>", "content": "<BODY_TEXT>", "footer": "<FOOTER_TEXT>",
           "button": "<BUTTON_TEXT>", "sections": [
            {"title": "<LIST_SECTION_1_TITLE>", "rows": [
              {"id": "<LIST_SECTION_1_ROW_1_ID>", "title": "<SECTION_1_ROW_1_TITLE>",
               "description": "<SECTION_1_ROW_1_DESC>"},
              {"id": "<LIST_SECTION_1_ROW_2_ID>", "title": "<SECTION_1_ROW_2_TITLE>",
               "description": "<SECTION_1_ROW_2_DESC>"}]},
            {"title": "<LIST_SECTION_2_TITLE>", "rows": [
              {"id": "<LIST_SECTION_2_ROW_1_ID>", "title": "<SECTION_2_ROW_1_TITLE>",
               "description": "<SECTION_2_ROW_1_DESC>"},
              {"id": "<LIST_SECTION_2_ROW_2_ID>", "title": "<SECTION_2_ROW_2_TITLE>",
               "description": "<SECTION_2_ROW_2_DESC>"}]}]}""");
      assertThat(o.type()).isEqualTo("list");
      assertThat(diff(o.message(), message("list"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("list"));
    }

    @Test
    void listInTheContractsMinimalForm() {
      Outgoing o = one("""
          {"type": "list", "content": "Choose", "button": "Menu", "sections": [
            {"title": "Drinks", "rows": [{"id": "tea", "title": "Tea"}, {"id": "cof", "title": "Coffee",
             "description": "Black"}]}]}""");
      // header and footer are optional and not asked for here
      assertThat(diff(o.message(), message("list")))
          .isEqualTo(Diff.NONE.meta("interactive.header", "interactive.footer"));
    }

    @Test
    void templateWithComponents() {
      ObjectNode reply = Json.object().put("type", "template").put("name", "template-name")
          .put("language", "language-and-locale-code");
      reply.set("components", message("template").get("template").get("components"));
      Outgoing o = one(reply);
      assertThat(o.type()).isEqualTo("template");
      assertThat(diff(o.message(), message("template"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("template"));
    }

    @Test
    void templateWithoutComponents() {
      Outgoing o = one("{\"type\": \"template\", \"name\": \"hello_world\", \"language\": \"en_US\"}");
      assertThat(diff(o.message(), message("template-no-components"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("template-no-components"));
    }

    @Test
    void templateLanguageInMetasShapePassesThrough() {
      Outgoing o = one("{\"type\": \"template\", \"name\": \"hello_world\", "
          + "\"language\": {\"code\": \"en_US\", \"policy\": \"deterministic\"}}");
      // policy is Meta's optional language field (reference section 2); the example omits it
      assertThat(diff(o.message(), message("template-no-components")))
          .isEqualTo(Diff.NONE.ours("template.language.policy"));
    }

    @Test
    void reaction() {
      Outgoing o = one("{\"type\": \"reaction\", \"emoji\": \"😀\"}");
      assertThat(o.type()).isEqualTo("reaction");
      // "to the message being answered": the parser does not know that message; OutboundQueue puts its wamid in
      // reaction.message_id (or fails the reaction when there is none)
      assertThat(diff(o.message(), message("reaction"))).isEqualTo(Diff.NONE.meta("reaction.message_id"));
      assertThat(o.message()).isEqualTo(Json.parse("{\"type\": \"reaction\", \"reaction\": {\"emoji\": \"😀\"}}"));
    }

    @Test
    void reactionToAGivenMessage() {
      Outgoing o = one("{\"type\": \"reaction\", \"emoji\": \"😀\", \"message_id\": \"wamid.HBgLM...\"}");
      assertThat(diff(o.message(), message("reaction"))).isEqualTo(Diff.NONE);
      assertThat(o.message()).isEqualTo(message("reaction"));
    }

    @Test
    void theExamplesAreTheWholeBodyTheSenderPosts() {
      // guard for the comparison itself: Meta's examples minus the envelope are exactly {"type", T}
      for (String name : List.of("text", "image", "video", "audio", "document", "sticker", "contacts", "location",
          "reply-button", "list", "template", "reaction")) {
        ObjectNode m = message(name);
        String type = m.get("type").asString();
        assertThat(m.propertyNames()).as(name).containsExactlyInAnyOrder("type", type);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 2. Limits: an invalid message fails alone, naming its field
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class Limits {
    @Test
    void imageWithoutUrl() {
      Invalid i = invalid("{\"type\": \"image\", \"caption\": \"look\"}");
      assertThat(i.type()).isEqualTo("image");
      assertThat(i.field()).isEqualTo("url");
      assertThat(i.message()).startsWith("url: ");
    }

    @Test
    void mediaUrlThatIsNotHttp() {
      assertThat(invalid("{\"type\": \"video\", \"url\": \"ftp://x.example/a.mp4\"}").field()).isEqualTo("url");
      assertThat(invalid("{\"type\": \"document\", \"url\": \"cat.png\"}").field()).isEqualTo("url");
    }

    @Test
    void fourButtons() {
      Invalid i = invalid(buttons("{\"title\": \"a\"}, {\"title\": \"b\"}, {\"title\": \"c\"}, {\"title\": \"d\"}"));
      assertThat(i.field()).isEqualTo("buttons");
      assertThat(i.reason()).contains("1 to 3").contains("4");
    }

    @Test
    void noButtons() {
      assertThat(invalid(buttons("")).field()).isEqualTo("buttons");
      assertThat(invalid("{\"type\": \"buttons\", \"content\": \"Pick\"}").field()).isEqualTo("buttons");
    }

    @Test
    void buttonsWithoutBody() {
      assertThat(invalid("{\"type\": \"buttons\", \"buttons\": [{\"title\": \"a\"}]}").field()).isEqualTo("content");
    }

    @Test
    void buttonTitleOf21Characters() {
      Invalid i = invalid(buttons("{\"title\": \"" + "x".repeat(21) + "\"}"));
      assertThat(i.field()).isEqualTo("buttons[0].title");
      assertThat(i.reason()).contains("20");
      assertThat(one(buttons("{\"title\": \"" + "x".repeat(20) + "\"}")).type()).isEqualTo("buttons");
    }

    @Test
    void duplicateButtonTitles() {
      Invalid i = invalid(buttons("{\"id\": \"1\", \"title\": \"Yes\"}, {\"id\": \"2\", \"title\": \"Yes\"}"));
      assertThat(i.field()).isEqualTo("buttons[1].title");
      assertThat(i.reason()).contains("unique");
    }

    @Test
    void duplicateButtonIds() {
      // Meta: each button id must be unique; otherwise the webhook cannot tell which one was tapped
      Invalid i = invalid(buttons("{\"id\": \"x\", \"title\": \"Yes\"}, {\"id\": \"x\", \"title\": \"No\"}"));
      assertThat(i.field()).isEqualTo("buttons[1].id");
    }

    @Test
    void listWith11RowsInAll() {
      String six = rows(6, 0);
      String five = rows(5, 6);
      Invalid i = invalid("{\"type\": \"list\", \"content\": \"c\", \"button\": \"Open\", \"sections\": ["
          + "{\"title\": \"A\", \"rows\": [" + six + "]}, {\"title\": \"B\", \"rows\": [" + five + "]}]}");
      assertThat(i.field()).isEqualTo("sections");
      assertThat(i.reason()).contains("10").contains("11");
      assertThat(one("{\"type\": \"list\", \"content\": \"c\", \"button\": \"Open\", \"sections\": ["
          + "{\"title\": \"A\", \"rows\": [" + rows(5, 0) + "]}, {\"title\": \"B\", \"rows\": [" + five + "]}]}")
          .type()).isEqualTo("list");
    }

    @Test
    void listRowTitleOver24() {
      Invalid i = invalid(list("{\"id\": \"a\", \"title\": \"" + "t".repeat(25) + "\"}"));
      assertThat(i.field()).isEqualTo("sections[0].rows[0].title");
      assertThat(i.reason()).contains("24");
    }

    @Test
    void listRowDescriptionOver72() {
      Invalid i = invalid(list("{\"id\": \"a\", \"title\": \"A\"}, {\"id\": \"b\", \"title\": \"B\", "
          + "\"description\": \"" + "d".repeat(73) + "\"}"));
      assertThat(i.field()).isEqualTo("sections[0].rows[1].description");
      assertThat(i.reason()).contains("72");
      assertThat(one(list("{\"id\": \"b\", \"title\": \"B\", \"description\": \"" + "d".repeat(72) + "\"}"))
          .type()).isEqualTo("list");
    }

    @Test
    void listWithoutButton() {
      Invalid i = invalid("{\"type\": \"list\", \"content\": \"c\", \"sections\": [{\"rows\": [{\"title\": \"A\"}]}]}");
      assertThat(i.type()).isEqualTo("list");
      assertThat(i.field()).isEqualTo("button");
    }

    @Test
    void locationLatitude91() {
      Invalid i = invalid("{\"type\": \"location\", \"latitude\": 91, \"longitude\": 4.89}");
      assertThat(i.type()).isEqualTo("location");
      assertThat(i.field()).isEqualTo("latitude");
    }

    @Test
    void locationWithoutLongitude() {
      assertThat(invalid("{\"type\": \"location\", \"latitude\": 52.37}").field()).isEqualTo("longitude");
    }

    @Test
    void locationNotANumber() {
      // "NaN" parses as a double and passes every range check; it must not reach Meta (it is not JSON)
      assertThat(invalid("{\"type\": \"location\", \"latitude\": \"NaN\", \"longitude\": 4.89}").field())
          .isEqualTo("latitude");
      assertThat(invalid("{\"type\": \"location\", \"latitude\": 52.37, \"longitude\": \"Infinity\"}").field())
          .isEqualTo("longitude");
    }

    @Test
    void contactWithoutPhone() {
      Invalid i = invalid("{\"type\": \"contact\", \"name\": \"Ann\"}");
      assertThat(i.type()).isEqualTo("contact");
      assertThat(i.field()).isEqualTo("phone");
    }

    @Test
    void contactWithoutName() {
      assertThat(invalid("{\"type\": \"contact\", \"phone\": \"+31612345678\"}").field()).isEqualTo("name");
    }

    @Test
    void contactsInMetasShapeWithoutFormattedName() {
      Invalid i = invalid("{\"type\": \"contacts\", \"contacts\": [{\"name\": {\"formatted_name\": \"A\"}}, "
          + "{\"name\": {\"first_name\": \"B\"}}]}");
      assertThat(i.field()).isEqualTo("contacts[1].name.formatted_name");
      assertThat(invalid("{\"type\": \"contacts\", \"contacts\": []}").field()).isEqualTo("contacts");
    }

    @Test
    void templateWithoutName() {
      Invalid i = invalid("{\"type\": \"template\", \"language\": \"en_US\"}");
      assertThat(i.type()).isEqualTo("template");
      assertThat(i.field()).isEqualTo("name");
    }

    @Test
    void templateLanguageThatIsNoCode() {
      assertThat(invalid("{\"type\": \"template\", \"name\": \"t\", \"language\": {\"policy\": \"deterministic\"}}")
          .field()).isEqualTo("language.code");
      assertThat(invalid("{\"type\": \"template\", \"name\": \"t\", \"language\": 5}").field()).isEqualTo("language");
      assertThat(invalid("{\"type\": \"template\", \"name\": \"t\", \"language\": \" \"}").field()).isEqualTo("language");
      // no language at all keeps the documented default
      assertThat(one("{\"type\": \"template\", \"name\": \"t\"}").message().get("template").get("language"))
          .isEqualTo(Json.parse("{\"code\": \"en_US\"}"));
    }

    @Test
    void templateComponentsNotAnArray() {
      assertThat(invalid("{\"type\": \"template\", \"name\": \"t\", \"components\": {\"type\": \"body\"}}").field())
          .isEqualTo("components");
    }

    @Test
    void reactionWithoutEmoji() {
      Invalid i = invalid("{\"type\": \"reaction\"}");
      assertThat(i.type()).isEqualTo("reaction");
      assertThat(i.field()).isEqualTo("emoji");
    }

    @Test
    void emptyEmojiRemovesAReaction() {
      assertThat(one("{\"type\": \"reaction\", \"emoji\": \"\"}").message().get("reaction").get("emoji").asString())
          .isEmpty();
    }

    @Test
    void captionOver1024IsSentAfterTheMediaAsText() {
      String caption = "**Note:** " + "word ".repeat(250).strip();
      String formatted = "*Note:* " + "word ".repeat(250).strip();
      assertThat(formatted.length()).isGreaterThan(1024).isLessThan(4096);
      List<Draft> drafts = parse("{\"type\": \"image\", \"url\": \"https://cdn.example.com/cat.jpg\", \"caption\": \""
          + caption + "\"}");
      assertThat(drafts).hasSize(2);
      Outgoing image = (Outgoing) drafts.get(0);
      assertThat(image.type()).isEqualTo("image");
      assertThat(image.message()).isEqualTo(media("image", "link", "https://cdn.example.com/cat.jpg"));
      Outgoing text = (Outgoing) drafts.get(1);
      assertThat(text.type()).isEqualTo("text");
      // formatted once: Markdown **Note:** is WhatsApp's *Note:*, not _Note:_ (a second pass would read it as italic)
      assertThat(text.message().get("text").get("body").asString()).isEqualTo(formatted);
    }

    @Test
    void captionOf1024StaysACaption() {
      String caption = "c".repeat(1024);
      Outgoing o = one("{\"type\": \"document\", \"url\": \"https://x.example/a.pdf\", \"caption\": \"" + caption
          + "\"}");
      assertThat(o.message().get("document").get("caption").asString()).isEqualTo(caption);
    }

    @Test
    void captionOverTheTextLimitFollowsAsSeveralTexts() {
      String caption = ("A sentence of some length. ".repeat(20) + "\n\n").repeat(10).strip();
      List<Draft> drafts = parse("{\"type\": \"video\", \"url\": \"https://x.example/v.mp4\", \"caption\": "
          + Json.string(caption) + "}");
      assertThat(drafts).hasSizeGreaterThan(2);
      assertThat(drafts.get(0).type()).isEqualTo("video");
      assertThat(((Outgoing) drafts.get(0)).message().get("video").has("caption")).isFalse();
      StringBuilder all = new StringBuilder();
      for (Draft d : drafts.subList(1, drafts.size())) {
        String body = ((Outgoing) d).message().get("text").get("body").asString();
        assertThat(body.length()).isLessThanOrEqualTo(4096);
        all.append(body);
      }
      assertThat(noSpace(all.toString())).isEqualTo(noSpace(caption));
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio", "sticker"})
    void captionOnMediaThatCannotHaveOneFollowsAsText(String type) {
      // Meta takes no caption on audio or a sticker; the agent's words still reach the customer
      List<Draft> drafts = parse("{\"type\": \"" + type + "\", \"url\": \"https://x.example/f\", \"caption\": "
          + "\"**Listen**\"}");
      assertThat(drafts).hasSize(2);
      Outgoing media = (Outgoing) drafts.get(0);
      assertThat(media.message()).isEqualTo(media(type, "link", "https://x.example/f"));
      assertThat(diff(media.message(), message(type))).isEqualTo(Diff.NONE);
      assertThat(((Outgoing) drafts.get(1)).message().get("text").get("body").asString()).isEqualTo("*Listen*");
    }

    @Test
    void oneInvalidMessageAmongValidOnesFailsAlone() {
      List<Draft> drafts = parse("""
          {"messages": [
            {"type": "message", "content": "one"},
            {"type": "image", "caption": "no url"},
            {"type": "location", "latitude": 52.37, "longitude": 4.89},
            {"type": "list", "content": "c", "button": "b", "sections": [{"rows": [{"title": "%s"}]}]},
            "five"]}""".formatted("t".repeat(25)));
      assertThat(drafts).hasSize(5);
      assertThat(body(drafts.get(0))).isEqualTo("one");
      Invalid bad = (Invalid) drafts.get(1);
      assertThat(bad.type()).isEqualTo("image");
      assertThat(bad.field()).isEqualTo("messages[1].url");
      assertThat(bad.message()).startsWith("messages[1].url: ");
      assertThat(drafts.get(2).type()).isEqualTo("location");
      assertThat(((Invalid) drafts.get(3)).field()).isEqualTo("messages[3].sections[0].rows[0].title");
      assertThat(body(drafts.get(4))).isEqualTo("five");
    }

    @Test
    void inATopLevelArrayTheIndexPrefixesTheField() {
      List<Draft> drafts = parse("[{\"type\": \"reaction\", \"emoji\": \"👍\"}, {\"type\": \"buttons\", "
          + "\"content\": \"x\", \"buttons\": [{\"title\": \"" + "y".repeat(21) + "\"}]}, \"after\"]");
      assertThat(drafts).hasSize(3);
      assertThat(drafts.get(0).type()).isEqualTo("reaction");
      assertThat(((Invalid) drafts.get(1)).field()).isEqualTo("[1].buttons[0].title");
      assertThat(body(drafts.get(2))).isEqualTo("after");
    }

    private String buttons(String items) {
      return "{\"type\": \"buttons\", \"content\": \"Pick\", \"buttons\": [" + items + "]}";
    }

    private String list(String rows) {
      return "{\"type\": \"list\", \"content\": \"c\", \"button\": \"Open\", \"sections\": [{\"title\": \"S\", "
          + "\"rows\": [" + rows + "]}]}";
    }

    private String rows(int n, int from) {
      StringBuilder sb = new StringBuilder();
      for (int i = from; i < from + n; i++) {
        sb.append(sb.isEmpty() ? "" : ", ").append("{\"id\": \"r").append(i).append("\", \"title\": \"Row ")
            .append(i).append("\"}");
      }
      return sb.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 3. Reply body forms (docs/contract.md section 6)
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class BodyForms {
    @Test
    void messageWithMarkdownBecomesWhatsAppFormattedText() {
      List<Draft> drafts = response(200, "application/json", "{\"type\":\"message\",\"content\":\"**hi**\"}");
      assertThat(drafts).hasSize(1);
      Outgoing o = (Outgoing) drafts.get(0);
      assertThat(o.type()).isEqualTo("text");
      assertThat(o.text()).isEqualTo("*hi*");
      assertThat(o.message()).isEqualTo(Json.parse("{\"type\": \"text\", \"text\": {\"body\": \"*hi*\", "
          + "\"preview_url\": false}}"));
    }

    @Test
    void contentWithoutTypeIsAMessage() {
      assertThat(bodies(response(200, "application/json", "{\"content\": \"hello\"}"))).containsExactly("hello");
    }

    @Test
    void messageWithoutContentIsInvalid() {
      Invalid i = invalid("{\"type\": \"message\"}");
      assertThat(i.type()).isEqualTo("text");
      assertThat(i.field()).isEqualTo("content");
    }

    @Test
    void nothingIsSent() {
      assertThat(response(200, "application/json", "{\"content\":\"No CUSTOMER message reply\"}")).isEmpty();
      assertThat(response(200, "application/json", "{\"type\":\"message\",\"content\":\" no customer message reply\\n\"}"))
          .isEmpty();
      assertThat(response(200, "application/json", "{\"type\":\"none\"}")).isEmpty();
      assertThat(response(200, "application/json", "")).isEmpty();
      assertThat(response(200, "application/json", " \n ")).isEmpty();
      assertThat(PARSER.parseResponse(200, "application/json", null)).isEmpty();
      assertThat(response(204, null, "")).isEmpty();
      // 204 means no content whatever a misbehaving server puts after it
      assertThat(response(204, "application/json", "{\"type\":\"message\",\"content\":\"x\"}")).isEmpty();
      assertThat(response(200, "text/plain", "No CUSTOMER message reply")).isEmpty();
      assertThat(response(200, "application/json", "\"No CUSTOMER message reply\"")).isEmpty();
      assertThat(response(200, "application/json", "null")).isEmpty();
    }

    @Test
    void topLevelArrayIsSentInOrder() {
      List<Draft> drafts = response(200, "application/json", """
          ["first", {"type": "message", "content": "second"},
           {"type": "image", "url": "https://cdn.example.com/3.png"}, {"type": "none"}, "fourth"]""");
      assertThat(drafts).extracting(Draft::type).containsExactly("text", "text", "image", "text");
      assertThat(body(drafts.get(0))).isEqualTo("first");
      assertThat(body(drafts.get(1))).isEqualTo("second");
      assertThat(body(drafts.get(3))).isEqualTo("fourth");
    }

    @Test
    void messagesArrayIsSentInOrder() {
      List<Draft> drafts = response(200, "application/json", """
          {"messages": [{"type": "message", "content": "a"}, {"type": "reaction", "emoji": "👍"},
                        {"type": "message", "content": "b"}]}""");
      assertThat(drafts).extracting(Draft::type).containsExactly("text", "reaction", "text");
      assertThat(body(drafts.get(0))).isEqualTo("a");
      assertThat(body(drafts.get(2))).isEqualTo("b");
    }

    @Test
    void contentThatIsAnObjectBecomesReadableText() {
      List<Draft> drafts = response(200, "application/json",
          "{\"type\": \"message\", \"content\": {\"order\": \"A-17\", \"status\": \"shipped\", \"total\": 12.5}}");
      assertThat(bodies(drafts)).containsExactly("order: A-17\nstatus: shipped\ntotal: 12.5");
    }

    @Test
    void contentThatIsAnArrayBecomesReadableText() {
      List<Draft> drafts = response(200, "application/json", "{\"content\": [\"tea\", \"coffee\"]}");
      assertThat(bodies(drafts)).containsExactly("- tea\n- coffee");
    }

    @Test
    void arrayOfObjectsBecomesOneDashedItemPerObject() {
      List<String> bodies = bodies(response(200, "application/json",
          "{\"content\": [{\"name\": \"Tea\", \"price\": 2.5}, {\"name\": \"Coffee\", \"price\": 3}]}"));
      assertThat(bodies).hasSize(1);
      assertThat(bodies.get(0)).contains("- name: Tea", "price: 2.5", "- name: Coffee", "price: 3")
          .doesNotContain("-\n");
    }

    @Test
    void objectWithAnUnknownTypeBecomesReadableText() {
      List<Draft> drafts = response(200, "application/json",
          "{\"type\": \"weather\", \"city\": \"Amsterdam\", \"celsius\": 12}");
      assertThat(bodies(drafts)).containsExactly("type: weather\ncity: Amsterdam\ncelsius: 12");
    }

    @Test
    void objectWithNoTypeAndNoContentBecomesReadableText() {
      // with no text field an agent framework answers in (FrameworkReplyTest), the whole object is the message
      assertThat(bodies(response(200, "application/json", "{\"verdict\": \"yes\", \"confidence\": 0.9}")))
          .containsExactly("verdict: yes\nconfidence: 0.9");
    }

    @Test
    void plainTextBodyIsText() {
      assertThat(bodies(response(200, "text/plain; charset=utf-8", "Hello **there**"))).containsExactly("Hello *there*");
      // JSON-looking scalars in a text/plain body are still just what the agent wrote
      assertThat(bodies(response(200, "text/plain", "null"))).containsExactly("null");
      assertThat(bodies(response(200, "text/plain", "\"quoted\""))).containsExactly("\"quoted\"");
    }

    @Test
    void bodyThatIsNotJsonIsTextWhateverTheContentType() {
      assertThat(bodies(response(200, null, "Sure, see you at 5."))).containsExactly("Sure, see you at 5.");
      assertThat(bodies(response(200, "application/octet-stream", "ok then"))).containsExactly("ok then");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "text/html; charset=utf-8", "Text/HTML"})
    void htmlBodyIsUnreadable(String contentType) {
      assertThatThrownBy(() -> response(502, contentType, "<html><body><h1>Bad Gateway</h1></body></html>"))
          .isInstanceOf(UnreadableReplyException.class)
          .hasMessageContaining("text/html");
    }

    @Test
    void invalidJsonDeclaredAsJsonIsUnreadable() {
      assertThatThrownBy(() -> response(200, "application/json", "{\"type\": \"message\", \"content\": "))
          .isInstanceOf(UnreadableReplyException.class);
    }

    @Test
    void jsonNumbersAndBooleansAreText() {
      assertThat(bodies(response(200, "application/json", "42"))).containsExactly("42");
      assertThat(bodies(response(200, "application/json", "true"))).containsExactly("true");
      assertThat(bodies(response(200, "application/json", "false"))).containsExactly("false");
      // as written, not as a double would print it (100.0, 1.5)
      assertThat(bodies(response(200, "application/json", "1e2"))).containsExactly("1e2");
      assertThat(bodies(response(200, "application/json", " 1.50\n"))).containsExactly("1.50");
      assertThat(bodies(response(200, "application/json", "[7, true]"))).containsExactly("7", "true");
      assertThat(bodies(response(200, "application/json", "\"a JSON string\""))).containsExactly("a JSON string");
    }

    @Test
    void textOver4096IsSplitWithoutLosingCharacters() {
      StringBuilder sb = new StringBuilder();
      for (int p = 0; p < 24; p++) {
        for (int s = 0; s < 9; s++) {
          sb.append("Paragraph ").append(p).append(" sentence ").append(s).append(" tells a little more. ");
        }
        sb.append("\n\n");
      }
      String text = sb.toString().strip();
      assertThat(text.length()).isGreaterThan(2 * 4096);
      List<Draft> drafts = response(200, "application/json", Json.string(Json.object().put("type", "message")
          .put("content", text)));
      assertThat(drafts.size()).isGreaterThanOrEqualTo(3);
      StringBuilder joined = new StringBuilder();
      for (Draft d : drafts) {
        Outgoing o = (Outgoing) d;
        assertThat(o.type()).isEqualTo("text");
        String b = body(o);
        assertThat(b.length()).isLessThanOrEqualTo(ReplyParser.TEXT_LIMIT);
        assertThat(o.text()).isEqualTo(b);
        assertThat(diff(o.message(), message("text"))).isEqualTo(Diff.NONE);
        joined.append(b);
      }
      assertThat(noSpace(joined.toString())).isEqualTo(noSpace(text));
      // the cuts go at paragraph ends
      assertThat(body(drafts.get(0))).endsWith("tells a little more.");
    }

    @Test
    void textDraftsIsTheSameTextPipeline() {
      assertThat(bodies(new ReplyParser().textDrafts("Sorry, **try again** later."))).containsExactly(
          "Sorry, *try again* later.");
      assertThat(new ReplyParser().textDrafts(ReplyParser.NO_REPLY)).isEmpty();
      assertThat(new ReplyParser().textDrafts(null)).isEmpty();
    }

    @Test
    void parseOfNullIsNothing() {
      assertThat(PARSER.parse(null)).isEmpty();
      assertThat(PARSER.parse(Json.parse("null"))).isEmpty();
      assertThat(PARSER.parse(Json.parse("[]"))).isEmpty();
      assertThat(PARSER.parse(Json.parse("{\"messages\": []}"))).isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The message cap (issue 11, finding 7)
  // ---------------------------------------------------------------------------------------------------------------

  @Nested
  class Cap {
    @Test
    void aHugeArrayIsRenderedOnlyPastTheCapSoItCostsLittle() {
      String items = "[" + String.join(",", java.util.Collections.nCopies(100_000, "\"**m**\"")) + "]";
      List<Draft> drafts = parse(items);
      assertThat(drafts).hasSize(ReplyParser.MAX_MESSAGES + 1);
      assertThat(parse("{\"messages\": " + items + "}")).hasSize(ReplyParser.MAX_MESSAGES + 1);
    }

    @Test
    void exactlyTheCapIsWhole() {
      assertThat(parse("[" + String.join(",", java.util.Collections.nCopies(50, "\"m\"")) + "]")).hasSize(50);
    }

    @Test
    void theCapCountsWhatsAppMessagesSoALongTextCountsOncePerPart() {
      List<Draft> drafts = parse("{\"type\": \"text\", \"content\": \"" + "x".repeat(51 * 4096) + "\"}");
      assertThat(drafts).hasSizeGreaterThan(ReplyParser.MAX_MESSAGES);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static List<Draft> parse(String json) {
    return PARSER.parse(Json.parse(json));
  }

  private static List<Draft> response(int status, String contentType, String body) {
    return PARSER.parseResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static Outgoing one(String json) {
    return one(Json.parse(json));
  }

  private static Outgoing one(JsonNode reply) {
    List<Draft> drafts = PARSER.parse(reply);
    assertThat(drafts).hasSize(1);
    assertThat(drafts.get(0)).isInstanceOf(Outgoing.class);
    return (Outgoing) drafts.get(0);
  }

  private static Invalid invalid(String json) {
    List<Draft> drafts = parse(json);
    assertThat(drafts).hasSize(1);
    assertThat(drafts.get(0)).isInstanceOf(Invalid.class);
    return (Invalid) drafts.get(0);
  }

  /** {@code {"type": type, type: {k1: v1, …}}}. */
  private static ObjectNode media(String type, String... keysAndValues) {
    ObjectNode m = Json.object().put("type", type);
    ObjectNode o = m.putObject(type);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      o.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static String body(Draft d) {
    assertThat(d).isInstanceOf(Outgoing.class);
    assertThat(d.type()).isEqualTo("text");
    return ((Outgoing) d).message().get("text").get("body").asString();
  }

  private static List<String> bodies(List<Draft> drafts) {
    return drafts.stream().map(ReplyParserTest::body).toList();
  }

  private static String noSpace(String s) {
    return s.replaceAll("\\s+", "");
  }
}
