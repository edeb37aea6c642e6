package dev.wabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench} as a user runs it, from the jar, on a small load: every message answered once, and every number
 * the README's table is made of is in its JSON. (The numbers themselves are not asserted: CI machines vary.)
 */
class BenchCommandIT {
  @Test
  void aSmallRunLosesAndDuplicatesNothingAndReportsEveryMeasure(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench.json");
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = System.getProperty("wabridge.jar", "target/wabridge.jar");
    Path trace = dir.resolve("trace.csv");
    Process p = new ProcessBuilder(List.of(java, "-Dwabridge.bench.trace=" + trace, "-jar", jar, "bench",
        "--messages", "800", "--rate", "200", "--out", out.toString())).redirectErrorStream(true)
        .redirectOutput(dir.resolve("bench.log").toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("bench finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("bench.log"))).isZero();

    JsonNode r = Json.parse(Files.readAllBytes(out));
    assertThat(r.get("lost").asInt()).isZero();
    assertThat(r.get("duplicated").asInt()).isZero();
    assertThat(r.get("conversations").asInt()).isEqualTo((800 + 20_000) / 20);
    for (String field : List.of("throughput_msgs_per_s", "relay_msgs_per_s", "ratio_to_relay", "ack_p50_ms",
        "ack_p99_ms", "added_p50_ms", "added_p99_ms", "rss_mib")) {
      assertThat(r.get(field).asDouble()).as(field).isPositive();
    }
    assertThat(r.get("messages").asInt()).isEqualTo(800);
    assertThat(r.get("database").asString()).isEqualTo("sqlite");
    assertThat(r.get("cpus").asInt()).isPositive();
    assertThat(r.get("java").asString()).isNotBlank();
    assertThat(r.get("flat_out_cpu_us_per_msg").get("wabridge").asLong()).isPositive();
    assertThat(r.get("flat_out_cpu_us_per_msg").has("postgresql")).isFalse();
    assertThat(Files.readString(dir.resolve("bench.log"))).contains("| throughput, flat out (msg/s)");
    List<String> traced = Files.readAllLines(trace);
    assertThat(traced.getFirst()).isEqualTo("message,sent_at_us,ack_latency_us,added_latency_us");
    assertThat(traced).hasSize(1 + 200); // the controlled phase: min(800 / 4, 200 * 5) messages
  }
}
