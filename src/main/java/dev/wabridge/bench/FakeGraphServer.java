package dev.wabridge.bench;

import dev.wabridge.Json;
import dev.wabridge.inbound.MetaSignature;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark's Graph API, in its own process: accepts mark-read and sends as Meta does, records when each
 * reply arrived, and sends the sent, delivered and read status webhooks back, signed, as Meta would.
 * {@code GET /stats} returns the recorded sends, one line each: {@code <message> <received µs> <agent µs>}.
 */
@Command(name = "bench-graph", hidden = true, description = "The benchmark's fake Graph API.")
public final class FakeGraphServer implements Runnable {
  @Option(names = "--port", required = true)
  int port;

  @Option(names = "--webhook", required = true, description = "where to send status webhooks")
  String webhook;

  @Option(names = "--secret", required = true, description = "app secret to sign them with")
  String secret;

  private final ConcurrentLinkedQueue<String> sends = new ConcurrentLinkedQueue<>();
  private final AtomicLong wamids = new AtomicLong();

  @Override
  public void run() {
    HttpClient http = BenchHttp.client();
    ExecutorService statusSender = Executors.newVirtualThreadPerTaskExecutor();
    Semaphore inFlight = new Semaphore(512);
    try {
      BenchHttp.server(port, (ex, body) -> {
        if (ex.getRequestMethod().equals("GET")) {
          BenchHttp.respond(ex, 200, "text/plain", String.join("\n", sends).getBytes(StandardCharsets.UTF_8));
          return;
        }
        JsonNode req = Json.parse(body);
        if (req.has("status")) {
          BenchHttp.respond(ex, 200, "application/json", "{\"success\":true}".getBytes());
          return;
        }
        long received = BenchHttp.nowMicros();
        String text = Json.text(Json.obj(req, "text"), "body");
        String wamid = "wamid.BENCH" + wamids.incrementAndGet();
        sends.add(record(text, received));
        String pnid = ex.getRequestURI().getPath().split("/")[2];
        String to = Json.text(req, "to");
        BenchHttp.respond(ex, 200, "application/json", ("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\""
            + to + "\",\"wa_id\":\"" + to.substring(1) + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}")
            .getBytes(StandardCharsets.UTF_8));
        inFlight.acquireUninterruptibly();
        statusSender.execute(() -> {
          try {
            for (String status : new String[] {"sent", "delivered", "read"}) {
              byte[] hook = statusWebhook(pnid, wamid, status, to.substring(1)).getBytes(StandardCharsets.UTF_8);
              BenchHttp.post(http, webhook, hook, "X-Hub-Signature-256", MetaSignature.sign(hook, secret));
            }
          } catch (Exception ignored) {
            // a lost status is not a lost message; the benchmark counts replies
          } finally {
            inFlight.release();
          }
        });
      });
      System.out.println("ready");
      new CountDownLatch(1).await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** "re: m123 @a,b" → "m123 <received> <b - a>". */
  private static String record(String text, long received) {
    int at = text.lastIndexOf(" @");
    String id = text.substring(4, at);
    String[] t = text.substring(at + 2).split(",");
    return id + " " + received + " " + (Long.parseLong(t[1]) - Long.parseLong(t[0]));
  }

  static String statusWebhook(String pnid, String wamid, String status, String recipient) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":{"
        + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000000\","
        + "\"phone_number_id\":\"" + pnid + "\"},\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status
        + "\",\"timestamp\":\"" + System.currentTimeMillis() / 1000 + "\",\"recipient_id\":\"" + recipient
        + "\"}]},\"field\":\"messages\"}]}]}";
  }
}
