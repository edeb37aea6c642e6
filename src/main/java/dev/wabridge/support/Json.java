package dev.wabridge.support;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper, and null-safe readers for untrusted trees. */
public final class Json {
  /**
   * Buffers are recycled through a bounded pool: the default pool keeps one set of buffers for every parse that
   * ever ran at the same time, and with thousands of virtual threads that pinned ~200 MB of char[] under load.
   */
  public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
      .recyclerPool(JsonRecyclerPools.newBoundedPool(4 * Runtime.getRuntime().availableProcessors())).build())
      .build();

  private Json() {
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Parses bytes; throws {@link JacksonException} on malformed JSON. */
  public static JsonNode parse(byte[] bytes) {
    return MAPPER.readTree(bytes);
  }

  public static JsonNode parse(String s) {
    return MAPPER.readTree(s);
  }

  /** Parses stored JSON text; null stays null. */
  public static JsonNode parseOrNull(String s) {
    return s == null ? null : MAPPER.readTree(s);
  }

  public static byte[] bytes(Object value) {
    return MAPPER.writeValueAsBytes(value);
  }

  public static String string(Object value) {
    return value == null ? null : MAPPER.writeValueAsString(value);
  }

  /** The field as a string when it is a string or number, else null. */
  public static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || v.isContainer()) {
      return null;
    }
    return v.asString();
  }

  public static JsonNode obj(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isObject() ? v : null;
  }

  public static Iterable<JsonNode> items(JsonNode node, String field) {
    if (node == null) {
      return java.util.List.of();
    }
    JsonNode v = node.get(field);
    return v != null && v.isArray() ? v.values() : java.util.List.of();
  }
}
