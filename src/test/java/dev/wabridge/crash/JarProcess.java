package dev.wabridge.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@code target/wabridge.jar} as a separate process, killed with SIGKILL or stopped with SIGTERM. */
final class JarProcess {
  private final Map<String, String> env;
  private final Path log;
  private final int port;
  private Process process;

  JarProcess(Map<String, String> env, Path log, int port) {
    this.env = env;
    this.log = log;
    this.port = port;
  }

  void start() {
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = System.getProperty("wabridge.jar", "target/wabridge.jar");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar, "serve"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + jar, e);
    }
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("wabridge exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("wabridge did not answer /healthz within 60 s; see " + log);
  }

  /** SIGKILL: no shutdown hook, no drain. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  void forceStop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
