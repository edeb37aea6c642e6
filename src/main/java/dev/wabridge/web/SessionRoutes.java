package dev.wabridge.web;

import dev.wabridge.auth.ApiKeyStore;
import dev.wabridge.auth.SessionStore;
import dev.wabridge.support.Json;
import dev.wabridge.web.ApiAuth.SessionCaller;
import dev.wabridge.auth.ApiKeyStore.Principal;
import dev.wabridge.auth.SessionStore.Session;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signing a browser in and out, so that no page keeps an API key in its storage: {@code POST /api/session} trades a
 * key for an HttpOnly, SameSite=Strict cookie (Secure when the public URL is https) and a CSRF token;
 * {@code GET /api/session} tells a reloaded page who it is and its CSRF token; {@code DELETE /api/session} ends the
 * session on the server and clears the cookie. A sign-in is a key like a Bearer one ({@link ApiAuth#requireKey}):
 * wrong keys are throttled per client address and a valid key's sign-ins count against its rate limit. Only a JSON
 * sign-in from a same-site page is taken, so another site cannot sign a browser in to a workspace of its choosing.
 */
public final class SessionRoutes {
  public static final String PATH = "/api/session";
  public static final String COOKIE = "wabridge_session";

  private final ApiKeyStore keys;
  private final SessionStore sessions;
  private final ApiAuth auth;
  private final String cookieAttributes;

  public SessionRoutes(ApiKeyStore keys, SessionStore sessions, ApiAuth auth, String publicUrl) {
    this.keys = keys;
    this.sessions = sessions;
    this.auth = auth;
    this.cookieAttributes = "; Path=/; HttpOnly; SameSite=Strict" + (publicUrl.startsWith("https:") ? "; Secure" : "");
  }

  public void register(RoutesConfig r) {
    r.post(PATH, this::signIn);
    r.get(PATH, this::show);
    r.delete(PATH, this::signOut);
  }

  private void signIn(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    if ("cross-site".equals(ctx.header("Sec-Fetch-Site"))) {
      throw new ApiException(403, "cross_site_sign_in", "sign in from wabridge's own console or sandbox page");
    }
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw new ApiException(415, "unsupported_media_type", "send {\"api_key\": \"…\"} with Content-Type: "
          + "application/json");
    }
    // Counted against the key's rate limit like any request, so signing in cannot mint sessions without bound.
    Principal p = auth.requireKey(ctx, Api.body(ctx).requiredString("api_key", 512));
    // A fresh token on every sign-in; the session this browser had before ends.
    Optional.ofNullable(ctx.cookie(COOKIE)).flatMap(sessions::find).ifPresent(sessions::delete);
    SessionStore.Created created = sessions.create(p.keyId());
    ctx.header("Set-Cookie", COOKIE + "=" + created.token() + cookieAttributes);
    Api.json(ctx, 201, view(created.session(), p));
  }

  private void show(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    SessionCaller caller = auth.requireSession(ctx);
    Api.json(ctx, 200, view(caller.session(), caller.principal()));
  }

  /** Idempotent: without a live session it only clears the cookie. With one, it needs the CSRF token. */
  private void signOut(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    String token = ctx.cookie(COOKIE);
    if (token != null) {
      try {
        sessions.delete(auth.requireSession(ctx).session());
      } catch (ApiException e) {
        if (e.status() != 401) {
          throw e; // without its CSRF token (403) or over the rate limit (429), a sign-out ends nothing
        }
        sessions.find(token).ifPresent(sessions::delete); // already dead (expired, key deleted): gone now
      }
    }
    ctx.header("Set-Cookie", COOKIE + "=; Max-Age=0" + cookieAttributes);
    ctx.status(204);
  }

  private ObjectNode view(Session s, Principal p) {
    ObjectNode o = Json.object();
    o.put("workspace_id", p.workspaceId());
    o.put("key_id", p.keyId());
    o.put("key_name", keys.name(p.keyId()));
    o.put("scope", p.scope().wire());
    o.put("csrf_token", s.csrfToken());
    o.put("expires_at", Api.time(s.expiresAt()));
    return o;
  }
}
