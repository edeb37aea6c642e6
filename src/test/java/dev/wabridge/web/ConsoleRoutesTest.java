package dev.wabridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.TestApp;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console is served by wabridge itself: pages, assets with their types and caching, deep links, 404s. */
class ConsoleRoutesTest {
  private static TestApp app;

  @BeforeAll
  static void start() {
    app = new TestApp(false, "http://127.0.0.1:9");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static TestApp.Reply get(String path, Map<String, String> headers) {
    return app.request("GET", path, null, null, null, headers);
  }

  private static TestApp.Reply get(String path) {
    return get(path, Map.of());
  }

  @Test
  void rootRedirectsToTheConsole() {
    TestApp.Reply r = get("/");
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.header("Location")).isEqualTo("/console");
  }

  @Test
  void consoleServesTheAppShellWithoutAnApiKey() {
    TestApp.Reply r = get("/console");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/html").contains("utf-8");
    assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(r.header("ETag")).isNotBlank();
    assertThat(r.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.body()).contains("<div id=\"app\"").doesNotContain("{{assets}}");
    assertThat(get("/console/").status()).isEqualTo(200);
  }

  @Test
  void deepLinksServeTheIndexForTheClientSideRouter() {
    String index = get("/console").body();
    for (String path : new String[] {"/console/agents", "/console/agents/agt_123", "/console/sign-in",
        "/console/conversations/conv_abc", "/console/numbers/new", "/console/no/such/page"}) {
      TestApp.Reply r = get(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.header("Content-Type")).as(path).startsWith("text/html");
      assertThat(r.body()).as(path).isEqualTo(index);
    }
  }

  @Test
  void assetsHaveTheirContentTypes() {
    assertThat(get("/console/js/app.js").header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(get("/console/js/pages/thread.js").header("Content-Type")).startsWith("text/javascript");
    assertThat(get("/console/css/base.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(get("/console/favicon.svg").header("Content-Type")).isEqualTo("image/svg+xml");
    TestApp.Reply js = get("/console/js/app.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.body()).contains("import");
    assertThat(js.header("Cache-Control")).isEqualTo("no-cache");
  }

  @Test
  void versionedAssetsLinkedFromTheIndexAreImmutable() {
    Matcher m = Pattern.compile("src=\"(/console/assets/[0-9a-f]+/js/app\\.js)\"").matcher(get("/console").body());
    assertThat(m.find()).as("index links a versioned app.js").isTrue();
    TestApp.Reply r = get(m.group(1));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/javascript");
    assertThat(r.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(r.body()).isEqualTo(get("/console/js/app.js").body());

    TestApp.Reply stale = get("/console/assets/0123456789ab/js/app.js");
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.header("Cache-Control")).isEqualTo("no-cache");
  }

  @Test
  void unknownAssetsAre404NotTheIndex() {
    for (String path : new String[] {"/console/js/nope.js", "/console/missing.css", "/console/assets/abc/js/nope.js",
        "/console/index.html.bak", "/console/assets/" + "x".repeat(12) + "/index.html"}) {
      TestApp.Reply r = get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.header("Content-Type")).as(path).startsWith("application/json");
      assertThat(r.body()).as(path).contains("not_found").doesNotContain("<div id=\"app\"");
    }
  }

  @Test
  void pathsOutsideTheConsoleFilesAreNeverServed() {
    for (String path : new String[] {"/console/../pom.xml", "/console/%2e%2e/%2e%2e/pom.xml",
        "/console/js/../../../logback.xml", "/console/..%2f..%2flogback.xml", "/console/%2e%2e%2flogback.xml"}) {
      TestApp.Reply r = get(path);
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(r.body()).as(path).doesNotContain("<configuration").doesNotContain("<project");
    }
  }

  @Test
  void matchingEtagAnswers304() {
    TestApp.Reply first = get("/console/css/components.css");
    TestApp.Reply again = get("/console/css/components.css", Map.of("If-None-Match", first.header("ETag")));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    TestApp.Reply index = get("/console");
    assertThat(get("/console/agents", Map.of("If-None-Match", index.header("ETag"))).status()).isEqualTo(304);
  }

  @Test
  void apiStaysJsonAndProtected() {
    TestApp.Reply r = get("/api/agents");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").path("code").asString()).isEqualTo("unauthorized");
  }

  @Test
  void everyFileTheIndexLinksExists() {
    Matcher m = Pattern.compile("(?:src|href)=\"(/console/assets/[^\"]+)\"").matcher(get("/console").body());
    int n = 0;
    while (m.find()) {
      assertThat(get(m.group(1)).status()).as(m.group(1)).isEqualTo(200);
      n++;
    }
    assertThat(n).isGreaterThanOrEqualTo(5);
  }
}
