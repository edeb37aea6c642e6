package dev.wabridge.reply;

import dev.wabridge.support.HttpUrls;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checks {@link MetaMessage} and {@link MetaInteractive} apply to an agent's Meta message object. Each names the
 * field it failed on by its path in the message ({@code interactive.action.buttons[3]}) and throws {@link Bad}, which
 * becomes an {@link Draft.Invalid}: one failed check ends the message, as Meta would refuse it whole.
 */
final class MetaRules {
  private MetaRules() {
  }

  /** A field that breaks Meta's rules. */
  static final class Bad extends RuntimeException {
    final String field;

    Bad(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }
  }

  static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String at(String path, int index) {
    return path + "[" + index + "]";
  }

  /** The required object {@code parent.key}. */
  static ObjectNode object(JsonNode parent, String key, String path) {
    ObjectNode o = optionalObject(parent, key, path);
    if (o == null) {
      throw new Bad(at(path, key), "is required");
    }
    return o;
  }

  /** {@code parent.key} when it is an object, null when absent; anything else is refused. */
  static ObjectNode optionalObject(JsonNode parent, String key, String path) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new Bad(at(path, key), "must be an object");
    }
    return (ObjectNode) v;
  }

  /** The required, non-blank string {@code parent.key} of at most {@code max} characters (0: no limit). */
  static String string(JsonNode parent, String key, String path, int max) {
    String s = optionalString(parent, key, path, max);
    if (s == null || s.isBlank()) {
      throw new Bad(at(path, key), "is required" + (s == null ? "" : " and must not be blank"));
    }
    return s;
  }

  /** {@code parent.key} when it is a string of at most {@code max} characters (0: no limit), null when absent. */
  static String optionalString(JsonNode parent, String key, String path, int max) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new Bad(at(path, key), "must be a string");
    }
    String s = v.asString();
    if (max > 0 && s.length() > max) {
      throw new Bad(at(path, key), "must be at most " + max + " characters (got " + s.length() + ")");
    }
    return s;
  }

  /** A required id, which Meta takes as a string and which agents often write as a number. */
  static String id(JsonNode parent, String key, String path) {
    JsonNode v = parent.get(key);
    if (v != null && v.isIntegralNumber()) {
      return v.asString();
    }
    return string(parent, key, path, 0);
  }

  /** The required string {@code parent.key}, one of {@code allowed} (compared case-insensitively), lowercased. */
  static String oneOf(JsonNode parent, String key, String path, Set<String> allowed, String list) {
    String v = string(parent, key, path, 0).toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new Bad(at(path, key), "must be one of " + list + " (got \"" + parent.get(key).asString() + "\")");
    }
    return v;
  }

  /** The optional string {@code parent.key}, one of {@code allowed} when present. */
  static void optionalOneOf(JsonNode parent, String key, String path, Set<String> allowed, String list) {
    if (parent.has(key) && !parent.get(key).isNull()) {
      oneOf(parent, key, path, allowed, list);
    }
  }

  /** {@code parent.key} must be exactly {@code expected}. */
  static void constant(JsonNode parent, String key, String path, String expected) {
    String v = string(parent, key, path, 0);
    if (!v.equals(expected)) {
      throw new Bad(at(path, key), "must be \"" + expected + "\" (got \"" + v + "\")");
    }
  }

  /** {@code parent.key} must not be there: {@code why} says so. */
  static void absent(JsonNode parent, String key, String path, String why) {
    if (parent.has(key) && !parent.get(key).isNull()) {
      throw new Bad(at(path, key), why);
    }
  }

  /**
   * The required array {@code parent.key} of {@code min} to {@code max} items (0: no limit). Too many is reported at
   * the first item over the limit: {@code interactive.action.buttons[3]: at most 3 buttons}.
   */
  static ArrayNode array(JsonNode parent, String key, String path, int min, int max, String noun) {
    JsonNode v = parent.get(key);
    String field = at(path, key);
    if (v == null || v.isNull()) {
      throw new Bad(field, "is required: an array of " + range(min, max) + " " + noun);
    }
    if (!v.isArray()) {
      throw new Bad(field, "must be an array of " + range(min, max) + " " + noun);
    }
    if (max > 0 && v.size() > max) {
      throw new Bad(at(field, max), "at most " + max + " " + noun + " (got " + v.size() + ")");
    }
    if (v.size() < min) {
      throw new Bad(field, "must hold at least " + min + " " + noun + " (got " + v.size() + ")");
    }
    return (ArrayNode) v;
  }

  private static String range(int min, int max) {
    return max > 0 ? min + " to " + max : min + " or more";
  }

  /** Item {@code index} of an array, which must be an object. */
  static ObjectNode item(ArrayNode array, int index, String path) {
    JsonNode v = array.get(index);
    if (!v.isObject()) {
      throw new Bad(at(path, index), "must be an object");
    }
    return (ObjectNode) v;
  }

  /** {@code value} must not be in {@code seen} yet; it is added. */
  static void unique(Set<String> seen, String value, String field, String among) {
    if (!seen.add(value)) {
      throw new Bad(field, "must be unique among " + among + " (\"" + value + "\" appears twice)");
    }
  }

  /** The required absolute http(s) URL {@code parent.key}. */
  static String url(JsonNode parent, String key, String path) {
    String url = string(parent, key, path, 0);
    if (!HttpUrls.isHttp(url)) {
      throw new Bad(at(path, key), "must be an absolute http:// or https:// URL");
    }
    return url;
  }

  /**
   * The required media object {@code parent.key} ({@code {"id": …}} or {@code {"link": …}}, exactly one). A link is
   * checked here as a URL only: the sender fetches it under the workspace's network policy and re-hosts it
   * (OutboundMedia), as it does every agent's media link.
   */
  static ObjectNode media(JsonNode parent, String key, String path) {
    ObjectNode media = object(parent, key, path);
    String field = at(path, key);
    boolean id = media.has("id") && !media.get("id").isNull();
    boolean link = media.has("link") && !media.get("link").isNull();
    if (id == link) {
      throw new Bad(field, "must hold exactly one of id (a media id uploaded to this number) or link (an "
          + "https:// URL of the file)");
    }
    if (id) {
      MetaRules.id(media, "id", field);
    } else {
      url(media, "link", field);
    }
    return media;
  }

  /** The required number {@code parent.key} (or a numeric string) from {@code -limit} to {@code limit}. */
  static double coordinate(JsonNode parent, String key, String path, int limit) {
    Double d = RichContent.number(parent, key);
    if (d == null || d < -limit || d > limit) {
      throw new Bad(at(path, key), "is required, a number from -" + limit + " to " + limit);
    }
    return d;
  }
}
