package dev.wabridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs Node (and npm) for the suites driven from JUnit: the browser specs and the Cloud API client libraries. */
public final class NodeScripts {
  private NodeScripts() {
  }

  /** How a command ended: its exit code (-1: it could not start or timed out) and its output, stderr included. */
  public record Result(int exitCode, String output) {
  }

  public static boolean nodeAvailable(Path dir) {
    return run(List.of("node", "--version"), dir, 20, Map.of()).exitCode() == 0;
  }

  public static Result run(List<String> command, Path dir, int timeoutSeconds, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      Path log = Files.createTempFile("node", ".log");
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
