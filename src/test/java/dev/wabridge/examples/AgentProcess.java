package dev.wabridge.examples;

import dev.wabridge.agent.AgentSignature;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One example agent running as a real child process on a free loopback port. {@link #close()} always ends it and
 * its descendants; startup and every request are bounded in time.
 */
final class AgentProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration REQUEST = Duration.ofSeconds(15);

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private AgentProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code command} in {@code dir} with PORT, HOST and {@code env}, and waits until the port answers. */
  static AgentProcess start(Path dir, List<String> command, Map<String, String> env) throws IOException {
    int port = TestApp.freePort();
    Path log = Files.createTempFile("wabridge-example", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("HOST", "127.0.0.1");
    AgentProcess agent = new AgentProcess(pb.start(), log, port);
    try {
      agent.awaitListening();
      return agent;
    } catch (RuntimeException | Error e) {
      agent.close();
      throw e;
    }
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the example exited with " + process.exitValue() + " before listening:\n" + output());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 250);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new AssertionError("the example did not listen on port " + port + " within " + STARTUP + ":\n" + output());
  }

  /** POSTs {@code body} to /webhook, signed with {@code secret} at {@code unixSeconds} (no header when null). */
  HttpResponse<String> postSigned(String body, String secret, long unixSeconds) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return post(bytes, secret == null ? null : AgentSignature.header(secret, unixSeconds, bytes));
  }

  HttpResponse<String> post(byte[] body, String signature) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook"))
        .timeout(REQUEST).header("Content-Type", "application/json").header("User-Agent", "wabridge/test")
        .header("X-Wabridge-Delivery", "dlv_test").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      b.header("X-Wabridge-Signature", signature);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to the example failed: " + e + "\n" + output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What the process printed so far, for failure messages. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      http.close();
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a temp file; the OS cleans it up
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
