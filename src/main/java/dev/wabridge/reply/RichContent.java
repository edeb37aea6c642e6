package dev.wabridge.reply;

import dev.wabridge.support.HttpUrls;
import dev.wabridge.support.Json;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds Meta's request object for each rich reply type and checks Meta's limits (Meta's messages
 * and media references). A failed check names the field, with {@code prefix} locating the item
 * in a multi-message reply.
 */
final class RichContent {
  static final int CAPTION_LIMIT = 1024;
  private final String prefix;
  private final TextFormat format;

  RichContent(String prefix, TextFormat format) {
    this.prefix = prefix;
    this.format = format;
  }

  void media(String type, JsonNode item, List<Draft> out) {
    String url = Json.text(item, "url");
    if (url == null || url.isBlank()) {
      out.add(invalid(type, "url", "is required for " + dev.wabridge.media.MediaKind.withArticle(type)
          + " message (an https:// link to the file)"));
      return;
    }
    if (!HttpUrls.isHttp(url)) {
      out.add(invalid(type, "url", "must be an absolute http:// or https:// URL"));
      return;
    }
    ObjectNode m = Json.object();
    m.put("type", type);
    ObjectNode media = m.putObject(type);
    media.put("link", url);
    String caption = Json.text(item, "caption");
    String overflow = null;
    if (caption != null && !caption.isBlank()) {
      caption = WhatsAppFormatter.format(caption, format);
      if (caption.length() > CAPTION_LIMIT || type.equals("audio") || type.equals("sticker")) {
        // Meta takes no caption over 1024 characters, and none at all on audio or a sticker: the caption follows
        // the media as a text message rather than being lost
        overflow = caption;
      } else {
        media.put("caption", caption);
      }
    }
    String filename = Json.text(item, "filename");
    if (type.equals("document")) {
      media.put("filename", filename != null ? filename : fileNameOf(url));
    }
    out.add(new Outgoing(type, overflow == null ? caption : null, m));
    if (overflow != null) {
      ReplyParser.addFormattedText(overflow, out);
    }
  }

  Draft contacts(JsonNode item) {
    ArrayNode contacts = Json.array();
    JsonNode given = item.get("contacts");
    if (given != null && given.isArray()) {
      int i = 0;
      for (JsonNode c : given.values()) {
        if (!c.isObject() || Json.text(Json.obj(c, "name"), "formatted_name") == null) {
          return invalid("contact", "contacts[" + i + "].name.formatted_name", "is required");
        }
        contacts.add(c);
        i++;
      }
      if (contacts.isEmpty() || contacts.size() > 5) {
        return invalid("contact", "contacts", "must hold 1 to 5 contacts");
      }
    } else {
      String name = Json.text(item, "name");
      String phone = Json.text(item, "phone");
      if (name == null || name.isBlank()) {
        return invalid("contact", "name", "is required for a contact card");
      }
      if (phone == null || phone.isBlank()) {
        return invalid("contact", "phone", "is required for a contact card (e.g. \"+15551234567\")");
      }
      ObjectNode c = contacts.addObject();
      ObjectNode n = c.putObject("name");
      n.put("formatted_name", name);
      n.put("first_name", name);
      ObjectNode p = c.putArray("phones").addObject();
      p.put("phone", phone);
      p.put("type", "CELL");
      String digits = phone.replaceAll("\\D", "");
      if (!digits.isEmpty()) {
        p.put("wa_id", digits);
      }
    }
    ObjectNode m = Json.object();
    m.put("type", "contacts");
    m.set("contacts", contacts);
    return new Outgoing("contact", Json.text(Json.obj(contacts.get(0), "name"), "formatted_name"), m);
  }

  Draft location(JsonNode item) {
    Double lat = number(item, "latitude");
    Double lon = number(item, "longitude");
    if (lat == null || lat < -90 || lat > 90) {
      return invalid("location", "latitude", "is required, a number from -90 to 90");
    }
    if (lon == null || lon < -180 || lon > 180) {
      return invalid("location", "longitude", "is required, a number from -180 to 180");
    }
    ObjectNode m = Json.object();
    m.put("type", "location");
    ObjectNode loc = m.putObject("location");
    loc.put("latitude", lat);
    loc.put("longitude", lon);
    String name = Json.text(item, "name");
    String address = Json.text(item, "address");
    if (name != null) {
      loc.put("name", name);
    }
    if (address != null) {
      loc.put("address", address);
    }
    return new Outgoing("location", name != null ? name : lat + ", " + lon, m);
  }

