package dev.wabridge.web;

import io.javalin.http.Context;

/** {@code ?limit=&cursor=} of a list request: default 50, at most 200; the cursor is opaque to callers. */
public record Page(int limit, String cursor) {
  public static Page of(Context ctx) {
    String l = ctx.queryParam("limit");
    int limit = 50;
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 200) {
        throw ApiException.badRequest("invalid_limit", "limit must be a whole number from 1 to 200");
      }
    }
    String c = ctx.queryParam("cursor");
    return new Page(limit, c == null || c.isBlank() ? null : c);
  }
}
