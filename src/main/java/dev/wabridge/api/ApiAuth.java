package dev.wabridge.api;

import dev.wabridge.api.ApiKeyStore.Principal;
import io.javalin.http.Context;
import java.util.Optional;

/** Bearer API keys on {@code /api/*} (the callback is authorised by its token instead), with per-key rate limits. */
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
    ctx.attribute(Api.PRINCIPAL, require(ctx));
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
