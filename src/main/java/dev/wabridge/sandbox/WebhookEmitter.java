package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.number.BusinessNumber;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's side of the webhook: wraps messages and statuses in the {@code whatsapp_business_account} envelope,
 * serialises them as Meta does (non-ASCII as {@code \\uXXXX}, slashes escaped), signs the exact bytes with the
 * sandbox number's app secret and POSTs them to wabridge over real HTTP. Anything but a 200 is retried with
 * backoff, a few times. Customer messages of one phone leave one at a time, in order.
 */
final class WebhookEmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookEmitter.class);
  private static final JsonMapper META_JSON = JsonMapper.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
      .build();
  /** Delays before each attempt: at once, then backing off; about half a minute in all. */
  private static final long[] ATTEMPT_DELAYS = {0, 250, 1_000, 2_000, 5_000, 10_000, 15_000};

  private final String url;
  private final Supplier<BusinessNumber> number;
  private final HttpClient http;
  private final Executor executor;
  private final Lanes lanes = new Lanes();
  private volatile boolean closed;

  WebhookEmitter(String url, Supplier<BusinessNumber> number, HttpClient http, Executor executor) {
    this.url = url;
    this.number = number;
    this.http = http;
    this.executor = executor;
  }

  /**
   * Whom a status is about, as Meta names them: {@code recipient_id} (the number; absent when the send named the BSUID
   * of a customer who withholds their number) and {@code recipient_user_id} (the BSUID; absent on a failed send
   * addressed by number).
   */
  record Recipient(String waId, String userId) {
  }

  /**
   * A customer's message, with the customer's {@code contacts[]} entry as Meta sends it since BSUIDs: {@code wa_id}
   * (unless withheld), {@code user_id}, {@code profile.name} and {@code profile.username} when set. Completes with
   * true once wabridge answered 200, false when every attempt failed.
   */
  CompletableFuture<Boolean> message(PhoneStore.Phone customer, JsonNode message) {
    ObjectNode value = value();
    ObjectNode contact = value.putArray("contacts").addObject();
    ObjectNode profile = contact.putObject("profile");
    profile.put("name", customer.name());
    if (customer.username() != null) {
      profile.put("username", customer.username());
    }
    if (!customer.withholdPhone()) {
      contact.put("wa_id", customer.waId());
    }
    contact.put("user_id", customer.userId());
    value.putArray("messages").add(message);
    return lanes.run(customer.phone(), () -> post(value));
  }

  /** Status notifications for messages the business sent (Meta's {@code statuses[]}). */
  CompletableFuture<Boolean> statuses(List<ObjectNode> statuses) {
    if (statuses.isEmpty()) {
      return CompletableFuture.completedFuture(true);
    }
    ObjectNode value = value();
    ArrayNode list = value.putArray("statuses");
    statuses.forEach(list::add);
    return post(value);
  }

  static ObjectNode status(String wamid, String status, Recipient to, long unixSeconds, MetaError error) {
    ObjectNode s = Json.object();
    s.put("id", wamid);
    s.put("status", status);
    s.put("timestamp", Long.toString(unixSeconds));
    if (to.waId() != null) {
      s.put("recipient_id", to.waId());
    }
    if (to.userId() != null) {
      s.put("recipient_user_id", to.userId());
    }
    if (status.equals("sent")) {
      ObjectNode pricing = s.putObject("pricing");
      pricing.put("billable", false);
      pricing.put("pricing_model", "PMP");
      pricing.put("type", "free_customer_service");
      pricing.put("category", "service");
    }
    if (error != null) {
      s.putArray("errors").add(error.webhookError());
    }
    return s;
  }

  private ObjectNode value() {
    BusinessNumber n = number.get();
    ObjectNode value = Json.object();
    value.put("messaging_product", "whatsapp");
    ObjectNode metadata = value.putObject("metadata");
    metadata.put("display_phone_number", n.displayPhoneNumber().replaceAll("\\D", ""));
    metadata.put("phone_number_id", n.phoneNumberId());
    return value;
  }

  private CompletableFuture<Boolean> post(ObjectNode value) {
    BusinessNumber n = number.get();
    ObjectNode envelope = Json.object();
    envelope.put("object", "whatsapp_business_account");
    ObjectNode entry = envelope.putArray("entry").addObject();
    entry.put("id", n.wabaId() == null ? "0" : n.wabaId());
    ObjectNode change = entry.putArray("changes").addObject();
    change.set("value", value);
    change.put("field", "messages");
    byte[] body = META_JSON.writeValueAsBytes(envelope);
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .version(HttpClient.Version.HTTP_1_1)
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .header("User-Agent", "facebookexternalua")
        .header("X-Hub-Signature-256", MetaSignature.sign(body, n.appSecret()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return attempt(request, 0);
  }

  private CompletableFuture<Boolean> attempt(HttpRequest request, int attempt) {
    if (closed) {
      return CompletableFuture.completedFuture(false);
    }
    Executor delayed = CompletableFuture.delayedExecutor(ATTEMPT_DELAYS[attempt], TimeUnit.MILLISECONDS, executor);
    return CompletableFuture.supplyAsync(() -> null, delayed)
        .thenCompose(ignored -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
        .handle((resp, error) -> {
          int status = resp == null ? 0 : resp.statusCode();
          if (status == 200) {
            return CompletableFuture.completedFuture(true);
          }
          String why = error != null ? error.getClass().getSimpleName() : "HTTP " + status;
          if (attempt + 1 >= ATTEMPT_DELAYS.length || closed) {
            LOG.warn("sandbox webhook to {} failed after {} attempts ({}); dropped", url, attempt + 1, why);
            return CompletableFuture.completedFuture(false);
          }
          LOG.debug("sandbox webhook attempt {} got {}; retrying", attempt + 1, why);
          return attempt(request, attempt + 1);
        })
        .thenCompose(f -> f);
  }

  @Override
  public void close() {
    closed = true;
  }
}
