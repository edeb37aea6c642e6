package dev.wabridge.bench;

import dev.wabridge.support.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bench} (docs/contract.md section 9): starts a fresh wabridge, a fake agent and a fake Graph API as separate
 * processes, sends N customers' messages through the whole WhatsApp traffic (webhook, mark-read + typing,
 * agent call, send, sent/delivered/read status webhooks) first at a controlled rate, then flat out, and runs the
 * same flat-out traffic through a no-storage relay as the baseline.
 */
@Command(name = "bench", description = "Measure the whole pipeline against a no-storage relay baseline.")
public final class BenchCommand implements Callable<Integer> {
  static final String SECRET = "bench-app-secret";
  static final String ADMIN_KEY = "wab_bench_admin_key_0000000000";

  @Option(names = "--messages", defaultValue = "20000", description = "messages in all (default ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--database", defaultValue = "sqlite", description = "sqlite or postgresql")
  String database;

  @Option(names = "--database-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test",
      description = "server for --database postgresql; a fresh database is created on it")
  String databaseUrl;

  @Option(names = "--database-user", defaultValue = "postgres")
  String databaseUser;

  @Option(names = "--rate", defaultValue = "1000", description = "messages/s of the controlled phase")
  int rate;

  @Option(names = "--numbers", defaultValue = "3", description = "business numbers (Meta caps each at 1000/s)")
  int numbers;

  @Option(names = "--customers",
      description = "distinct customers, hence conversations stored (default: one per 20 messages, warm-up included)")
  Integer customersOption;

