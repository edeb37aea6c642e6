package dev.wabridge.web;

import dev.wabridge.support.Refused;
import dev.wabridge.inbound.WebhookIntake;
import dev.wabridge.inbound.WebhookSignatures;
import dev.wabridge.support.LogSafe;
import dev.wabridge.whatsapp.WebhookEvent;
import dev.wabridge.whatsapp.WebhookParser;
import dev.wabridge.web.ApiException;
import dev.wabridge.web.ErrorHandlers;
import dev.wabridge.whatsapp.WebhookParser.MalformedWebhookException;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's side of the house: the verification handshake and the notification POST. The POST is checked against
 * the raw bytes with the app secret of every registered number it names, and account-level changes with that of a
 * registered number ({@link WebhookSignatures}); a body naming none of ours and no account is acknowledged and
 * dropped. Then it is made durable, and only then answered 200. A body is refused before anything is looked up for
 * it when its signature header is malformed or its numbers are not Meta's ids or too many ({@link WebhookParser}).
 */
public final class WebhookRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
  public static final String PATH = "/webhooks/whatsapp";
  /** Meta's payloads are at most 3 MB. */
  public static final int MAX_BODY = 3 * 1024 * 1024 + 64 * 1024;
  /** How much of a refused body is read and dropped so the client hears the 413; beyond it the connection is cut. */
  static final long DRAIN_LIMIT = 4L * MAX_BODY;

  /** A well-formed {@code X-Hub-Signature-256}; anything else is refused before the body is read. */
  private static final Pattern SIGNATURE = Pattern.compile("sha256=[0-9a-fA-F]{64}");
  /** What the handshake echoes: Meta's challenge is a number (letters, digits, - and _ are allowed too). */
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final WebhookParser parser;
  private final NumberStore numbers;
  private final WebhookSignatures signatures;
  private final WebhookIntake intake;
  private final Runnable onAccepted;

  public WebhookRoutes(WebhookParser parser, NumberStore numbers, WebhookIntake intake, Runnable onAccepted) {
    this.parser = parser;
    this.numbers = numbers;
    this.signatures = new WebhookSignatures(numbers::signers);
    this.intake = intake;
    this.onAccepted = onAccepted;
  }

  public void register(RoutesConfig routes) {
    routes.get(PATH, this::handshake);
  }

  private void handshake(Context ctx) {
    String mode = ctx.queryParam("hub.mode");
    String token = ctx.queryParam("hub.verify_token");
    String challenge = ctx.queryParam("hub.challenge");
    // Meta's challenge is a number; echoing anything else verbatim would let a page on this origin load
    // attacker-chosen text as a script (<script src="/webhooks/whatsapp?...">).
    if (challenge != null && !CHALLENGE.matcher(challenge).matches()) {
      ctx.status(400).contentType("text/plain").result("hub.challenge must be 1 to 128 letters, digits, '-' or '_'");
      return;
    }
    if ("subscribe".equals(mode) && challenge != null && numbers.verifyTokenMatches(token)) {
      ctx.contentType("text/plain").result(challenge);
      return;
    }
    ctx.status(403).contentType("text/plain").result("verify token does not match any registered number");
  }

  /**
   * Meta's POSTs, answered on bare Jetty in front of the servlet stack: they are nine in ten requests, and the
   * servlet and router layers cost more CPU than verifying, parsing and storing one (JFR, {@code bench}).
   * Every other request passes through to the application.
   */
  public Handler.Wrapper frontHandler() {
    return new Handler.Wrapper() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"POST".equals(request.getMethod()) || !PATH.equals(Request.getPathInContext(request))) {
          return super.handle(request, response, callback);
        }
        int status;
        byte[] answer;
        try {
          byte[] body = body(request);
          notification(request.getHeaders().get("X-Hub-Signature-256"), body);
          status = 200;
          answer = new byte[0];
        } catch (ApiException e) {
          status = e.status();
          answer = ErrorHandlers.body(e.code(), e.getMessage());
        } catch (Refused e) {
          status = ErrorHandlers.status(e.reason());
          answer = ErrorHandlers.body(e.code(), e.getMessage());
        } catch (RuntimeException e) {
          LOG.error("POST {} failed", PATH, e);
          status = 500;
          answer = ErrorHandlers.body("internal_error", "something went wrong on our side; it was logged, please retry");
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, status == 200 ? "text/plain" : "application/json");
        response.write(true, ByteBuffer.wrap(answer), callback);
        return true;
      }
    };
  }

  /**
   * The whole body, or a 413 once it has been read to its end (up to {@link #DRAIN_LIMIT}, past which the
   * connection is cut): a client still sending when the server closes the connection is reset and never reads the
   * answer, and a body left half-read broke the next request on the same connection ("Unconsumed").
   */
  private static byte[] body(Request request) {
    long length = request.getLength();
    if (length >= 0 && length <= MAX_BODY) {
      try {
        return Content.Source.asByteArrayAsync(request, MAX_BODY).get();
      } catch (ExecutionException | InterruptedException e) {
        throw unreadable(e instanceof ExecutionException ? e.getCause() : e);
      }
    }
    if (length > DRAIN_LIMIT) {
      throw tooLarge();
    }
    InputStream in = Content.Source.asInputStream(request);
    ByteArrayOutputStream kept = new ByteArrayOutputStream(16 * 1024);
    byte[] chunk = new byte[16 * 1024];
    long total = 0;
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        total += n;
        if (total <= MAX_BODY) {
          kept.write(chunk, 0, n);
        } else if (total > DRAIN_LIMIT) {
          break;
        }
      }
    } catch (IOException e) {
      throw unreadable(e);
    }
    if (total > MAX_BODY) {
      throw tooLarge();
    }
    return kept.toByteArray();
  }

  private static ApiException unreadable(Throwable cause) {
    return new ApiException(400, "unreadable_body", "the webhook body could not be read: " + cause);
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "payload_too_large", "webhook body is larger than Meta's 3 MB maximum");
  }

  /** Checks, parses and stores one notification; returns normally when it may be acknowledged. */
  void notification(String signature, byte[] body) {
    if (signature == null || signature.isBlank()) {
      throw new ApiException(401, "missing_signature", "X-Hub-Signature-256 header is required");
    }
    if (!SIGNATURE.matcher(signature).matches()) {
      throw new ApiException(401, "bad_signature", "X-Hub-Signature-256 must be sha256= and 64 hex digits, the "
          + "HMAC-SHA256 of the body with the app secret");
    }
    WebhookParser.Envelope envelope;
    try {
      envelope = parser.read(body);
    } catch (MalformedWebhookException e) {
      throw ApiException.badRequest("malformed_webhook", e.getMessage());
    }
    Map<String, Optional<BusinessNumber>> named = new LinkedHashMap<>();
    for (String id : envelope.phoneNumberIds()) {
      named.put(id, numbers.findByPhoneNumberId(id));
    }
    List<BusinessNumber> known = named.values().stream().flatMap(Optional::stream).toList();
    if (known.isEmpty() && !envelope.accountLevel()) {
      logUnknown(named);
      return;
    }
    Map<String, Set<String>> signedFor = signatures.check(body, signature, known, envelope);
    if (known.size() < named.size()) {
      logUnknown(named);
    }
    List<WebhookEvent> ours = envelope.events().stream()
        .filter(e -> e.phoneNumberId() == null || named.getOrDefault(e.phoneNumberId(), Optional.empty()).isPresent())
        .toList();
    WebhookIntake.Outcome outcome = intake.accept(ours, account -> signedFor.getOrDefault(account, Set.of()));
    if (outcome.accepted() > 0 || outcome.statuses() > 0) {
      onAccepted.run();
    }
    if (outcome.duplicates() > 0) {
      LOG.debug("dropped {} duplicate message(s)", outcome.duplicates());
    }
  }

  /** One line for a body's unknown numbers: their count and a few of them (digits, cut short), never the body. */
  private static void logUnknown(Map<String, Optional<BusinessNumber>> named) {
    List<String> unknown = named.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
        .toList();
    LOG.warn("webhook for {} unknown phone_number_id(s) {} acknowledged and dropped; register the number to receive "
        + "it", unknown.size(), LogSafe.someIds(unknown, 3));
  }
}
