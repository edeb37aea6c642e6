package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import tools.jackson.databind.JsonNode;

/** The text a bubble shows for a Meta message object: the body, the caption, a title or a short description. */
final class BubbleText {
  private BubbleText() {
  }

  static String of(String type, JsonNode o) {
    return switch (type) {
      case "text" -> Json.text(o, "body");
      case "image", "video", "document" -> Json.text(o, "caption");
      case "location" -> location(o);
      case "contacts" -> contacts(o);
      case "interactive" -> interactive(o);
      case "template" -> "Template: " + Json.text(o, "name");
      case "reaction" -> Json.text(o, "emoji");
      default -> null;
    };
  }

  private static String location(JsonNode o) {
    String name = Json.text(o, "name");
    String address = Json.text(o, "address");
    if (name != null && address != null) {
      return name + ", " + address;
    }
    return name != null ? name : address;
  }

  private static String contacts(JsonNode array) {
    for (JsonNode c : array.values()) {
      return Json.text(c.path("name"), "formatted_name");
    }
    return null;
  }

  private static String interactive(JsonNode o) {
    String kind = Json.text(o, "type");
    JsonNode reply = kind == null ? null : Json.obj(o, kind);
    if (reply != null && Json.text(reply, "title") != null) {
      return Json.text(reply, "title");
    }
    return Json.text(Json.obj(o, "body"), "text");
  }
}
