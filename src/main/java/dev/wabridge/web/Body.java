package dev.wabridge.web;

import dev.wabridge.support.HttpUrls;
import dev.wabridge.support.Json;
import dev.wabridge.net.NetworkPolicy;
import java.net.URI;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** A JSON request body with typed, validated accessors whose errors name the field and how to fix it. */
public final class Body {
  private final JsonNode node;

  private Body(JsonNode node) {
    this.node = node;
  }

  public static Body parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw ApiException.badRequest("invalid_json", "request body is empty; send a JSON object");
    }
    JsonNode n;
    try {
      n = Json.parse(bytes);
    } catch (JacksonException e) {
      throw ApiException.badRequest("invalid_json", "request body is not valid JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (n == null || !n.isObject()) {
      throw ApiException.badRequest("invalid_json", "request body must be a JSON object");
    }
    return new Body(n);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "parse error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public JsonNode node() {
    return node;
  }

  public boolean has(String field) {
    return node.has(field);
  }

  public String requiredString(String field, int maxLength) {
    return optionalString(field, maxLength).orElseThrow(() -> ApiException.invalid(field, "is required (a non-empty string)"));
  }

  public Optional<String> optionalString(String field, int maxLength) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isString()) {
      throw ApiException.invalid(field, "must be a string");
    }
    String s = v.asString().trim();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    if (s.length() > maxLength) {
      throw ApiException.invalid(field, "must be at most " + maxLength + " characters");
    }
    return Optional.of(s);
  }

  public Optional<Integer> optionalInt(String field, int min, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw ApiException.invalid(field, "must be a whole number from " + min + " to " + max);
    }
    return Optional.of(v.asInt());
  }

  public Optional<Boolean> optionalBoolean(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw ApiException.invalid(field, "must be true or false");
    }
    return Optional.of(v.asBoolean());
  }

  /** An absolute http(s) URL. */
  public static String checkUrl(String field, String url) {
    if (HttpUrls.isHttp(url)) {
      return url;
    }
    throw ApiException.invalid(field, "must be an absolute http:// or https:// URL");
  }

  /** An absolute http(s) URL that {@code policy} lets the workspace reach (422 "refused by network policy"). */
  public static String checkUrl(String field, String url, NetworkPolicy policy) {
    String refusal = policy.refusal(URI.create(checkUrl(field, url)));
    if (refusal != null) {
      throw ApiException.invalid(field, refusal);
    }
    return url;
  }
}