  @Option(names = "--out", description = "write the results as JSON here")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!database.equals("sqlite") && !database.equals("postgresql")) {
      System.err.println("--database must be sqlite or postgresql");
      return 2;
    }
    // About 20 messages per customer, warm-up included: Meta lets a business send one customer a burst of 45,
    // then one message every 6 s, and wabridge paces sends to that, so more per customer measures the pacing.
    int customers = customersOption != null ? customersOption : Math.max(50, (messages + warmUp()) / 20);
    int rated = Math.min(messages / 4, rate * 5);
    String[] pnids = new String[numbers];
    for (int i = 0; i < numbers; i++) {
      pnids[i] = Long.toString(100_000_000_001L + i);
    }
    System.out.printf("bench: %d messages from %d customers to %d numbers; %d at %d/s, then %d flat out (%s)%n",
        messages, customers, numbers, rated, rate, messages - rated, database);

    Results wabridge = runWabridge(pnids, customers, rated);
    double relay = runRelay(pnids, customers, messages - rated);
    ObjectNode json = wabridge.json(messages, customers, database, relay);
    BenchReport.print(json, wabridge);
    if (out != null) {
      Files.writeString(out, json.toPrettyString() + "\n");
      System.out.println("wrote " + out);
    }
    return 0;
  }

  private Results runWabridge(String[] pnids, int customers, int rated) throws Exception {
    int agentPort = freePort();
    int graphPort = freePort();
    int port = freePort();
    Path data = Files.createTempDirectory("wabridge-bench");
    Map<String, String> env = new HashMap<>();
    env.put("WABRIDGE_PORT", Integer.toString(port));
    env.put("WABRIDGE_DATA_DIR", data.toString());
    env.put("WABRIDGE_ADMIN_KEY", ADMIN_KEY);
    env.put("WABRIDGE_SANDBOX", "false");
    env.put("WABRIDGE_GRAPH_URL", "http://127.0.0.1:" + graphPort);
    String pgDatabase = null;
    if (database.equals("postgresql")) {
      pgDatabase = "wabridge_bench_" + System.currentTimeMillis();
      try (Connection c = DriverManager.getConnection(databaseUrl, databaseUser, null)) {
        c.createStatement().execute("CREATE DATABASE " + pgDatabase);
      }
      env.put("WABRIDGE_DATABASE_URL", databaseUrl.substring(0, databaseUrl.lastIndexOf('/') + 1) + pgDatabase);
      env.put("WABRIDGE_DATABASE_USER", databaseUser);
    }
    String base = "http://127.0.0.1:" + port;
    try (ChildProcess agent = ChildProcess.fake("agent", List.of("bench-agent", "--port", "" + agentPort));
         ChildProcess graph = ChildProcess.fake("graph", List.of("bench-graph", "--port", "" + graphPort,
             "--webhook", base + "/webhooks/whatsapp", "--secret", SECRET));
         ChildProcess app = ChildProcess.wabridge(env, data.resolve("wabridge.log"))) {
      waitHealthy(base);
      for (int i = 0; i < pnids.length; i++) {
        String numberId = Json.parse(api(base, "/api/numbers", "{\"phone_number_id\":\"" + pnids[i] + "\","
            + "\"display_phone_number\":\"+1 555 000 000" + i + "\",\"access_token\":\"bench-token\",\"app_secret\":\""
            + SECRET + "\",\"verify_token\":\"bench\",\"throughput_mps\":1000}")).get("id").asString();
        String agentId = Json.parse(api(base, "/api/agents", "{\"name\":\"Bench " + i + "\",\"webhook_url\":"
            + "\"http://127.0.0.1:" + agentPort + "/\",\"number_id\":\"" + numberId + "\"}")).get("id").asString();
        api(base, "/api/agents/" + agentId + "/deploy", "");
      }
      String graphUrl = "http://127.0.0.1:" + graphPort;
      LoadDriver driver = new LoadDriver(base + "/webhooks/whatsapp", SECRET, pnids, customers);
      int warm = warmUp();
      System.out.printf("bench: warm-up (JIT), %d messages, not counted%n", warm);
      ChildProcess[] measured = {app, agent, graph};
      driver.flatOut(messages, messages + warm, 128);
      waitForReplies(graphUrl, warm, 1800);
      waitForQuiet(measured);
      System.out.printf("bench: controlled phase, %d messages at %d/s%n", rated, rate);
      driver.rated(0, rated, rate);
      waitForReplies(graphUrl, warm + rated, 1800);
      waitForQuiet(measured);
      System.out.printf("bench: flat-out phase, %d messages%n", messages - rated);
      long[] cpuBefore = cpu(measured);
      driver.flatOut(rated, messages, 128);
      Map<String, long[]> replies = waitForReplies(graphUrl, warm + messages, 1800);
      waitForQuiet(measured);
      long[] cpuAfter = cpu(measured);
      long rss = app.residentMib();
      int flat = messages - rated;
      Map<String, Long> cpuPerMessage = new java.util.LinkedHashMap<>();
      List<String> names = database.equals("postgresql")
          ? List.of("wabridge", "agent", "graph", "driver", "postgresql")
          : List.of("wabridge", "agent", "graph", "driver");
      for (int i = 0; i < names.size(); i++) {
        cpuPerMessage.put(names.get(i), (cpuAfter[i] - cpuBefore[i]) * 1000 / Math.max(1, flat));
      }
      return Results.compute(driver, replies, rated, messages, rss, cpuPerMessage);
    } finally {
      if (pgDatabase != null) {
        try (Connection c = DriverManager.getConnection(databaseUrl, databaseUser, null)) {
          c.createStatement().execute("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
        }
      }
    }
  }

  private double runRelay(String[] pnids, int customers, int count) throws Exception {
    int agentPort = freePort();
    int graphPort = freePort();
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    try (ChildProcess agent = ChildProcess.fake("agent", List.of("bench-agent", "--port", "" + agentPort));
         ChildProcess graph = ChildProcess.fake("graph", List.of("bench-graph", "--port", "" + graphPort,
             "--webhook", base + "/webhooks/whatsapp", "--secret", SECRET));
         ChildProcess relay = ChildProcess.fake("relay", List.of("bench-relay", "--port", "" + port, "--graph",
             "http://127.0.0.1:" + graphPort, "--agent", "http://127.0.0.1:" + agentPort + "/", "--secret", SECRET))) {
      LoadDriver driver = new LoadDriver(base + "/webhooks/whatsapp", SECRET, pnids, customers);
      int warm = warmUp();
      System.out.printf("bench: relay warm-up (JIT), %d messages, not counted%n", warm);
      driver.flatOut(messages, messages + warm, 128);
      waitForReplies("http://127.0.0.1:" + graphPort, warm, 1800);
      driver.sent.clear();
      System.out.printf("bench: relay baseline, %d messages flat out%n", count);
      driver.flatOut(0, count, 128);
      Map<String, long[]> replies = waitForReplies("http://127.0.0.1:" + graphPort, warm + count, 1800);
      replies.keySet().removeIf(id -> Integer.parseInt(id.substring(1)) >= messages);
      long first = driver.sent.values().stream().mapToLong(LoadDriver.Sent::sentMicros).min().orElse(0);
      long last = replies.values().stream().mapToLong(r -> r[0]).max().orElse(first + 1);
      return replies.size() / ((last - first) / 1e6);
    }
  }

  /**
   * Messages sent flat out before measuring, so that every JVM has compiled its hot path; not counted. Fewer left
   * the C2 compilers busy in the controlled phase (README, Performance).
   */
  private static int warmUp() {
    return 20_000;
  }

  /**
   * Waits until every process is idle: the replies are in, but the status webhooks of the last messages, their
   * writes and PostgreSQL's autovacuum may still be running, and would otherwise be measured as the next phase's
   * cost and latency. Idle: under 5 % of a core for half a second (at most a minute).
   */
  private static void waitForQuiet(ChildProcess[] processes) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long before = java.util.Arrays.stream(cpu(processes)).sum();
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      long now = java.util.Arrays.stream(cpu(processes)).sum();
      if (now - before < 25) {
        return;
      }
      before = now;
    }
  }

  /** CPU used so far by the PostgreSQL server's processes on this machine (0 if it runs elsewhere). */
  private static long postgresCpuMillis() {
    long total = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (Files.readString(p.resolve("comm")).strip().equals("postgres")) {
            total += Math.max(0, ChildProcess.cpuMillis(Long.parseLong(name)));
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }
    } catch (IOException ignored) {
      // no /proc
    }
    return total;
  }

  /** CPU milliseconds used so far by each process, then by this one (the load driver), then by PostgreSQL. */
  private static long[] cpu(ChildProcess[] processes) {
    long[] out = new long[processes.length + 2];
    for (int i = 0; i < processes.length; i++) {
      out[i] = processes[i].cpuMillis();
    }
    out[processes.length] = ChildProcess.cpuMillis(ProcessHandle.current().pid());
    out[processes.length + 1] = postgresCpuMillis();
    return out;
  }

  /** Polls the fake Graph API until {@code count} replies arrived, progress stops for 10 s, or the time is up; returns id → {µs, agent µs}. */
  static Map<String, long[]> waitForReplies(String graphUrl, int count, int seconds) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Map<String, long[]> replies = new HashMap<>();
    int stable = 0;
    int lastSize = -1;
    int lines = 0;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(graphUrl + "/stats/" + lines)).build(),
          HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().isEmpty() ? new String[0] : r.body().split("\n")) {
        lines++;
        String[] p = line.split(" ");
        long[] previous = replies.put(p[0], new long[] {Long.parseLong(p[1]), Long.parseLong(p[2]), 1});
        if (previous != null) {
          replies.get(p[0])[2] = previous[2] + 1;
        }
      }
      if (replies.size() >= count) {
        return replies;
      }
      stable = replies.size() == lastSize ? stable + 1 : 0;
      lastSize = replies.size();
      if (stable > 40) {
        break;
      }
      Thread.sleep(250);
    }
    return replies;
  }

  private static void waitHealthy(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 600; i++) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("wabridge did not start; see its log in the bench data dir");
  }

  private static String api(String base, String path, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static List<Long> sorted(List<Long> values) {
    List<Long> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy;
  }
}
