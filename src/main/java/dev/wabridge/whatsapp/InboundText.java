package dev.wabridge.whatsapp;

import dev.wabridge.support.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The readable string of an inbound message, for agents that read only {@code message}: the text, the caption,
 * the chosen button or list title, a short description of a location, contact or reaction; "" when there is
 * nothing to read.
 */
final class InboundText {
  private InboundText() {
  }

  static String of(String type, JsonNode m) {
    JsonNode body = Json.obj(m, type);
    String s = switch (type) {
      case "text" -> Json.text(body, "body");
      case "image", "video", "document" -> Json.text(body, "caption");
      case "button" -> Json.text(body, "text");
      case "interactive" -> interactive(body);
      case "location" -> location(body);
      case "contacts" -> contacts(m);
      case "reaction" -> Json.text(body, "emoji");
      case "order" -> order(body);
      case "system" -> Json.text(body, "body");
      case "edit" -> edited(body);
      default -> null;
    };
    return s == null ? "" : s;
  }

  private static String interactive(JsonNode body) {
    if (body == null) {
      return null;
    }
    String kind = Json.text(body, "type");
    JsonNode reply = kind == null ? null : Json.obj(body, kind);
    if (reply == null) {
      return null;
    }
    String title = Json.text(reply, "title");
    return title != null ? title : Json.text(reply, "body");
  }

  /** An edit carries the whole new message: its readable text is the edited message's. */
  private static String edited(JsonNode body) {
    JsonNode message = Json.obj(body, "message");
    String type = Json.text(message, "type");
    if (type == null || type.equals("edit")) {
      return null;
    }
    return of(type, message);
  }

  private static String location(JsonNode body) {
    if (body == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    addIfPresent(parts, Json.text(body, "name"));
    addIfPresent(parts, Json.text(body, "address"));
    String lat = Json.text(body, "latitude");
    String lon = Json.text(body, "longitude");
    if (lat != null && lon != null) {
      parts.add(lat + ", " + lon);
    }
    return String.join(" — ", parts);
  }

  private static String contacts(JsonNode m) {
    List<String> parts = new ArrayList<>();
    for (JsonNode c : Json.items(m, "contacts")) {
      String name = Json.text(Json.obj(c, "name"), "formatted_name");
      String phone = null;
      for (JsonNode p : Json.items(c, "phones")) {
        phone = Json.text(p, "phone");
        break;
      }
      addIfPresent(parts, name == null ? phone : phone == null ? name : name + " " + phone);
    }
    return String.join("; ", parts);
  }

  private static String order(JsonNode body) {
    if (body == null) {
      return null;
    }
    String text = Json.text(body, "text");
    if (text != null && !text.isBlank()) {
      return text;
    }
    int items = 0;
    for (JsonNode ignored : Json.items(body, "product_items")) {
      items++;
    }
    return "Order of " + items + " item" + (items == 1 ? "" : "s");
  }

  private static void addIfPresent(List<String> parts, String s) {
    if (s != null && !s.isBlank()) {
      parts.add(s);
    }
  }
}