  Draft buttons(JsonNode item) {
    String body = Json.text(item, "content");
    if (body == null || body.isBlank()) {
      return invalid("buttons", "content", "is required: the text shown above the buttons");
    }
    body = WhatsAppFormatter.format(body, format);
    if (body.length() > 1024) {
      return invalid("buttons", "content", "must be at most 1024 characters for a buttons message");
    }
    JsonNode buttons = item.get("buttons");
    if (buttons == null || !buttons.isArray() || buttons.isEmpty() || buttons.size() > 3) {
      return invalid("buttons", "buttons", "must be an array of 1 to 3 buttons (got "
          + (buttons == null || !buttons.isArray() ? "none" : buttons.size()) + ")");
    }
    ObjectNode m = interactive("button", body, item);
    ArrayNode out = m.withObject("interactive").putObject("action").putArray("buttons");
    Set<String> titles = new HashSet<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode b : buttons.values()) {
      String title = Json.text(b, "title");
      String field = "buttons[" + i + "]";
      if (title == null || title.isBlank()) {
        return invalid("buttons", field + ".title", "is required");
      }
      if (title.length() > 20) {
        return invalid("buttons", field + ".title", "must be at most 20 characters (got " + title.length() + ")");
      }
      if (!titles.add(title)) {
        return invalid("buttons", field + ".title", "must be unique among the buttons");
      }
      String id = Json.text(b, "id");
      id = id == null || id.isBlank() ? title : id;
      if (id.length() > 256) {
        return invalid("buttons", field + ".id", "must be at most 256 characters");
      }
      if (!ids.add(id)) {
        return invalid("buttons", field + ".id", "must be unique among the buttons");
      }
      ObjectNode reply = out.addObject();
      reply.put("type", "reply");
      ObjectNode r = reply.putObject("reply");
      r.put("id", id);
      r.put("title", title);
      i++;
    }
    return new Outgoing("buttons", body, m);
  }

  Draft list(JsonNode item) {
    String body = Json.text(item, "content");
    if (body == null || body.isBlank()) {
      return invalid("list", "content", "is required: the text shown above the list button");
    }
    body = WhatsAppFormatter.format(body, format);
    if (body.length() > 4096) {
      return invalid("list", "content", "must be at most 4096 characters");
    }
    String button = Json.text(item, "button");
    if (button == null || button.isBlank()) {
      return invalid("list", "button", "is required: the label of the button that opens the list (≤ 20 characters)");
    }
    if (button.length() > 20) {
      return invalid("list", "button", "must be at most 20 characters (got " + button.length() + ")");
    }
    JsonNode sections = item.get("sections");
    if (sections == null || !sections.isArray() || sections.isEmpty() || sections.size() > 10) {
      return invalid("list", "sections", "must be an array of 1 to 10 sections");
    }
    ObjectNode m = interactive("list", body, item);
    ObjectNode action = m.withObject("interactive").putObject("action");
    action.put("button", button);
    ArrayNode outSections = action.putArray("sections");
    int rows = 0;
    Set<String> ids = new HashSet<>();
    int s = 0;
    for (JsonNode section : sections.values()) {
      String sf = "sections[" + s + "]";
      ObjectNode os = outSections.addObject();
      String title = Json.text(section, "title");
      if (title != null) {
        if (title.length() > 24) {
          return invalid("list", sf + ".title", "must be at most 24 characters");
        }
        os.put("title", title);
      } else if (sections.size() > 1) {
        return invalid("list", sf + ".title", "is required when there are several sections");
      }
      JsonNode sectionRows = section.get("rows");
      if (sectionRows == null || !sectionRows.isArray() || sectionRows.isEmpty()) {
        return invalid("list", sf + ".rows", "must be a non-empty array");
      }
      ArrayNode outRows = os.putArray("rows");
      int r = 0;
      for (JsonNode row : sectionRows.values()) {
        String rf = sf + ".rows[" + r + "]";
        String rowTitle = Json.text(row, "title");
        if (rowTitle == null || rowTitle.isBlank()) {
          return invalid("list", rf + ".title", "is required");
        }
        if (rowTitle.length() > 24) {
          return invalid("list", rf + ".title", "must be at most 24 characters (got " + rowTitle.length() + ")");
        }
        String id = Json.text(row, "id");
        id = id == null || id.isBlank() ? rowTitle : id;
        if (id.length() > 200) {
          return invalid("list", rf + ".id", "must be at most 200 characters");
        }
        if (!ids.add(id)) {
          return invalid("list", rf + ".id", "must be unique in the list");
        }
        ObjectNode orow = outRows.addObject();
        orow.put("id", id);
        orow.put("title", rowTitle);
        String description = Json.text(row, "description");
        if (description != null) {
          if (description.length() > 72) {
            return invalid("list", rf + ".description", "must be at most 72 characters");
          }
          orow.put("description", description);
        }
        rows++;
        r++;
      }
      s++;
    }
    if (rows > 10) {
      return invalid("list", "sections", "may hold at most 10 rows in all (got " + rows + ")");
    }
    return new Outgoing("list", body, m);
  }

  Draft template(JsonNode item) {
    String name = Json.text(item, "name");
    if (name == null || name.isBlank()) {
      return invalid("template", "name", "is required: the approved template's name");
    }
    JsonNode lang = item.get("language");
    ObjectNode m = Json.object();
    m.put("type", "template");
    ObjectNode t = m.putObject("template");
    t.put("name", name);
    if (lang != null && lang.isObject()) {
      String code = Json.text(lang, "code");
      if (code == null || code.isBlank()) {
        return invalid("template", "language.code", "is required: the template's language, e.g. \"en_US\"");
      }
      t.set("language", lang);
    } else if (lang == null || lang.isNull()) {
      t.putObject("language").put("code", "en_US");
    } else if (lang.isString() && !lang.asString().isBlank()) {
      t.putObject("language").put("code", lang.asString());
    } else {
      return invalid("template", "language", "must be a language code such as \"en_US\"");
    }
    JsonNode components = item.get("components");
    if (components != null && !components.isNull()) {
      if (!components.isArray()) {
        return invalid("template", "components", "must be an array in Meta's template component shape");
      }
      t.set("components", components);
    }
    return new Outgoing("template", "[template " + name + "]", m);
  }

  Draft reaction(JsonNode item) {
    String emoji = Json.text(item, "emoji");
    if (emoji == null) {
      return invalid("reaction", "emoji", "is required (an emoji, or \"\" to remove a reaction)");
    }
    ObjectNode m = Json.object();
    m.put("type", "reaction");
    ObjectNode r = m.putObject("reaction");
    String target = Json.text(item, "message_id");
    if (target != null) {
      r.put("message_id", target);
    }
    r.put("emoji", emoji);
    return new Outgoing("reaction", emoji, m);
  }

  private ObjectNode interactive(String kind, String body, JsonNode item) {
    ObjectNode m = Json.object();
    m.put("type", "interactive");
    ObjectNode i = m.putObject("interactive");
    i.put("type", kind);
    String header = Json.text(item, "header");
    if (header != null && !header.isBlank()) {
      i.putObject("header").put("type", "text").put("text", header.length() > 60 ? header.substring(0, 60) : header);
    }
    i.putObject("body").put("text", body);
    String footer = Json.text(item, "footer");
    if (footer != null && !footer.isBlank()) {
      i.putObject("footer").put("text", footer.length() > 60 ? footer.substring(0, 60) : footer);
    }
    return m;
  }

  private Invalid invalid(String type, String field, String reason) {
    return new Invalid(type, prefix + field, reason);
  }

  static Double number(JsonNode item, String field) {
    JsonNode v = item.get(field);
    if (v == null) {
      return null;
    }
    double d;
    if (v.isNumber()) {
      d = v.asDouble();
    } else if (v.isString()) {
      try {
        d = Double.parseDouble(v.asString().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    // "NaN" parses and passes every range check, and is not a JSON number
    return Double.isFinite(d) ? d : null;
  }

  private static String fileNameOf(String url) {
    String path = URI.create(url).getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return "document";
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
