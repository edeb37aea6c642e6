package dev.wabridge.inbound;

import dev.wabridge.api.ApiException;
import dev.wabridge.inbound.WebhookParser.MalformedWebhookException;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's side of the house: the verification handshake and the notification POST. The POST is checked against
 * the raw bytes with the app secret of every registered number it names (a body naming none of ours is
 * acknowledged and dropped), made durable, and only then answered 200.
 */
public final class WebhookRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
  public static final String PATH = "/webhooks/whatsapp";
  /** Meta's payloads are at most 3 MB. */
  public static final int MAX_BODY = 3 * 1024 * 1024 + 64 * 1024;

  private final WebhookParser parser;
  private final NumberStore numbers;
  private final WebhookIntake intake;
  private final Runnable onAccepted;

  public WebhookRoutes(WebhookParser parser, NumberStore numbers, WebhookIntake intake, Runnable onAccepted) {
    this.parser = parser;
    this.numbers = numbers;
    this.intake = intake;
    this.onAccepted = onAccepted;
  }

  public void register(RoutesConfig routes) {
    routes.get(PATH, this::handshake);
    routes.post(PATH, this::notification);
  }

  private void handshake(Context ctx) {
    String mode = ctx.queryParam("hub.mode");
    String token = ctx.queryParam("hub.verify_token");
    String challenge = ctx.queryParam("hub.challenge");
    if ("subscribe".equals(mode) && challenge != null && numbers.verifyTokenMatches(token)) {
      ctx.contentType("text/plain").result(challenge);
      return;
    }
    ctx.status(403).contentType("text/plain").result("verify token does not match any registered number");
  }

  private void notification(Context ctx) {
    long length = ctx.contentLength();
    if (length > MAX_BODY) {
      throw new ApiException(413, "payload_too_large", "webhook body is larger than Meta's 3 MB maximum");
    }
    String signature = ctx.header("X-Hub-Signature-256");
    if (signature == null || signature.isBlank()) {
      throw new ApiException(401, "missing_signature", "X-Hub-Signature-256 header is required");
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_BODY) {
      throw new ApiException(413, "payload_too_large", "webhook body is larger than Meta's 3 MB maximum");
    }
    List<WebhookEvent> events;
    try {
      events = parser.parse(body);
    } catch (MalformedWebhookException e) {
      throw ApiException.badRequest("malformed_webhook", e.getMessage());
    }
    Map<String, Optional<BusinessNumber>> named = new LinkedHashMap<>();
    for (WebhookEvent e : events) {
      if (e.phoneNumberId() != null) {
        named.computeIfAbsent(e.phoneNumberId(), numbers::findByPhoneNumberId);
      }
    }
    List<BusinessNumber> known = named.values().stream().flatMap(Optional::stream).toList();
    if (known.isEmpty()) {
      LOG.warn("webhook for unknown phone_number_id(s) {} acknowledged and dropped; register the number to receive it",
          named.keySet());
      ctx.status(200).result("");
      return;
    }
    for (BusinessNumber n : known) {
      if (!MetaSignature.verify(body, signature, n.appSecret())) {
        throw new ApiException(401, "bad_signature", "X-Hub-Signature-256 does not match the body signed with the "
            + "app secret of phone_number_id " + n.phoneNumberId());
      }
    }
    List<WebhookEvent> ours = events.stream()
        .filter(e -> e.phoneNumberId() == null || named.getOrDefault(e.phoneNumberId(), Optional.empty()).isPresent())
        .toList();
    WebhookIntake.Outcome outcome = intake.accept(ours);
    if (outcome.accepted() > 0 || outcome.statuses() > 0) {
      onAccepted.run();
    }
    if (outcome.duplicates() > 0) {
      LOG.debug("dropped {} duplicate message(s)", outcome.duplicates());
    }
    ctx.status(200).result("");
  }
}
