package dev.wabridge.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.TestApp;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 */
class BrowserSpecsTest {
  private static final Path DIR = Path.of("src/test/browser");
  private static TestApp app;
  /** Meta's Graph for the numbers the console registers: it lets any token read the number and accepts sends. */
  private static FakeServer graph;

  @BeforeAll
  static void start() throws Exception {
    String mode = System.getProperty("wabridge.test.browser", "auto");
    boolean chromium = new File(System.getProperty("wabridge.chromium", "/usr/bin/chromium")).canExecute();
    boolean node = run(List.of("node", "--version"), DIR, 20).exitCode == 0;
    if (!chromium || !node || mode.equals("false")) {
      String why = mode.equals("false") ? "wabridge.test.browser=false"
          : "missing " + (!chromium ? "/usr/bin/chromium (apt-get install chromium) " : "") + (!node ? "node" : "");
      if (mode.equals("true")) {
        throw new IllegalStateException("browser tests are required here but " + why);
      }
      Assumptions.abort("browser tests SKIPPED: " + why);
    }
    if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
      Result install = run(List.of("npm", "install", "--no-audit", "--no-fund"), DIR, 300);
      assertThat(install.exitCode).as("npm install in src/test/browser:\n" + install.output).isZero();
    }
    graph = new FakeServer(r -> FakeServer.Response.json(200, "{\"messages\":[{\"id\":\"wamid.B" + System.nanoTime()
        + "\"}]}"));
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
      return specs.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
        Result r = run(List.of("node", DIR.relativize(spec).toString()), DIR, 180,
            Map.of("WABRIDGE_URL", app.url(), "WABRIDGE_ADMIN_KEY", TestApp.ADMIN_KEY,
                "SCREENSHOT_DIR", Path.of("target/screenshots").toAbsolutePath().toString()));
        assertThat(r.exitCode).as(spec + " output:\n" + r.output).isZero();
      }));
    }
  }

  private record Result(int exitCode, String output) {
  }

  private static Result run(List<String> command, Path dir, int timeoutSeconds) {
    return run(command, dir, timeoutSeconds, Map.of());
  }

  private static Result run(List<String> command, Path dir, int timeoutSeconds, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      Path log = Files.createTempFile("browser", ".log");
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
