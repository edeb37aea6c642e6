package dev.wabridge.whatsapp;

import dev.wabridge.support.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Meta's error, parsed from a Graph error body ({@code {"error": {code, message, error_data.details,
 * is_transient, fbtrace_id}}}) or made up for a failure Meta never answered (code "timeout", "connection").
 */
public record GraphError(int httpStatus, String code, String message, String details, Boolean isTransient,
                         String fbtraceId) {

  public static GraphError parse(int httpStatus, byte[] body) {
    JsonNode err = null;
    try {
      JsonNode root = body == null || body.length == 0 ? null : Json.parse(body);
      err = root == null ? null : Json.obj(root, "error");
    } catch (JacksonException ignored) {
      // not JSON: keep the HTTP status only
    }
    if (err == null) {
      return new GraphError(httpStatus, "http_" + httpStatus, "Graph API answered HTTP " + httpStatus, null, null, null);
    }
    JsonNode transientNode = err.get("is_transient");
    return new GraphError(httpStatus, Json.text(err, "code"), Json.text(err, "message"),
        Json.text(Json.obj(err, "error_data"), "details"),
        transientNode != null && transientNode.isBoolean() ? transientNode.asBoolean() : null,
        Json.text(err, "fbtrace_id"));
  }

  public static GraphError network(String code, String message) {
    return new GraphError(0, code, message, null, null, null);
  }

  /** The message kept on a failed message: Meta's details when given, else its message. */
  public String describe() {
    if (details != null && !details.isBlank()) {
      return message == null ? details : message + ": " + details;
    }
    return message;
  }
}
