package dev.wabridge.web;

import dev.wabridge.support.Json;
import dev.wabridge.auth.ApiKeyStore.Principal;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers every route uses: JSON out, the caller, lists in the contract's shape, RFC 3339 times. */
public final class Api {
  static final String PRINCIPAL = "wabridge.principal";

  private Api() {
  }

  public static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.bytes(body));
  }

  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new ApiException(401, "unauthorized", "send Authorization: Bearer <api key>");
    }
    return p;
  }

  public static String workspace(Context ctx) {
    return principal(ctx).workspaceId();
  }

  public static Body body(Context ctx) {
    return Body.parse(ctx.bodyAsBytes());
  }

  /** {@code {"data": [...], "next_cursor": …}}; a full page has a cursor, a short one ends the list. */
  public static <T> ObjectNode list(List<T> rows, int limit, Function<T, ObjectNode> view, Function<T, String> cursor) {
    ObjectNode out = Json.object();
    ArrayNode data = out.putArray("data");
    for (T row : rows) {
      data.add(view.apply(row));
    }
    out.put("next_cursor", rows.size() == limit && !rows.isEmpty() ? cursor.apply(rows.getLast()) : null);
    return out;
  }

  public static String time(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }
}
