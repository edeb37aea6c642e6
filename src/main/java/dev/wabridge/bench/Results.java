package dev.wabridge.bench;

import dev.wabridge.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** What one wabridge run measured, and the contract's JSON for it. */
record Results(double throughput, double ackP50, double ackP99, double addedP50, double addedP99,
               double ackP50Flat, double ackP99Flat, int lost, int duplicated, long rssMib,
               Map<String, Long> cpuMicrosPerMessage) {

  static Results compute(LoadDriver driver, Map<String, long[]> replies, int rated, int total, long rssMib,
                         Map<String, Long> cpuMicrosPerMessage) {
    List<Long> ack = new ArrayList<>();
    List<Long> added = new ArrayList<>();
    List<Long> ackFlat = new ArrayList<>();
    long firstFlat = Long.MAX_VALUE;
    long lastFlat = 0;
    int lost = 0;
    int duplicated = 0;
    for (int i = 0; i < total; i++) {
      String id = "m" + i;
      LoadDriver.Sent s = driver.sent.get(id);
      long[] r = replies.get(id);
      if (s == null) {
        continue;
      }
      if (r == null) {
        lost++;
        continue;
      }
      duplicated += (int) (r[2] - 1);
      if (i < rated) {
        ack.add(s.ackMicros() - s.sentMicros());
        added.add(r[0] - s.sentMicros() - r[1]);
      } else {
        ackFlat.add(s.ackMicros() - s.sentMicros());
        firstFlat = Math.min(firstFlat, s.sentMicros());
        lastFlat = Math.max(lastFlat, r[0]);
      }
    }
    trace(driver, replies, rated);
    int flatCount = ackFlat.size();
    double throughput = flatCount == 0 ? 0 : flatCount / ((lastFlat - firstFlat) / 1e6);
    return new Results(throughput, pct(ack, 50), pct(ack, 99), pct(added, 50), pct(added, 99), pct(ackFlat, 50),
        pct(ackFlat, 99), lost, duplicated, rssMib, cpuMicrosPerMessage);
  }

  /** The percentile in milliseconds. */
  static double pct(List<Long> micros, int p) {
    if (micros.isEmpty()) {
      return Double.NaN;
    }
    List<Long> s = BenchCommand.sorted(micros);
    int idx = (int) Math.min(s.size() - 1, Math.ceil(p / 100.0 * s.size()) - 1);
    return Math.round(s.get(Math.max(0, idx)) / 10.0) / 100.0;
  }

  ObjectNode json(int messages, int customers, String database, double relay) {
    ObjectNode o = Json.object();
    o.put("messages", messages);
    o.put("conversations", customers);
    o.put("database", database);
    o.put("throughput_msgs_per_s", Math.round(throughput));
    o.put("ack_p50_ms", ackP50);
    o.put("ack_p99_ms", ackP99);
    o.put("added_p50_ms", addedP50);
    o.put("added_p99_ms", addedP99);
    o.put("relay_msgs_per_s", Math.round(relay));
    o.put("ratio_to_relay", relay == 0 ? 0 : Math.round(throughput / relay * 100) / 100.0);
    o.put("lost", lost);
    o.put("duplicated", duplicated);
    o.put("cpus", Runtime.getRuntime().availableProcessors());
    o.put("java", System.getProperty("java.version"));
    o.put("flat_out_ack_p50_ms", ackP50Flat);
    o.put("flat_out_ack_p99_ms", ackP99Flat);
    o.put("rss_mib", rssMib);
    ObjectNode cpu = o.putObject("flat_out_cpu_us_per_msg");
    cpuMicrosPerMessage.forEach(cpu::put);
    return o;
  }

  /**
   * With {@code -Dwabridge.bench.trace=FILE}, writes the controlled phase one message a line (when it was sent,
   * its ack latency and its added latency, in µs; by message number), to see whether the slow ones come together.
   */
  private static void trace(LoadDriver driver, Map<String, long[]> replies, int rated) {
    String file = System.getProperty("wabridge.bench.trace");
    if (file == null) {
      return;
    }
    StringBuilder sb = new StringBuilder("message,sent_at_us,ack_latency_us,added_latency_us\n");
    for (int i = 0; i < rated; i++) {
      LoadDriver.Sent s = driver.sent.get("m" + i);
      long[] r = replies.get("m" + i);
      if (s != null && r != null) {
        sb.append(i).append(',').append(s.sentMicros()).append(',').append(s.ackMicros() - s.sentMicros())
            .append(',').append(r[0] - s.sentMicros() - r[1]).append('\n');
      }
    }
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(file), sb);
    } catch (java.io.IOException e) {
      System.err.println("bench: cannot write the trace " + file + ": " + e.getMessage());
    }
  }
}
