package dev.wabridge.sandbox;

import dev.wabridge.support.HttpUrls;
import dev.wabridge.support.Json;
import dev.wabridge.sandbox.GraphRequest.Invalid;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Meta's limits for interactive messages: reply buttons (1 to 3, title at most 20, unique), lists (button at most
 * 20, at most 10 sections and 10 rows in all, row title 24, description 72, unique ids), CTA URL buttons, location
 * requests, Flows, products, product lists and media carousels (Meta's interactive
 * message reference); bodies at most 1024 (4096 for lists), header and footer text at most 60.
 */
final class InteractiveRules {
  private InteractiveRules() {
  }

  private static final Set<String> TYPES = Set.of("button", "list", "cta_url", "location_request_message", "flow",
      "product", "product_list", "catalog_message", "carousel", "address_message", "call_permission_request",
      "request_contact_info");

  static void check(JsonNode o) {
    String type = Json.text(o, "type");
    if (type == null || !TYPES.contains(type)) {
      throw new Invalid("Param interactive['type'] must be one of {BUTTON, LIST, CTA_URL, LOCATION_REQUEST_MESSAGE, "
          + "FLOW, PRODUCT, PRODUCT_LIST, CATALOG_MESSAGE, CAROUSEL, ADDRESS_MESSAGE, CALL_PERMISSION_REQUEST, "
          + "REQUEST_CONTACT_INFO} - got \"" + type + "\".");
    }
    if (type.equals("product")) {
      GraphRequest.optionalString(o.path("body"), "interactive['body']['text']", "text", 1024);
    } else {
      GraphRequest.requiredString(o.path("body"), "interactive['body']['text']", "text",
          type.equals("list") ? 4096 : 1024);
    }
    JsonNode header = o.get("header");
    if (header != null && "text".equals(Json.text(header, "type"))) {
      GraphRequest.requiredString(header, "interactive['header']['text']", "text", 60);
    }
    GraphRequest.optionalString(o.path("footer"), "interactive['footer']['text']", "text", 60);
    JsonNode action = o.get("action");
    if (action == null || !action.isObject()) {
      throw new Invalid("The parameter interactive['action'] is required.");
    }
    switch (type) {
      case "button" -> buttons(action);
      case "list" -> list(action);
      case "cta_url" -> ctaUrl(action.path("parameters"), "interactive['action']['parameters']");
      case "location_request_message" -> named(action, "send_location");
      case "flow" -> flow(action);
      case "product" -> {
        GraphRequest.requiredString(action, "interactive['action']['catalog_id']", "catalog_id", 128);
        GraphRequest.requiredString(action, "interactive['action']['product_retailer_id']", "product_retailer_id",
            128);
      }
      case "product_list" -> productList(o, action);
      case "carousel" -> carousel(action);
      default -> {
        // catalog_message, address_message and the rest: Meta's own forms, taken as sent.
      }
    }
  }

  private static void named(JsonNode action, String name) {
    if (!name.equals(Json.text(action, "name"))) {
      throw new Invalid("Param interactive['action']['name'] must be " + name + ".");
    }
  }

  private static void ctaUrl(JsonNode p, String at) {
    GraphRequest.requiredString(p, at + "['display_text']", "display_text", 20);
    String url = GraphRequest.requiredString(p, at + "['url']", "url", 2000);
    if (!HttpUrls.isHttp(url)) {
      throw new Invalid("Param " + at + "['url'] must be a valid http or https URL.");
    }
  }

  /** WhatsApp Flows: version 3, a flow by id or name, a CTA of at most 30 characters, Meta's modes and actions. */
  private static void flow(JsonNode action) {
    named(action, "flow");
    JsonNode p = action.path("parameters");
    String at = "interactive['action']['parameters']";
    if (!"3".equals(Json.text(p, "flow_message_version"))) {
      throw new Invalid("Param " + at + "['flow_message_version'] must be 3.");
    }
    if (Json.text(p, "flow_id") == null && Json.text(p, "flow_name") == null) {
      throw new Invalid("The parameter " + at + "['flow_id'] is required (or flow_name).");
    }
    GraphRequest.requiredString(p, at + "['flow_cta']", "flow_cta", 30);
    String mode = Json.text(p, "mode");
    if (mode != null && !Set.of("draft", "published").contains(mode)) {
      throw new Invalid("Param " + at + "['mode'] must be one of {DRAFT, PUBLISHED}.");
    }
    String flowAction = Json.text(p, "flow_action");
    if (flowAction != null && !Set.of("navigate", "data_exchange").contains(flowAction)) {
      throw new Invalid("Param " + at + "['flow_action'] must be one of {NAVIGATE, DATA_EXCHANGE}.");
    }
  }

