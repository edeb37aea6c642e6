package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Graph request's parameters, wherever the client put them. Graph reads parameters from the query string as well
 * as from the body (a JSON object, or a form whose nested objects are JSON text), and client libraries use both:
 * {@code whatsapp-api-js} uploads with {@code ?messaging_product=whatsapp} and the file alone in the form. The body
 * wins where both name a parameter; {@code access_token} is a credential, never a parameter. A parameter that is an
 * object or array (a message type's object, {@code context}, {@code typing_indicator}) may also arrive as JSON text,
 * which Graph decodes: {@code whatsapp-api-js} sends {@code contacts} so.
 */
final class GraphParams {
  private static final Set<String> STRUCTURED = Stream.concat(GraphRequest.TYPES.stream(),
      Stream.of("context", "typing_indicator")).collect(Collectors.toUnmodifiableSet());

  private GraphParams() {
  }

  /** The parameters of a request with a JSON or form body; empty when the body is not valid JSON. */
  static Optional<ObjectNode> of(Context ctx) {
    ObjectNode params;
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
    byte[] body = ctx.bodyAsBytes();
    if (type.startsWith("application/x-www-form-urlencoded")) {
      params = Json.object();
      addAll(params, ctx.formParamMap());
    } else if (body.length == 0) {
      params = Json.object();
    } else {
      try {
        JsonNode parsed = Json.parse(body);
        if (parsed == null || !parsed.isObject()) {
          return Optional.empty();
        }
        params = (ObjectNode) parsed;
      } catch (JacksonException e) {
        return Optional.empty();
      }
    }
    addAll(params, ctx.queryParamMap());
    for (String name : STRUCTURED) {
      JsonNode v = params.get(name);
      if (v != null && v.isString()) {
        params.set(name, value(v.asString()));
      }
    }
    return Optional.of(params);
  }

  /** One text parameter of a multipart request: the form field, else the query string's. */
  static String field(Context ctx, String name) {
    String form = ctx.formParam(name);
    return form != null ? form : ctx.queryParam(name);
  }

  private static void addAll(ObjectNode params, Map<String, List<String>> given) {
    given.forEach((name, values) -> {
      if (!name.equals("access_token") && !values.isEmpty() && !params.has(name)) {
        params.set(name, JsonNodeFactory.instance.stringNode(values.getFirst()));
      }
    });
  }

  /** A nested object or array arrives as JSON text; anything else is the string itself. */
  private static JsonNode value(String raw) {
    String t = raw.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        return Json.parse(t);
      } catch (JacksonException e) {
        // not JSON after all: the text itself
      }
    }
    return JsonNodeFactory.instance.stringNode(raw);
  }
}
