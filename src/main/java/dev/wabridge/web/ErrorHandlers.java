package dev.wabridge.web;

import dev.wabridge.support.Json;
import dev.wabridge.support.Refused;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import tools.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as {@code {"error": {"code", "message"}}}; unexpected ones are logged, never echoed. */
public final class ErrorHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

  private ErrorHandlers() {
  }

  public static void register(RoutesConfig r) {
    r.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e.code(), e.getMessage()));
    r.exception(Refused.class, (e, ctx) -> {
      if (e.retryAfterSeconds() > 0) {
        ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
      }
      write(ctx, status(e.reason()), e.code(), e.getMessage());
    });
    r.exception(HttpResponseException.class, (e, ctx) -> {
      switch (e.getStatus()) {
        case 404 -> write(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
        case 405 -> write(ctx, 405, "method_not_allowed", ctx.method() + " is not supported on " + ctx.path());
        case 413 -> write(ctx, 413, "payload_too_large", "the request body is over the "
            + (dev.wabridge.web.WebhookRoutes.MAX_BODY >> 20) + " MB this server takes; send media as a url, "
            + "not inline");
        default -> write(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage());
      }
    });
    r.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      write(ctx, 500, "internal_error", "something went wrong on our side; it was logged, please retry");
    });
    r.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        write(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
      }
    });
    r.error(405, ctx -> write(ctx, 405, "method_not_allowed", ctx.method() + " is not supported on " + ctx.path()));
  }

  /** The HTTP status of a refusal. */
  public static int status(Refused.Reason reason) {
    return switch (reason) {
      case MALFORMED -> 400;
      case UNAUTHENTICATED -> 401;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case INVALID -> 422;
      case BUSY -> 429;
    };
  }

  public static void write(Context ctx, int status, String code, String message) {
    ctx.status(status).contentType("application/json").result(body(code, message));
  }

  /** The error document as bytes, for handlers outside Javalin. */
  public static byte[] body(String code, String message) {
    ObjectNode o = Json.object();
    ObjectNode e = o.putObject("error");
    e.put("code", code);
    e.put("message", message);
    return Json.bytes(o);
  }
}
