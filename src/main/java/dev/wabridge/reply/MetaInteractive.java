package dev.wabridge.reply;

import static dev.wabridge.reply.MetaRules.absent;
import static dev.wabridge.reply.MetaRules.array;
import static dev.wabridge.reply.MetaRules.at;
import static dev.wabridge.reply.MetaRules.constant;
import static dev.wabridge.reply.MetaRules.item;
import static dev.wabridge.reply.MetaRules.object;
import static dev.wabridge.reply.MetaRules.optionalObject;
import static dev.wabridge.reply.MetaRules.optionalString;
import static dev.wabridge.reply.MetaRules.string;
import static dev.wabridge.reply.MetaRules.unique;

import dev.wabridge.support.Json;
import dev.wabridge.reply.MetaRules.Bad;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's rules for {@code "type": "interactive"} messages, one method per interactive type (limits from
 * Meta's interactive message reference and its OpenAPI
 * schemas). Header, body and footer follow the common rules (header text and footer at most 60 characters, body at
 * most 1024) unless the type says otherwise. Meta's interactive types without rules of their own here
 * ({@code call_permission_request}, {@code voice_call}, {@code address_message}, {@code order_details},
 * {@code order_status}) get the common checks and an action object.
 */
final class MetaInteractive {
  static final List<String> TYPES = List.of("button", "list", "cta_url", "location_request_message", "flow", "product",
      "product_list", "catalog_message", "carousel", "call_permission_request", "voice_call", "address_message",
      "order_details", "order_status");
  private static final String P = "interactive";
  private static final String ACTION = "interactive.action";
  private static final int BODY = 1024;
  private static final Set<String> ANY_HEADER = Set.of("text", "image", "video", "document");
  private static final Set<String> TEXT_HEADER = Set.of("text");
  private static final Set<String> MEDIA_HEADER = Set.of("image", "video");

  private MetaInteractive() {
  }

  /** "buttons" and "list" as wabridge's own shapes of the same messages are called; "interactive" for the rest. */
  static String ourType(JsonNode m) {
    String type = Json.text(Json.obj(m, "interactive"), "type");
    type = type == null ? "" : type.toLowerCase(Locale.ROOT);
    return type.equals("button") ? "buttons" : type.equals("list") ? "list" : "interactive";
  }

  /** Checks {@code m.interactive}; returns the text the history shows (the body, if there is one). */
  static String check(ObjectNode m) {
    ObjectNode i = object(m, "interactive", "");
    String type = MetaRules.oneOf(i, "type", P, Set.copyOf(TYPES), String.join(", ", TYPES));
    switch (type) {
      case "button" -> {
        common(i, ANY_HEADER, BODY);
        buttons(object(i, "action", P));
      }
      case "list" -> {
        common(i, TEXT_HEADER, ReplyParser.TEXT_LIMIT);
        list(object(i, "action", P));
      }
      case "cta_url" -> {
        common(i, ANY_HEADER, BODY);
        ctaUrl(object(i, "action", P), ACTION);
      }
      case "location_request_message" -> {
        absent(i, "header", P, "is not allowed on a location request");
        absent(i, "footer", P, "is not allowed on a location request");
        common(i, Set.of(), BODY);
        constant(object(i, "action", P), "name", ACTION, "send_location");
      }
      case "flow" -> {
        common(i, ANY_HEADER, BODY);
        flow(object(i, "action", P));
      }
      case "product" -> {
        absent(i, "header", P, "is not allowed on a single-product message");
        footer(i, P);
        optionalBody(i, P, BODY);
        ObjectNode action = object(i, "action", P);
        MetaRules.id(action, "catalog_id", ACTION);
        MetaRules.id(action, "product_retailer_id", ACTION);
      }
      case "product_list" -> {
        if (!i.has("header")) {
          throw new Bad("interactive.header", "is required on a multi-product message: a text header");
        }
        common(i, TEXT_HEADER, BODY);
        productList(object(i, "action", P));
      }
      case "catalog_message" -> {
        common(i, ANY_HEADER, BODY);
        ObjectNode action = object(i, "action", P);
        constant(action, "name", ACTION, "catalog_message");
        ObjectNode parameters = optionalObject(action, "parameters", ACTION);
        if (parameters != null) {
          optionalString(parameters, "thumbnail_product_retailer_id", ACTION + ".parameters", 0);
        }
      }
      case "carousel" -> {
        absent(i, "header", P, "is not allowed on a carousel (each card has its own)");
        absent(i, "footer", P, "is not allowed on a carousel");
        common(i, Set.of(), BODY);
        cards(object(i, "action", P));
      }
      default -> {
        common(i, ANY_HEADER, BODY);
        object(i, "action", P);
      }
    }
    return Json.text(Json.obj(i, "body"), "text");
  }

