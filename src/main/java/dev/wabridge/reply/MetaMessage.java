package dev.wabridge.reply;

import static dev.wabridge.reply.MetaRules.at;
import static dev.wabridge.reply.MetaRules.item;
import static dev.wabridge.reply.MetaRules.object;
import static dev.wabridge.reply.MetaRules.optionalObject;
import static dev.wabridge.reply.MetaRules.optionalString;
import static dev.wabridge.reply.MetaRules.string;

import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import dev.wabridge.reply.MetaRules.Bad;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's own message objects, as an agent copies them from the Cloud API documentation or builds them with a client
 * library: {@code type} and its object ({@code {"type": "image", "image": {"link": "…"}}}), or a whole send body
 * with {@code messaging_product}, {@code recipient_type} and {@code to}. Each is checked against Meta's rules
 * (Meta's messages reference and its OpenAPI schemas; examples in src/test/resources/meta-examples)
 * and sent as given; only the envelope is wabridge's. The envelope fields an agent sends are dropped, so an agent
 * never chooses who receives a message. A media {@code link} is re-hosted when sent, as every agent's media is.
 */
final class MetaMessage {
  /** Fields of a send body that say where it goes and how it is tracked: the sender sets them. */
  static final Set<String> ENVELOPE = Set.of("messaging_product", "recipient_type", "to", "recipient",
      "biz_opaque_callback_data");
  static final List<String> TYPES = List.of("text", "image", "video", "audio", "document", "sticker", "location",
      "contacts", "reaction", "interactive", "template");
  private static final String TYPE_LIST = String.join(", ", TYPES);

  private MetaMessage() {
  }

  /**
   * Whether {@code item} is in Meta's shape rather than one of wabridge's own: a whole send body (it has
   * {@code messaging_product}), an {@code interactive} message, or a type whose object is there under its name
   * ({@code "text": {…}}, {@code "image": {…}}, {@code "contacts": […]}).
   */
  static boolean isMeta(JsonNode item) {
    if (item.has("messaging_product")) {
      return true;
    }
    JsonNode type = item.get("type");
    if (type == null || !type.isString()) {
      return false;
    }
    String t = type.asString().toLowerCase(Locale.ROOT);
    JsonNode object = item.path(t);
    return t.equals("interactive") || TYPES.contains(t) && (t.equals("contacts") ? object.isArray() : object.isObject());
  }

  /** The message {@code item} as a draft (or none, for the no-reply text); {@code prefix} locates it in the reply. */
  static void add(JsonNode item, String prefix, List<Draft> out) {
    ObjectNode m = ((ObjectNode) item).deepCopy();
    ENVELOPE.forEach(m::remove);
    String type = "text";
    try {
      type = type(m);
      fieldsOf(m, type);
      Outgoing o = switch (type) {
        case "text" -> text(m);
        case "image", "video", "audio", "document", "sticker" -> media(m, type);
        case "location" -> location(m);
        case "contacts" -> contacts(m);
        case "reaction" -> reaction(m);
        case "template" -> new Outgoing("template", template(m), m);
        default -> new Outgoing(MetaInteractive.ourType(m), MetaInteractive.check(m), m);
      };
      if (!(o.type().equals("text") && ReplyParser.isNoReply(o.text()))) {
        out.add(o);
      }
    } catch (Bad b) {
      out.add(new Invalid(ourType(type, m), prefix + b.field, b.getMessage()));
    }
  }

  /**
   * The message's type, lowercased in place. A send body without one is read as Meta reads it: by the one type
   * object it holds (Meta's own "with preview URL" and "reply to list" examples leave the type out).
   */
  private static String type(ObjectNode m) {
    JsonNode given = m.get("type");
    if (given == null || given.isNull()) {
      List<String> held = new ArrayList<>();
      for (String t : TYPES) {
        if (m.has(t)) {
          held.add(t);
        }
      }
      if (held.size() != 1) {
        throw new Bad("type", "is required: one of " + TYPE_LIST + (m.has("status") ? " (a mark-as-read request is "
            + "not a message; wabridge marks messages read itself)" : ""));
      }
      m.put("type", held.getFirst());
      return held.getFirst();
    }
    if (!given.isString()) {
      throw new Bad("type", "must be a string, one of " + TYPE_LIST);
    }
    String t = given.asString().toLowerCase(Locale.ROOT);
    if (!TYPES.contains(t)) {
      throw new Bad("type", "must be one of " + TYPE_LIST + " for a message in Meta's shape (got \""
          + given.asString() + "\")");
    }
    m.put("type", t);
    return t;
  }

  /** Besides the envelope, a message holds its type, the type's object and, to quote a message, context. */
  private static void fieldsOf(ObjectNode m, String type) {
    for (String key : m.propertyNames()) {
      if (!key.equals("type") && !key.equals(type) && !key.equals("context")) {
        throw new Bad(key, "is not a field of Meta's " + type + " message, which holds type, " + type
            + " and optionally context");
      }
    }
    ObjectNode context = optionalObject(m, "context", "");
    if (context != null) {
      string(context, "message_id", "context", 0);
    }
  }

  private static Outgoing text(ObjectNode m) {
    ObjectNode text = object(m, "text", "");
    String body = string(text, "body", "text", ReplyParser.TEXT_LIMIT);
    JsonNode preview = text.get("preview_url");
    if (preview != null && !preview.isBoolean()) {
      throw new Bad("text.preview_url", "must be true or false");
    }
    return new Outgoing("text", body, m);
  }

  private static Outgoing media(ObjectNode m, String type) {
    ObjectNode media = MetaRules.media(m, type, "");
    String caption = optionalString(media, "caption", type, RichContent.CAPTION_LIMIT);
    if (caption != null && (type.equals("audio") || type.equals("sticker"))) {
      throw new Bad(type + ".caption", "Meta takes no caption on " + (type.equals("audio") ? "an audio message"
          : "a sticker") + "; send the words as a text message of their own");
    }
    if (!type.equals("document")) {
      MetaRules.absent(media, "filename", type, "is for documents only");
    } else {
      optionalString(media, "filename", type, 0);
    }
    JsonNode voice = media.get("voice");
    if (voice != null && (!type.equals("audio") || !voice.isBoolean())) {
      throw new Bad(type + ".voice", type.equals("audio") ? "must be true or false" : "is for audio only");
    }
    return new Outgoing(type, caption, m);
  }

  private static Outgoing location(ObjectNode m) {
    ObjectNode location = object(m, "location", "");
    double lat = MetaRules.coordinate(location, "latitude", "location", 90);
    double lon = MetaRules.coordinate(location, "longitude", "location", 180);
    String name = optionalString(location, "name", "location", 0);
    optionalString(location, "address", "location", 0);
    return new Outgoing("location", name != null ? name : lat + ", " + lon, m);
  }

  private static Outgoing contacts(ObjectNode m) {
    ArrayNode contacts = MetaRules.array(m, "contacts", "", 1, 5, "contacts");
    String first = null;
    for (int i = 0; i < contacts.size(); i++) {
      ObjectNode c = item(contacts, i, "contacts");
      String cf = at("contacts", i);
      String name = string(object(c, "name", cf), "formatted_name", at(cf, "name"), 0);
      first = first == null ? name : first;
      required(c, "phones", "phone", cf);
      required(c, "emails", "email", cf);
      required(c, "urls", "url", cf);
      String birthday = optionalString(c, "birthday", cf, 0);
      if (birthday != null && !birthday.matches("\\d{4}-\\d{2}-\\d{2}")) {
        throw new Bad(at(cf, "birthday"), "must be a date as YYYY-MM-DD");
      }
    }
    return new Outgoing("contact", first, m);
  }

  /** Each item of the optional array {@code c.key} is an object with the string {@code field}. */
  private static void required(ObjectNode c, String key, String field, String path) {
    if (!c.has(key)) {
      return;
    }
    ArrayNode items = MetaRules.array(c, key, path, 0, 0, key);
    for (int i = 0; i < items.size(); i++) {
      string(item(items, i, at(path, key)), field, at(at(path, key), i), 0);
    }
  }

  private static Outgoing reaction(ObjectNode m) {
    ObjectNode reaction = object(m, "reaction", "");
    JsonNode emoji = reaction.get("emoji");
    if (emoji == null || !emoji.isString()) {
      throw new Bad("reaction.emoji", "is required: an emoji, or \"\" to remove the reaction");
    }
    if (reaction.has("message_id")) {
      // without one, the reaction goes to the message being answered (OutboundQueue)
      string(reaction, "message_id", "reaction", 0);
    }
    return new Outgoing("reaction", emoji.asString(), m);
  }

  /** Checks the template object; returns what the history shows. */
  private static String template(ObjectNode m) {
    ObjectNode template = object(m, "template", "");
    String name = string(template, "name", "template", 512);
    ObjectNode language = object(template, "language", "template");
    string(language, "code", "template.language", 0);
    MetaRules.optionalOneOf(language, "policy", "template.language", Set.of("deterministic"), "\"deterministic\"");
    if (template.has("components")) {
      components(template, "components", "template");
    }
    return "[template " + name + "]";
  }

  /** Template components: a button names its sub_type and index; parameters hold what their type names. */
  private static void components(JsonNode parent, String key, String path) {
    ArrayNode components = MetaRules.array(parent, key, path, 0, 0, "components");
    String field = at(path, key);
    for (int i = 0; i < components.size(); i++) {
      ObjectNode c = item(components, i, field);
      String cf = at(field, i);
      String type = string(c, "type", cf, 0).toLowerCase(Locale.ROOT);
      if (type.equals("button")) {
        string(c, "sub_type", cf, 0);
        JsonNode index = c.get("index");
        boolean number = index != null && index.isIntegralNumber() && index.asInt() >= 0 && index.asInt() <= 9;
        if (!number && (index == null || !index.isString() || !index.asString().matches("[0-9]"))) {
          throw new Bad(at(cf, "index"), "is required for a button: its position in the template, 0 to 9");
        }
      }
      if (c.has("parameters")) {
        parameters(c, cf);
      }
      if (c.has("cards")) {
        ArrayNode cards = MetaRules.array(c, "cards", cf, 1, 10, "cards");
        for (int k = 0; k < cards.size(); k++) {
          components(item(cards, k, at(cf, "cards")), "components", at(at(cf, "cards"), k));
        }
      }
    }
  }

  private static void parameters(ObjectNode component, String path) {
    ArrayNode parameters = MetaRules.array(component, "parameters", path, 0, 0, "parameters");
    for (int j = 0; j < parameters.size(); j++) {
      ObjectNode p = item(parameters, j, at(path, "parameters"));
      String pf = at(at(path, "parameters"), j);
      String type = string(p, "type", pf, 0).toLowerCase(Locale.ROOT);
      switch (type) {
        case "text", "payload", "coupon_code" -> string(p, type, pf, 0);
        case "image", "video", "document" -> MetaRules.media(p, type, pf);
        default -> {
          if (!p.has(type)) {
            throw new Bad(at(pf, type), "is required: a parameter of type " + type + " holds it");
          }
        }
      }
    }
  }

  /** Our type name for the message (the history's, and an invalid draft's). */
  private static String ourType(String type, ObjectNode m) {
    return switch (type) {
      case "contacts" -> "contact";
      case "interactive" -> MetaInteractive.ourType(m);
      default -> TYPES.contains(type) ? type : "text";
    };
  }
}
