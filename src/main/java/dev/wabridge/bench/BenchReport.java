package dev.wabridge.bench;

import tools.jackson.databind.JsonNode;

/** The table {@code bench} prints. */
final class BenchReport {
  private BenchReport() {
  }

  static void print(JsonNode j, Results r) {
    System.out.println();
    System.out.printf("| %-40s | %12s |%n", "wabridge " + j.get("database").asString() + ", "
        + j.get("messages").asInt() + " messages", "");
    System.out.println("|------------------------------------------|--------------|");
    row("throughput, flat out (msg/s)", j.get("throughput_msgs_per_s").asString());
    row("relay baseline, same traffic (msg/s)", j.get("relay_msgs_per_s").asString());
    row("ratio to relay", j.get("ratio_to_relay").asString());
    row("webhook ack p50 / p99 at controlled rate", j.get("ack_p50_ms").asString() + " / "
        + j.get("ack_p99_ms").asString() + " ms");
    row("added latency p50 / p99 at controlled rate", j.get("added_p50_ms").asString() + " / "
        + j.get("added_p99_ms").asString() + " ms");
    row("webhook ack p50 / p99 flat out", r.ackP50Flat() + " / " + r.ackP99Flat() + " ms");
    row("lost / duplicated", j.get("lost").asString() + " / " + j.get("duplicated").asString());
    row("wabridge resident memory", j.get("rss_mib").asString() + " MiB with " + j.get("conversations").asString()
        + " conversations stored");
    StringBuilder cpu = new StringBuilder();
    j.get("flat_out_cpu_us_per_msg").properties().forEach(e -> cpu.append(cpu.isEmpty() ? "" : ", ")
        .append(e.getKey()).append(' ').append(e.getValue().asLong()));
    row("CPU µs per message, flat out", cpu.toString());
    row("cpus / java", j.get("cpus").asString() + " / " + j.get("java").asString());
    System.out.println();
  }

  private static void row(String name, String value) {
    System.out.printf("| %-40s | %12s |%n", name, value);
  }
}
