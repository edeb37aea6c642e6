package dev.wabridge.reply;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Any JSON an agent returns, as text a person can read: "key: value" lines and "- item" lists. */
final class ReadableJson {
  private ReadableJson() {
  }

  static String render(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    render(node, 0, sb);
    return sb.toString().strip();
  }

  private static void render(JsonNode node, int depth, StringBuilder sb) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        indent(depth, sb);
        sb.append(e.getKey()).append(':');
        if (e.getValue().isContainer() && !e.getValue().isEmpty()) {
          sb.append('\n');
          render(e.getValue(), depth + 1, sb);
        } else {
          sb.append(' ').append(scalar(e.getValue())).append('\n');
        }
      }
    } else if (node.isArray()) {
      for (JsonNode v : node.values()) {
        indent(depth, sb);
        sb.append("- ");
        if (v.isContainer() && !v.isEmpty()) {
          // the item starts on the dash's line ("- name: Tea"), its other lines aligned under it
          StringBuilder item = new StringBuilder();
          render(v, depth + 1, item);
          sb.append(item, 2 * (depth + 1), item.length());
        } else {
          sb.append(scalar(v)).append('\n');
        }
      }
    } else {
      sb.append(scalar(node)).append('\n');
    }
  }

  private static String scalar(JsonNode v) {
    if (v.isString()) {
      return v.asString();
    }
    if (v.isContainer()) {
      return v.isArray() ? "(none)" : "(empty)";
    }
    return v.isNull() ? "—" : v.toString();
  }

  private static void indent(int depth, StringBuilder sb) {
    sb.append("  ".repeat(depth));
  }
}
