package dev.wabridge.sandbox;

import dev.wabridge.support.HttpUrls;
import dev.wabridge.support.Json;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A {@code POST /{phone-number-id}/messages} body, checked as Meta checks it: a send (with {@code to}, a known
 * type and its object within Meta's limits), a mark-read (optionally with the typing indicator), or a rejection
 * carrying Meta's error with details naming the parameter, as in {@code Param text['body'] must be at most 4096
 * characters long.}
 */
sealed interface GraphRequest {
  Set<String> MEDIA = Set.of("image", "video", "audio", "document", "sticker");
  Set<String> TYPES = Set.of("text", "image", "video", "audio", "document", "sticker", "location", "contacts",
      "interactive", "template", "reaction");

  /**
   * A message to send; {@code object} is the type's object ({@code body.get(type)}); {@code tracking} is the
   * sender's {@code biz_opaque_callback_data} (wabridge puts its message id there), or null.
   */
  record Send(To to, String type, JsonNode object, JsonNode body, String tracking) implements GraphRequest {
  }

  /**
   * Whom a send is for: {@code input} as given, and either the number ({@code waId}, from {@code to}) or the BSUID
   * ({@code userId}, from {@code recipient} when there is no {@code to}: Meta's {@code to} wins when both are sent).
   */
  record To(String input, String waId, String userId) {
    /** What the recipient is known by here: the number's digits or the BSUID. */
    String key() {
      return waId != null ? waId : userId;
    }
  }

  record MarkRead(String messageId, boolean typing) implements GraphRequest {
  }

  record Rejected(MetaError error) implements GraphRequest {
  }

  /** The request's parameters, from its JSON body and query string ({@link GraphParams}). */
  static GraphRequest parse(JsonNode body) {
    try {
      if (body == null || !body.isObject()) {
        throw new Invalid("Request body must be a JSON object.");
      }
      String product = Json.text(body, "messaging_product");
      if (product == null) {
        throw new Invalid("The parameter messaging_product is required.");
      }
      if (!"whatsapp".equals(product)) {
        throw new Invalid("Param messaging_product must be one of {WHATSAPP} - got \"" + product + "\".");
      }
      if (body.has("status")) {
        return markRead(body);
      }
      return send(body);
    } catch (Invalid e) {
      return new Rejected(MetaError.invalidParameter(e.getMessage()));
    } catch (UnknownGroup e) {
      return new Rejected(MetaError.of(131041).orElseThrow().withDetails(e.getMessage()));
    }
  }

  private static GraphRequest markRead(JsonNode body) {
    if (!"read".equals(Json.text(body, "status"))) {
      throw new Invalid("Param status must be one of {READ} - got \"" + Json.text(body, "status") + "\".");
    }
    String id = Json.text(body, "message_id");
    if (id == null || id.isBlank()) {
      throw new Invalid("The parameter message_id is required.");
    }
    JsonNode typing = body.get("typing_indicator");
    if (typing != null && !typing.isNull() && !"text".equals(Json.text(typing, "type"))) {
      throw new Invalid("Param typing_indicator['type'] must be one of {TEXT}.");
    }
    return new MarkRead(id, typing != null && !typing.isNull());
  }

  private static GraphRequest send(JsonNode body) {
    To to = recipient(body);
    String type = body.has("type") ? Json.text(body, "type") : "text";
    if (type == null || !TYPES.contains(type)) {
      throw new Invalid("Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, "
          + "REACTION, STICKER, TEMPLATE, TEXT, VIDEO} - got \"" + Json.text(body, "type") + "\".");
    }
    JsonNode object = body.get(type);
    if (object == null || object.isNull()) {
      throw new Invalid("The parameter " + type + " is required.");
    }
    if (type.equals("contacts") ? !object.isArray() : !object.isObject()) {
      throw new Invalid("Param " + type + " must be " + (type.equals("contacts") ? "an array." : "an object."));
    }
    switch (type) {
      case "text" -> requiredString(object, "text['body']", "body", 4096);
      case "location" -> location(object);
      case "contacts" -> contacts(object);
      case "reaction" -> {
        requiredString(object, "reaction['message_id']", "message_id", 512);
        if (object.has("emoji") && !object.get("emoji").isString()) {
          throw new Invalid("Param reaction['emoji'] must be a string.");
        }
      }
      case "interactive" -> InteractiveRules.check(object);
      case "template" -> {
        requiredString(object, "template['name']", "name", 512);
        requiredString(object.path("language"), "template['language']['code']", "code", 16);
      }
      default -> media(type, object);
    }
    String tracking = optionalString(body, "biz_opaque_callback_data", "biz_opaque_callback_data", 512);
    return new Send(to, type, object, body, tracking);
  }

