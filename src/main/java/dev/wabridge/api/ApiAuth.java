package dev.wabridge.api;

import dev.wabridge.api.ApiKeyStore.Principal;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bearer API keys on {@code /api/*} (the callback is authorised by its token instead), with per-key rate limits,
 * and what each key's scope lets it do ({@link #authorize}): the one place that decides it, so a route added later
 * needs {@code full} unless it only reads.
 */
public final class ApiAuth {
  private final ApiKeyStore keys;
  private final KeyRateLimiter limiter;

  public ApiAuth(ApiKeyStore keys, KeyRateLimiter limiter) {
    this.keys = keys;
    this.limiter = limiter;
  }

  /** The before-handler of {@code /api/*}: every route but the callback and the OpenAPI file needs a caller. */
  public void authenticate(Context ctx) {
    String path = ctx.path();
    if (path.startsWith("/api/callback/") || path.equals("/api/openapi.json")) {
      return;
    }
    ctx.attribute(Api.PRINCIPAL, authorize(ctx, require(ctx)));
  }

  /** Sending as the business: the one state change a {@code send} key may make. */
  private static final Pattern SENDS = Pattern.compile("/api/conversations/[^/]+/messages|/sandbox/api/messages");

  /**
   * The scope a request needs: reading (GET, HEAD, OPTIONS) needs {@code read}; sending a message as the business
   * ({@code POST /api/conversations/{id}/messages}, {@code POST /sandbox/api/messages}) needs {@code send}; every
   * other request changes something and needs {@code full}. Workspaces and sandbox faults need {@code admin}, which
   * their routes check.
   */
  static Scope needed(String method, String path) {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS" -> Scope.READ;
      case "POST" -> SENDS.matcher(path).matches() ? Scope.SEND : Scope.FULL;
      default -> Scope.FULL;
    };
  }

  /**
   * Lets the caller's request through if its key's scope includes what the request needs ({@link #needed});
   * otherwise throws the 403 that names both. For {@code /api/*} and {@code /sandbox/api/*}.
   */
  public Principal authorize(Context ctx, Principal p) {
    Scope needed = needed(ctx.method().name(), ctx.path());
    if (!p.scope().includes(needed)) {
      throw insufficient(needed, p.scope());
    }
    return p;
  }

  /** The 403 for a key whose scope does not include {@code needed}. */
  public static ApiException insufficient(Scope needed, Scope has) {
    String how = needed == Scope.ADMIN ? "only the admin key may"
        : "create a key that may with POST /api/keys {\"name\", \"scope\": \"" + needed.wire() + "\"} using a full key";
    return new ApiException(403, "insufficient_scope", "this needs an API key with scope '" + needed.wire()
        + "' or above; this key's scope is '" + has.wire() + "' (" + how + ")");
  }

  /**
   * The caller of any authenticated surface ({@code /api}, {@code /sandbox/api}), rate limited per key; throws the
   * 401 or 429 to answer otherwise.
   */
  public Principal require(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthorized", "send your API key as Authorization: Bearer <api key>");
    }
    Optional<Principal> p = keys.authenticate(header.substring(7).trim());
    if (p.isEmpty()) {
      throw new ApiException(401, "unauthorized", "the API key is not valid; create one with POST /api/keys or use "
          + "the admin key printed at first start");
    }
    long wait = limiter.acquire(p.get().keyId());
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
      throw new ApiException(429, "rate_limited", "too many requests for this API key; retry after " + wait + " s");
    }
    return p.get();
  }
}
