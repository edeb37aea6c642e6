package dev.wabridge.sandbox;

import dev.wabridge.HttpUrls;
import dev.wabridge.Json;
import dev.wabridge.sandbox.GraphRequest.Invalid;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Meta's limits for interactive messages: reply buttons (1 to 3, title at most 20, unique), lists (button at most
 * 20, at most 10 sections and 10 rows in all, row title 24, description 72, unique ids) and CTA URL buttons;
 * bodies at most 1024 (4096 for lists), header and footer text at most 60.
 */
final class InteractiveRules {
  private InteractiveRules() {
  }

  static void check(JsonNode o) {
    String type = Json.text(o, "type");
    if (type == null || !Set.of("button", "list", "cta_url").contains(type)) {
      throw new Invalid("Param interactive['type'] must be one of {BUTTON, LIST, CTA_URL} on the sandbox number "
          + "- got \"" + type + "\".");
    }
    GraphRequest.requiredString(o.path("body"), "interactive['body']['text']", "text",
        type.equals("list") ? 4096 : 1024);
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
      default -> {
        JsonNode p = action.path("parameters");
        GraphRequest.requiredString(p, "interactive['action']['parameters']['display_text']", "display_text", 20);
        String url = GraphRequest.requiredString(p, "interactive['action']['parameters']['url']", "url", 2000);
        if (!HttpUrls.isHttp(url)) {
          throw new Invalid("Param interactive['action']['parameters']['url'] must be a valid http or https URL.");
        }
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