  /** A header of one of {@code headers} (none when empty), a required body of at most {@code max}, a footer. */
  private static void common(ObjectNode i, Set<String> headers, int max) {
    if (!headers.isEmpty()) {
      header(i, P, headers);
    }
    ObjectNode body = object(i, "body", P);
    string(body, "text", "interactive.body", max);
    footer(i, P);
  }

  private static void optionalBody(ObjectNode parent, String path, int max) {
    ObjectNode body = optionalObject(parent, "body", path);
    if (body != null) {
      string(body, "text", at(path, "body"), max);
    }
  }

  private static void footer(ObjectNode parent, String path) {
    ObjectNode footer = optionalObject(parent, "footer", path);
    if (footer != null) {
      string(footer, "text", at(path, "footer"), 60);
    }
  }

  /** The optional header at {@code path}: text (at most 60 characters) or a media object of its type. */
  private static void header(ObjectNode parent, String path, Set<String> allowed) {
    ObjectNode header = optionalObject(parent, "header", path);
    if (header == null) {
      return;
    }
    String hf = at(path, "header");
    String type = MetaRules.oneOf(header, "type", hf, allowed, String.join(", ", allowed.stream().sorted().toList()));
    if (type.equals("text")) {
      string(header, "text", hf, 60);
      optionalString(header, "sub_text", hf, 60);
    } else {
      MetaRules.media(header, type, hf);
    }
  }

  /** Reply buttons: 1 to 3, each {@code {"type": "reply", "reply": {id ≤ 256, title ≤ 20}}}, ids and titles unique. */
  private static void buttons(ObjectNode action) {
    buttons(action, ACTION, "reply", "buttons");
  }

  /**
   * 1 to 3 buttons at {@code path.buttons}, each {@code {"type": kind, kind: {"id", "title"}}}: ids at most 256
   * characters without edge spaces, titles at most 20, both unique among the buttons. Returns how many there are.
   */
  private static int buttons(ObjectNode action, String path, String kind, String noun) {
    ArrayNode buttons = array(action, "buttons", path, 1, 3, noun);
    Set<String> ids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    for (int b = 0; b < buttons.size(); b++) {
      String bf = at(path + ".buttons", b);
      ObjectNode button = item(buttons, b, path + ".buttons");
      constant(button, "type", bf, kind);
      ObjectNode reply = object(button, kind, bf);
      String rf = at(bf, kind);
      String id = string(reply, "id", rf, 256);
      if (!id.equals(id.strip())) {
        throw new Bad(at(rf, "id"), "must not start or end with a space");
      }
      unique(ids, id, at(rf, "id"), "the buttons");
      unique(titles, string(reply, "title", rf, 20), at(rf, "title"), "the buttons");
    }
    return buttons.size();
  }

  /** A list: its button (at most 20), 1 to 10 sections, at most 10 rows in all, row ids unique. */
  private static void list(ObjectNode action) {
    string(action, "button", ACTION, 20);
    ArrayNode sections = array(action, "sections", ACTION, 1, 10, "sections");
    Set<String> ids = new HashSet<>();
    int rows = 0;
    for (int s = 0; s < sections.size(); s++) {
      String sf = at(ACTION + ".sections", s);
      ObjectNode section = item(sections, s, ACTION + ".sections");
      sectionTitle(section, sf, sections.size());
      ArrayNode sectionRows = array(section, "rows", sf, 1, 10, "rows");
      for (int r = 0; r < sectionRows.size(); r++) {
        String rf = at(sf + ".rows", r);
        if (++rows > 10) {
          throw new Bad(rf, "at most 10 rows in all sections together");
        }
        ObjectNode row = item(sectionRows, r, sf + ".rows");
        unique(ids, string(row, "id", rf, 200), at(rf, "id"), "the list's rows");
        string(row, "title", rf, 24);
        optionalString(row, "description", rf, 72);
      }
    }
  }

  /** A section title: at most 24 characters, required when there are several sections. */
  private static void sectionTitle(ObjectNode section, String path, int sections) {
    if (sections > 1) {
      string(section, "title", path, 24);
    } else {
      optionalString(section, "title", path, 24);
    }
  }

