package dev.wabridge.bench;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.MetaSignature;
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
 * {@code GET /stats/<from>} returns the sends recorded from the {@code from}-th on, one line each:
 * {@code <message> <received µs> <agent µs>}. {@code GET /{version}/{phone-number-id}} answers Meta's phone-number
 * node for any token, as wabridge asks it when a number is registered.
 */
@Command(name = "bench-graph", hidden = true, description = "The benchmark's fake Graph API.")
public final class FakeGraphServer implements Runnable {
  @Option(names = "--port", required = true)
  int port;

  @Option(names = "--webhook", required = true, description = "where to send status webhooks")
  String webhook;

  @Option(names = "--secret", required = true, description = "app secret to sign them with")
  String secret;

  private final java.util.List<String> sends = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  /** A status Meta owes the business for one send, waiting for the next batched webhook. */
  record PendingStatus(String phoneNumberId, String wamid, String status, String recipient) {
  }

  private final ConcurrentLinkedQueue<PendingStatus> pending = new ConcurrentLinkedQueue<>();
  private final AtomicLong wamids = new AtomicLong();

  @Override
  public void run() {
    BenchHttp.MetaClient http = new BenchHttp.MetaClient(webhook);
    ExecutorService statusSender = Executors.newVirtualThreadPerTaskExecutor();
    Semaphore inFlight = new Semaphore(512);
    try {
      BenchHttp.server(port, (ex, body) -> {
        if (ex.method().equals("GET") && ex.path().matches("/v\\d+\\.\\d+/\\d+")) {
          String pnid = ex.path().substring(ex.path().lastIndexOf('/') + 1);
          ex.respond(200, "application/json", ("{\"verified_name\":\"Bench\",\"display_phone_number\":\"+1 555 "
              + "000 0000\",\"quality_rating\":\"GREEN\",\"id\":\"" + pnid + "\"}").getBytes(StandardCharsets.UTF_8));
          return;
        }
        if (ex.method().equals("GET")) {
          int from = Integer.parseInt(ex.path().substring(ex.path().lastIndexOf('/') + 1));
          String lines;
          synchronized (sends) {
            lines = String.join("\n", sends.subList(Math.min(from, sends.size()), sends.size()));
          }
          ex.respond(200, "text/plain", lines.getBytes(StandardCharsets.UTF_8));
          return;
        }
        JsonNode req = Json.parse(body);
        if (req.has("status")) {
          ex.respond(200, "application/json", "{\"success\":true}".getBytes());
          return;
        }
        long received = BenchHttp.nowMicros();
        String text = Json.text(Json.obj(req, "text"), "body");
        String wamid = "wamid.BENCH" + wamids.incrementAndGet();
        sends.add(record(text, received));
        String pnid = ex.path().split("/")[2];
        String to = Json.text(req, "to");
        ex.respond(200, "application/json", ("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\""
            + to + "\",\"wa_id\":\"" + to.substring(1) + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}")
            .getBytes(StandardCharsets.UTF_8));
        for (String status : java.util.List.of("sent", "delivered", "read")) {
          pending.add(new PendingStatus(pnid, wamid, status, to.substring(1)));
        }
      });
      Thread.ofPlatform().daemon(true).start(() -> flushStatuses(http, statusSender, inFlight));
      System.out.println("ready");
      new CountDownLatch(1).await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Meta batches status updates ("up to 1000 updates" a POST): every 20 ms, each number's pending statuses go
   * out in webhooks of at most 100 statuses.
   */
  private void flushStatuses(BenchHttp.MetaClient http, ExecutorService sender, Semaphore inFlight) {
    while (true) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
      java.util.Map<String, java.util.List<PendingStatus>> byNumber = new java.util.HashMap<>();
      for (PendingStatus s = pending.poll(); s != null; s = pending.poll()) {
        byNumber.computeIfAbsent(s.phoneNumberId(), k -> new java.util.ArrayList<>()).add(s);
      }
      byNumber.forEach((pnid, all) -> {
        for (int i = 0; i < all.size(); i += 100) {
          byte[] hook = statusWebhook(pnid, all.subList(i, Math.min(all.size(), i + 100)))
              .getBytes(StandardCharsets.UTF_8);
          inFlight.acquireUninterruptibly();
          sender.execute(() -> {
            try {
              http.post(hook, "X-Hub-Signature-256", MetaSignature.sign(hook, secret));
            } catch (Exception ignored) {
              // a lost status is not a lost message; the benchmark counts replies
            } finally {
              inFlight.release();
            }
          });
        }
      });
    }
  }

  /** "re: m123 @a,b" → "m123 <received> <b - a>". */
  private static String record(String text, long received) {
    int at = text.lastIndexOf(" @");
    String id = text.substring(4, at);
    String[] t = text.substring(at + 2).split(",");
    return id + " " + received + " " + (Long.parseLong(t[1]) - Long.parseLong(t[0]));
  }

  static String statusWebhook(String pnid, java.util.List<PendingStatus> statuses) {
    StringBuilder sb = new StringBuilder("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
        + "\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
        + "\"15550000000\",\"phone_number_id\":\"" + pnid + "\"},\"statuses\":[");
    long ts = System.currentTimeMillis() / 1000;
    for (int i = 0; i < statuses.size(); i++) {
      PendingStatus s = statuses.get(i);
      sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(s.wamid()).append("\",\"status\":\"")
          .append(s.status()).append("\",\"timestamp\":\"").append(ts).append("\",\"recipient_id\":\"")
          .append(s.recipient()).append("\"}");
    }
    return sb.append("]},\"field\":\"messages\"}]}]}").toString();
  }
}
