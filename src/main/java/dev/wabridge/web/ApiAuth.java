package dev.wabridge.web;

import dev.wabridge.auth.ApiKeyStore;
import dev.wabridge.auth.AuthThrottle;
import dev.wabridge.auth.KeyRateLimiter;
import dev.wabridge.auth.Scope;
import dev.wabridge.auth.SessionStore;
import dev.wabridge.auth.ApiKeyStore.Principal;
import dev.wabridge.auth.SessionStore.Session;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is calling {@code /api/*} (the callback is authorised by its token instead) and {@code /sandbox/api}: a Bearer
 * API key, or a browser session's cookie ({@link SessionRoutes}). A session is its key as the key is now (deleting
 * the key ends it) and changes state only with its CSRF token in {@code X-CSRF-Token}. Rate limited per key. Every
 * path that takes a key (Bearer, sign-in) goes through {@link #requireKey}: 10 different wrong keys from one client
 * address ({@link ClientAddress}) in 15 minutes lock that address out until the 15 minutes end, whatever key it
 * sends. A session cookie is not counted: its token is 256 random bits, and a page left open sends a dead one as a
 * matter of course; a live session goes on from a locked-out address (it guesses nothing). Also what each key's
 * scope lets it do ({@link #authorize}): the one place that decides it, so a route added later needs {@code full}
 * unless it only reads.
 */
public final class ApiAuth {
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private final ApiKeyStore keys;
  private final KeyRateLimiter limiter;
  private final SessionStore sessions;
  private final ClientAddress clients;
  private final AuthThrottle throttle;

  /** A signed-in browser: its session and the caller it acts as. */
  public record SessionCaller(Session session, Principal principal) {
  }

  /**
   * @param limiter requests per API key
   * @param throttle wrong keys per client address
   */
  public ApiAuth(ApiKeyStore keys, KeyRateLimiter limiter, AuthThrottle throttle, SessionStore sessions,
      ClientAddress clients) {
    this.keys = keys;
    this.limiter = limiter;
    this.sessions = sessions;
    this.clients = clients;
    this.throttle = throttle;
  }

  /** The before-handler of {@code /api/*}: every route but the callback, the OpenAPI file and sign-in needs a caller. */
  public void authenticate(Context ctx) {
    String path = ctx.path();
    if (path.startsWith("/api/callback/") || path.equals("/api/openapi.json") || path.equals(SessionRoutes.PATH)) {
      return;
    }
    ctx.attribute(Api.PRINCIPAL, authorize(ctx, require(ctx)));
  }

  /** Sending as the business: the one state change a {@code send} key may make. */
  private static final Pattern SENDS = Pattern.compile("/api/conversations/[^/]+/messages|/sandbox/api/messages");

  /** The sandbox's Cloud API credentials: reading them needs {@code send}, as they send. */
  public static final String SANDBOX_CREDENTIALS = "/sandbox/api/credentials";

  /**
   * The scope a request needs: reading (GET, HEAD, OPTIONS) needs {@code read}, except the sandbox's Graph API
   * credentials ({@code GET /sandbox/api/credentials}), which need {@code send}; sending a message as the business
   * ({@code POST /api/conversations/{id}/messages}, {@code POST /sandbox/api/messages}) needs {@code send}; every
   * other request changes something and needs {@code full}. Workspaces and sandbox faults need {@code admin}, which
   * their routes check.
   */
  public static Scope needed(String method, String path) {
    return switch (method) {
      // The sandbox's Graph API token sends as the business, so reading it needs what sending needs.
      case "GET", "HEAD" -> path.replaceAll("/+$", "").equals(SANDBOX_CREDENTIALS) ? Scope.SEND : Scope.READ;
      case "OPTIONS" -> Scope.READ;
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
   * 401, 403 or 429 to answer otherwise. {@code Authorization} wins over a session cookie when both are sent.
   */
  public Principal require(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null && ctx.cookie(SessionRoutes.COOKIE) != null) {
      return requireSession(ctx).principal();
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthorized", "send your API key as Authorization: Bearer <api key> (pages sign "
          + "in with POST /api/session)");
    }
    return requireKey(ctx, header.substring(7).trim());
  }

  /**
   * The caller whose API key this is, rate limited per key. Throws the 401 for a wrong key (counted against the
   * client's address), the 429 {@code sign_in_throttled} for any key from an address locked out for wrong keys, and
   * the 429 {@code rate_limited} for a key over its rate. While no address is locked out, a valid key costs no more
   * than the key's own check.
   */
  public Principal requireKey(Context ctx, String key) {
    String address = null;
    if (throttle.active()) {
      address = clients.group(ctx);
      long wait = throttle.retryAfter(address);
      if (wait > 0) {
        ctx.header("Retry-After", Long.toString(wait));
        throw new ApiException(429, "sign_in_throttled", "too many wrong API keys from this address; retry after "
            + wait + " s");
      }
    }
    Optional<Principal> p = keys.authenticate(key);
    if (p.isEmpty()) {
      throttle.failed(address != null ? address : clients.group(ctx), key);
      throw new ApiException(401, "unauthorized", "the API key is not valid; use the admin key printed at first "
          + "start (or WABRIDGE_ADMIN_KEY) or a key from POST /api/keys");
    }
    throttle(ctx, p.get());
    return p.get();
  }

  /**
   * The browser session in the request's cookie, live and with its key still there, touched; a request that is not
   * GET or HEAD must carry the session's CSRF token. Throws the 401, 403 or 429 to answer otherwise.
   */
  public SessionCaller requireSession(Context ctx) {
    String token = ctx.cookie(SessionRoutes.COOKIE);
    if (token == null) {
      throw new ApiException(401, "not_signed_in", "not signed in: sign in with POST /api/session {\"api_key\": …}");
    }
    Session s = sessions.find(token).orElseThrow(() -> new ApiException(401, "unauthorized",
        "your session has ended (you signed out, or it expired); sign in again with your API key"));
    // A dead session's row stays until the housekeeper's sweep, so every page that still holds its cookie is told why.
    if (s.expired(sessions.now())) {
      throw new ApiException(401, "session_expired", "your session expired (12 hours without use, or 7 days after "
          + "signing in); sign in again with your API key");
    }
    Optional<Principal> p = keys.principalById(s.keyId());
    if (p.isEmpty()) {
      throw new ApiException(401, "unauthorized", "the API key this session signed in with was deleted; sign in "
          + "again with a valid key");
    }
    if (!safe(ctx.method().name()) && !matches(ctx.header(CSRF_HEADER), s.csrfToken())) {
      throw new ApiException(403, "csrf_failed", "this request needs the header " + CSRF_HEADER + " with the "
          + "csrf_token of GET /api/session; reload the page and try again");
    }
    throttle(ctx, p.get());
    return new SessionCaller(sessions.touch(s), p.get());
  }

  private void throttle(Context ctx, Principal p) {
    long wait = limiter.acquire(p.keyId());
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
      throw new ApiException(429, "rate_limited", "too many requests for this API key; retry after " + wait + " s");
    }
  }

  private static boolean safe(String method) {
    return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
  }

  private static boolean matches(String given, String expected) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }
}
