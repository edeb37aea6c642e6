package dev.wabridge.bench;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.whatsapp.WebhookEvent;
import dev.wabridge.whatsapp.WebhookParser;
import dev.wabridge.net.OutboundHttp;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline: the same traffic through a relay that stores nothing, orders nothing and retries nothing —
 * check the signature, parse, answer 200, then mark read, call the agent and send its text. What wabridge
 * costs on top of this is the price of its guarantees.
 */
@Command(name = "bench-relay", hidden = true, description = "The benchmark's no-storage relay baseline.")
public final class RelayServer implements Runnable {
  @Option(names = "--port", required = true)
  int port;

  @Option(names = "--graph", required = true)
  String graph;

  @Option(names = "--agent", required = true)
  String agent;

  @Option(names = "--secret", required = true)
  String secret;

  @Override
  public void run() {
    OutboundHttp http = new OutboundHttp("relay", java.time.Duration.ofSeconds(5), "relay");
    WebhookParser parser = new WebhookParser();
    ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    // As many relays in flight as wabridge has agent calls (512): unbounded, the JDK client opens a connection
    // per concurrent call and the baseline measures a connection storm instead of relaying.
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(512);
    try {
      BenchHttp.server(port, (ex, body) -> {
        if (!MetaSignature.verify(body, ex.header("X-Hub-Signature-256"), secret)) {
          ex.respond(401, "text/plain", new byte[0]);
          return;
        }
        List<WebhookEvent> events = parser.parse(body);
        ex.respond(200, "text/plain", new byte[0]);
        for (WebhookEvent e : events) {
          if (e instanceof WebhookEvent.InboundMessage m) {
            work.execute(() -> {
              inFlight.acquireUninterruptibly();
              try {
                relay(http, m);
              } finally {
                inFlight.release();
              }
            });
          }
        }
      });
      System.out.println("ready");
      new CountDownLatch(1).await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void relay(OutboundHttp http, WebhookEvent.InboundMessage m) {
    java.net.URI agentUri = java.net.URI.create(agent);
    java.net.URI messages = java.net.URI.create(graph + "/v23.0/" + m.phoneNumberId() + "/messages");
    try {
      ObjectNode read = Json.object().put("messaging_product", "whatsapp").put("status", "read")
          .put("message_id", m.wamid());
      read.putObject("typing_indicator").put("type", "text");
      http.postJson(messages, Json.bytes(read), 20_000, 1 << 20, "Authorization", "Bearer t");
      ObjectNode payload = Json.object().put("message", m.text()).putNull("image").put("phone_number", "+" + m.from())
          .put("reply_callback", "none");
      byte[] reply = http.postJson(agentUri, Json.bytes(payload), 30_000, 1 << 20).body();
      String content = Json.text(Json.parse(reply), "content");
      ObjectNode send = Json.object().put("messaging_product", "whatsapp").put("to", "+" + m.from())
          .put("type", "text");
      send.putObject("text").put("body", content);
      http.postJson(messages, Json.bytes(send), 20_000, 1 << 20, "Authorization", "Bearer t");
    } catch (Exception ignored) {
      // the baseline has no retries; a lost message shows up in its count
    }
  }
}