  private static To recipient(JsonNode body) {
    String recipientType = Json.text(body, "recipient_type");
    if (recipientType != null && !recipientType.equals("individual") && !recipientType.equals("group")) {
      throw new Invalid("Param recipient_type must be one of {INDIVIDUAL, GROUP} - got \"" + recipientType + "\".");
    }
    String to = Json.text(body, "to");
    if ("group".equals(recipientType)) {
      if (to == null || to.isBlank()) {
        throw new Invalid("The parameter to is required.");
      }
      // The sandbox number is in no group (Meta's groups need an Official Business Account).
      throw new UnknownGroup("Group " + to + " was not found: the sandbox number is a member of no group.");
    }
    if (to != null && !to.isBlank()) {
      String waId = to.replaceAll("[\\s()+.-]", "");
      if (!waId.matches("\\d{6,15}")) {
        throw new Invalid("Param to must be a phone number in international format such as +16505551234 - got \""
            + to + "\".");
      }
      return new To(to, waId, null);
    }
    String recipient = Json.text(body, "recipient");
    if (recipient == null || recipient.isBlank()) {
      throw new Invalid("The parameter to is required.");
    }
    if (!CustomerIds.BSUID.matcher(recipient).matches()) {
      throw new Invalid("Param recipient must be a business-scoped user ID such as US.13491208655302741918 - got \""
          + recipient + "\".");
    }
    return new To(recipient, null, recipient);
  }

  private static void media(String type, JsonNode o) {
    String id = Json.text(o, "id");
    String link = Json.text(o, "link");
    if ((id == null) == (link == null)) {
      throw new Invalid("Param " + type + " must contain exactly one of id or link.");
    }
    if (link != null && !HttpUrls.isHttp(link)) {
      throw new Invalid("Param " + type + "['link'] must be a valid http or https URL.");
    }
    if (o.has("caption")) {
      if (type.equals("audio") || type.equals("sticker")) {
        throw new Invalid("Param " + type + "['caption'] is not supported for " + type + " messages.");
      }
      optionalString(o, type + "['caption']", "caption", 1024);
    }
    if (type.equals("document")) {
      optionalString(o, "document['filename']", "filename", 240);
    }
  }

  private static void location(JsonNode o) {
    coordinate(o, "latitude", 90);
    coordinate(o, "longitude", 180);
    optionalString(o, "location['name']", "name", 1000);
    optionalString(o, "location['address']", "address", 1000);
  }

  private static void coordinate(JsonNode o, String field, double max) {
    JsonNode v = o.get(field);
    double d;
    try {
      d = v == null || v.isNull() ? Double.NaN : v.isNumber() ? v.asDouble() : Double.parseDouble(v.asString());
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (Double.isNaN(d) || d < -max || d > max) {
      throw new Invalid("Param location['" + field + "'] is required, a number from -" + (int) max + " to "
          + (int) max + ".");
    }
  }

  private static void contacts(JsonNode array) {
    if (array.isEmpty()) {
      throw new Invalid("Param contacts must contain at least 1 element.");
    }
    int i = 0;
    for (JsonNode c : array.values()) {
      String name = Json.text(c.path("name"), "formatted_name");
      if (name == null || name.isBlank()) {
        throw new Invalid("The parameter contacts[" + i + "]['name']['formatted_name'] is required.");
      }
      i++;
    }
  }

  static String requiredString(JsonNode o, String param, String field, int max) {
    String s = optionalString(o, param, field, max);
    if (s == null || s.isBlank()) {
      throw new Invalid("The parameter " + param + " is required.");
    }
    return s;
  }

  static String optionalString(JsonNode o, String param, String field, int max) {
    JsonNode v = o == null ? null : o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new Invalid("Param " + param + " must be a string.");
    }
    if (v.asString().codePointCount(0, v.asString().length()) > max) {
      throw new Invalid("Param " + param + " must be at most " + max + " characters long.");
    }
    return v.asString();
  }

  static void unique(Set<String> seen, String value, String what) {
    if (!seen.add(value)) {
      throw new Invalid(what + " must be unique - \"" + value + "\" appears twice.");
    }
  }

  static Set<String> newSeen() {
    return new HashSet<>();
  }

  /** A group the number is not in (Meta's 131041); the message becomes {@code error_data.details}. */
  final class UnknownGroup extends RuntimeException {
    UnknownGroup(String details) {
      super(details, null, false, false);
    }
  }

  /** A parameter Meta would refuse; the message becomes {@code error_data.details}. */
  final class Invalid extends RuntimeException {
    Invalid(String details) {
      super(details, null, false, false);
    }
  }
}