  /** {@code {"name": "cta_url", "parameters": {display_text ≤ 20, url}}}. */
  private static void ctaUrl(ObjectNode action, String path) {
    constant(action, "name", path, "cta_url");
    ObjectNode parameters = object(action, "parameters", path);
    string(parameters, "display_text", at(path, "parameters"), 20);
    MetaRules.url(parameters, "url", at(path, "parameters"));
  }

  /** A WhatsApp Flow: version, flow_id or flow_name, its call to action, mode, action and payload. */
  private static void flow(ObjectNode action) {
    constant(action, "name", ACTION, "flow");
    ObjectNode p = object(action, "parameters", ACTION);
    String pf = ACTION + ".parameters";
    string(p, "flow_message_version", pf, 0);
    if (p.has("flow_id") == p.has("flow_name")) {
      throw new Bad(pf, "must hold exactly one of flow_id or flow_name");
    }
    if (p.has("flow_id")) {
      MetaRules.id(p, "flow_id", pf);
    } else {
      string(p, "flow_name", pf, 0);
    }
    String cta = string(p, "flow_cta", pf, 30);
    if (cta.codePoints().anyMatch(Character::isExtendedPictographic)) {
      throw new Bad(pf + ".flow_cta", "must not contain emoji");
    }
    optionalString(p, "flow_token", pf, 0);
    MetaRules.optionalOneOf(p, "mode", pf, Set.of("draft", "published"), "draft, published");
    MetaRules.optionalOneOf(p, "flow_action", pf, Set.of("navigate", "data_exchange"), "navigate, data_exchange");
    ObjectNode payload = optionalObject(p, "flow_action_payload", pf);
    if (payload != null) {
      string(payload, "screen", pf + ".flow_action_payload", 0);
      ObjectNode data = optionalObject(payload, "data", pf + ".flow_action_payload");
      if (data != null && data.isEmpty()) {
        throw new Bad(pf + ".flow_action_payload.data", "must not be empty; leave it out instead");
      }
    }
  }

  /** A catalog and 1 to 10 sections of 1 to 30 products each. */
  private static void productList(ObjectNode action) {
    MetaRules.id(action, "catalog_id", ACTION);
    ArrayNode sections = array(action, "sections", ACTION, 1, 10, "sections");
    for (int s = 0; s < sections.size(); s++) {
      String sf = at(ACTION + ".sections", s);
      ObjectNode section = item(sections, s, ACTION + ".sections");
      sectionTitle(section, sf, sections.size());
      ArrayNode items = array(section, "product_items", sf, 1, 30, "products");
      for (int p = 0; p < items.size(); p++) {
        MetaRules.id(item(items, p, sf + ".product_items"), "product_retailer_id", at(sf + ".product_items", p));
      }
    }
  }

  /**
   * A media carousel: 2 to 10 cards, each with an image or video header, an optional body (at most 160
   * characters), and either one URL button or quick-reply buttons, of the same kind and number on every card.
   */
  private static void cards(ObjectNode action) {
    ArrayNode cards = array(action, "cards", ACTION, 2, 10, "cards");
    Set<String> indexes = new HashSet<>();
    String firstKind = null;
    for (int c = 0; c < cards.size(); c++) {
      String cf = at(ACTION + ".cards", c);
      ObjectNode card = item(cards, c, ACTION + ".cards");
      JsonNode index = card.get("card_index");
      if (index == null || !index.isIntegralNumber() || index.asInt() < 0 || index.asInt() > 9) {
        throw new Bad(at(cf, "card_index"), "is required: the card's position, 0 to 9");
      }
      unique(indexes, index.asString(), at(cf, "card_index"), "the cards");
      optionalString(card, "type", cf, 0);
      if (!card.has("header")) {
        throw new Bad(at(cf, "header"), "is required: an image or video");
      }
      header(card, cf, MEDIA_HEADER);
      optionalBody(card, cf, 160);
      String kind = cardButtons(object(card, "action", cf), at(cf, "action"));
      if (firstKind == null) {
        firstKind = kind;
      } else if (!firstKind.equals(kind)) {
        throw new Bad(at(cf, "action"), "must have the same kind and number of buttons as the first card ("
            + firstKind + ")");
      }
    }
  }

  /** A card's action: a URL button, or 1 to 3 quick replies. Returns the kind and number, to compare cards by. */
  private static String cardButtons(ObjectNode action, String path) {
    if (!action.has("buttons")) {
      ctaUrl(action, path);
      return "one URL button";
    }
    int buttons = buttons(action, path, "quick_reply", "quick-reply buttons");
    return buttons + " quick-reply button" + (buttons == 1 ? "" : "s");
  }
}
