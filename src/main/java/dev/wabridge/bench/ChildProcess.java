package dev.wabridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM the benchmark starts from its own jar: wabridge itself, or one of its fakes. */
final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final String name;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  static String jar() {
    try {
      return Path.of(ChildProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Starts {@code java [jvmArgs] -jar wabridge.jar args} and waits for it to print "ready" (fakes). */
  static ChildProcess fake(String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m"));
    cmd.addAll(extraJvmArgs("wabridge.bench.fakeJvmArgs"));
    cmd.addAll(List.of("-jar", jar()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.contains("ready")) {
        Thread.ofVirtual().start(() -> drain(out));
        return new ChildProcess(name, p);
      }
    }
    throw new IOException(name + " exited before it was ready");
  }

  /** Starts wabridge itself ({@code serve}) with the environment given, logging to a file. */
  static ChildProcess wabridge(Map<String, String> env, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx300m", "-XX:+UseParallelGC"));
    cmd.addAll(extraJvmArgs("wabridge.bench.jvmArgs"));
    cmd.addAll(List.of("-jar", jar(), "serve"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new ChildProcess("wabridge", pb.start());
  }

  /** JVM options for the children from a system property (e.g. a profiler: JFR's %p in a filename is the pid). */
  private static List<String> extraJvmArgs(String property) {
    String extra = System.getProperty(property, "");
    return extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // keep the pipe from filling
      }
    } catch (IOException ignored) {
      // process ended
    }
  }

  /** Resident set size in MiB, from /proc (Linux); -1 elsewhere. */
  long residentMib() {
    try {
      for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException ignored) {
      // not Linux
    }
    return -1;
  }

  /** CPU time (user + system) the process has used so far, in milliseconds; -1 where /proc is missing. */
  long cpuMillis() {
    return cpuMillis(process.pid());
  }

  static long cpuMillis(long pid) {
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of proc(5) (utime, stime), counted from the state field (3); clock ticks of 10 ms
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "(" + process.pid() + ")";
  }
}
