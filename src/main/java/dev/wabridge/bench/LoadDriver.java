package dev.wabridge.bench;

import dev.wabridge.whatsapp.MetaSignature;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays Meta: POSTs signed message webhooks for many customers, at a fixed rate or flat out, and keeps when each
 * was sent and acknowledged. A webhook not answered 200 is retried, as Meta retries.
 */
final class LoadDriver {
  record Sent(long sentMicros, long ackMicros) {
  }

  private final BenchHttp.MetaClient http;
  private final String secret;
  private final String[] phoneNumberIds;
  private final int customers;
  final ConcurrentHashMap<String, Sent> sent = new ConcurrentHashMap<>();

  LoadDriver(String url, String secret, String[] phoneNumberIds, int customers) {
    this.http = new BenchHttp.MetaClient(url);
    this.secret = secret;
    this.phoneNumberIds = phoneNumberIds;
    this.customers = customers;
  }

  /** Sends messages {@code from} (inclusive) to {@code to} at {@code perSecond}. */
  void rated(int from, int to, int perSecond) throws InterruptedException {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    long start = System.nanoTime();
    long interval = 1_000_000_000L / perSecond;
    for (int i = from; i < to; i++) {
      long due = start + (i - from) * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int n = i;
      pool.execute(() -> send(n));
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
  }

  /** Sends messages {@code from} to {@code to} as fast as {@code concurrency} connections allow. */
  void flatOut(int from, int to, int concurrency) throws InterruptedException {
    AtomicInteger next = new AtomicInteger(from);
    Thread[] workers = new Thread[concurrency];
    for (int w = 0; w < concurrency; w++) {
      workers[w] = Thread.ofVirtual().start(() -> {
        for (int n = next.getAndIncrement(); n < to; n = next.getAndIncrement()) {
          send(n);
        }
      });
    }
    for (Thread t : workers) {
      t.join();
    }
  }

  private void send(int n) {
    int customer = n % customers;
    String pnid = phoneNumberIds[customer % phoneNumberIds.length];
    String from = Long.toString(15_550_000_000L + customer);
    String id = "m" + n;
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":{"
        + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000000\","
        + "\"phone_number_id\":\"" + pnid + "\"},\"contacts\":[{\"profile\":{\"name\":\"Customer " + customer
        + "\"},\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid.bench." + n
        + "\",\"timestamp\":\"" + System.currentTimeMillis() / 1000 + "\",\"text\":{\"body\":\"" + id
        + "\"},\"type\":\"text\"}]},\"field\":\"messages\"}]}]}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String signature = MetaSignature.sign(bytes, secret);
    long sentAt = BenchHttp.nowMicros();
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        if (http.post(bytes, "X-Hub-Signature-256", signature) == 200) {
          sent.put(id, new Sent(sentAt, BenchHttp.nowMicros()));
          return;
        }
      } catch (Exception e) {
        // retried below, as Meta would
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