  private static void productList(JsonNode o, JsonNode action) {
    if (!"text".equals(Json.text(o.path("header"), "type"))) {
      throw new Invalid("The parameter interactive['header'] is required: a product list has a text header.");
    }
    GraphRequest.requiredString(action, "interactive['action']['catalog_id']", "catalog_id", 128);
    JsonNode sections = action.get("sections");
    if (sections == null || !sections.isArray() || sections.isEmpty() || sections.size() > 10) {
      throw new Invalid("Param interactive['action']['sections'] must contain 1 to 10 elements.");
    }
    for (int i = 0; i < sections.size(); i++) {
      String at = "interactive['action']['sections'][" + i + "]";
      if (sections.size() > 1) {
        GraphRequest.requiredString(sections.get(i), at + "['title']", "title", 24);
      }
      JsonNode items = sections.get(i).get("product_items");
      if (items == null || !items.isArray() || items.isEmpty() || items.size() > 30) {
        throw new Invalid("Param " + at + "['product_items'] must contain 1 to 30 elements.");
      }
    }
  }

  /** A media carousel: 2 to 10 cards, each with an image or video header and a URL button or quick replies. */
  private static void carousel(JsonNode action) {
    JsonNode cards = action.get("cards");
    if (cards == null || !cards.isArray() || cards.size() < 2 || cards.size() > 10) {
      throw new Invalid("Param interactive['action']['cards'] must contain 2 to 10 elements.");
    }
    for (int i = 0; i < cards.size(); i++) {
      JsonNode card = cards.get(i);
      String at = "interactive['action']['cards'][" + i + "]";
      String media = Json.text(card.path("header"), "type");
      if (!"image".equals(media) && !"video".equals(media)) {
        throw new Invalid("Param " + at + "['header']['type'] must be one of {IMAGE, VIDEO}.");
      }
      GraphRequest.optionalString(card.path("body"), at + "['body']['text']", "text", 160);
      JsonNode cardAction = card.path("action");
      if (cardAction.has("buttons")) {
        if (!cardAction.get("buttons").isArray() || cardAction.get("buttons").size() > 3) {
          throw new Invalid("Param " + at + "['action']['buttons'] must contain at most 3 elements.");
        }
      } else {
        ctaUrl(cardAction.path("parameters"), at + "['action']['parameters']");
      }
    }
  }

  private static void buttons(JsonNode action) {
    JsonNode buttons = action.get("buttons");
    if (buttons == null || !buttons.isArray() || buttons.isEmpty()) {
      throw new Invalid("The parameter interactive['action']['buttons'] is required.");
    }
    if (buttons.size() > 3) {
      throw new Invalid("Param interactive['action']['buttons'] must contain at most 3 elements.");
    }
    Set<String> titles = GraphRequest.newSeen();
    Set<String> ids = GraphRequest.newSeen();
    for (int i = 0; i < buttons.size(); i++) {
      JsonNode b = buttons.get(i);
      String at = "interactive['action']['buttons'][" + i + "]";
      if (!"reply".equals(Json.text(b, "type"))) {
        throw new Invalid("Param " + at + "['type'] must be one of {REPLY}.");
      }
      String id = GraphRequest.requiredString(b.path("reply"), at + "['reply']['id']", "id", 256);
      String title = GraphRequest.requiredString(b.path("reply"), at + "['reply']['title']", "title", 20);
      GraphRequest.unique(ids, id, "Button ids");
      GraphRequest.unique(titles, title, "Button titles");
    }
  }

  private static void list(JsonNode action) {
    GraphRequest.requiredString(action, "interactive['action']['button']", "button", 20);
    JsonNode sections = action.get("sections");
    if (sections == null || !sections.isArray() || sections.isEmpty()) {
      throw new Invalid("The parameter interactive['action']['sections'] is required.");
    }
    if (sections.size() > 10) {
      throw new Invalid("Param interactive['action']['sections'] must contain at most 10 elements.");
    }
    int rows = 0;
    Set<String> ids = GraphRequest.newSeen();
    for (int s = 0; s < sections.size(); s++) {
      JsonNode section = sections.get(s);
      String at = "interactive['action']['sections'][" + s + "]";
      if (sections.size() > 1) {
        GraphRequest.requiredString(section, at + "['title']", "title", 24);
      } else {
        GraphRequest.optionalString(section, at + "['title']", "title", 24);
      }
      JsonNode list = section.get("rows");
      if (list == null || !list.isArray() || list.isEmpty()) {
        throw new Invalid("The parameter " + at + "['rows'] is required.");
      }
      for (int r = 0; r < list.size(); r++) {
        JsonNode row = list.get(r);
        String rowAt = at + "['rows'][" + r + "]";
        GraphRequest.unique(ids, GraphRequest.requiredString(row, rowAt + "['id']", "id", 200), "Row ids");
        GraphRequest.requiredString(row, rowAt + "['title']", "title", 24);
        GraphRequest.optionalString(row, rowAt + "['description']", "description", 72);
        rows++;
      }
    }
    if (rows > 10) {
      throw new Invalid("Param interactive['action']['sections'] must contain at most 10 rows in total - got " + rows
          + ".");
    }
  }
}
