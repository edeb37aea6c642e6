package dev.wabridge.whatsapp;

import dev.wabridge.support.Json;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.net.OutboundHttp;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's Cloud API: {@code POST /{version}/{phone-number-id}/messages} for sends and for mark-read with the
 * typing indicator. Every outcome, Meta's errors included, comes back as a {@link SendResult}.
 */
public final class GraphClient implements AutoCloseable {
  /** Meta's answers are small; anything this large is not one. */
  private static final int MAX_ANSWER = 1 << 20;
  private static final java.util.Set<String> ENVELOPE = java.util.Set.of("messaging_product", "recipient_type", "to",
      "recipient", "biz_opaque_callback_data");
  private final OutboundHttp http;
  private final Function<BusinessNumber, String> baseUrl;
  private final Duration timeout;

  /**
   * @param baseUrl the Graph base with version for a number, e.g. {@code https://graph.facebook.com/v23.0}
   * @param timeout how long a call is waited for, its answer included
   */
  public GraphClient(Function<BusinessNumber, String> baseUrl, String version, Duration timeout) {
    this.baseUrl = baseUrl;
    this.timeout = timeout;
    this.http = new OutboundHttp("graph-sends", Duration.ofSeconds(5), "wabridge/" + version);
  }

  /**
   * Sends one message; {@code message} holds the type and type object, the envelope is added here. {@code messageId}
   * (ours, {@code msg_…}) goes as {@code biz_opaque_callback_data}, which Meta echoes in the message's status
   * webhooks, so a status can name the message it belongs to.
   */
  public SendResult send(BusinessNumber number, Recipient to, JsonNode message, String messageId) {
    ObjectNode body = Json.object();
    body.put("messaging_product", "whatsapp");
    to.address(body);
    // The envelope is ours: nothing in a message chooses its recipient.
    message.properties().forEach(e -> {
      if (!ENVELOPE.contains(e.getKey())) {
        body.set(e.getKey(), e.getValue());
      }
    });
    if (messageId != null) {
      body.put("biz_opaque_callback_data", messageId);
    }
    return post(number, body);
  }

  /** Marks a customer's message read and, with {@code typing}, shows "typing…" for up to 25 s. */
  public SendResult markRead(BusinessNumber number, String wamid, boolean typing) {
    ObjectNode body = Json.object();
    body.put("messaging_product", "whatsapp");
    body.put("status", "read");
    body.put("message_id", wamid);
    if (typing) {
      body.putObject("typing_indicator").put("type", "text");
    }
    return post(number, body);
  }

  private SendResult post(BusinessNumber number, ObjectNode body) {
    URI uri = URI.create(baseUrl.apply(number) + "/" + number.phoneNumberId() + "/messages");
    OutboundHttp.Answer resp;
    try {
      resp = http.postJson(uri, Json.bytes(body), timeout.toMillis(), MAX_ANSWER,
          "Authorization", "Bearer " + number.accessToken());
    } catch (OutboundHttp.Failure f) {
      return failed(switch (f.reason()) {
        case TIMEOUT -> GraphError.network("timeout", "Graph API did not answer within " + timeout.toSeconds() + " s");
        case REFUSED, CONNECT_TIMEOUT, POLICY, REDIRECTS -> GraphError.network("connection",
            "cannot connect to the Graph API at " + uri.getHost());
        case TOO_LARGE, BROKEN -> GraphError.network("connection", "connection to the Graph API failed: "
            + f.getMessage());
      });
    } catch (InterruptedIOException e) {
      return failed(GraphError.network("connection", "interrupted"));
    }
    if (resp.status() / 100 != 2) {
      return failed(GraphError.parse(resp.status(), resp.body()));
    }
    try {
      JsonNode root = Json.parse(resp.body());
      for (JsonNode m : Json.items(root, "messages")) {
        String id = Json.text(m, "id");
        if (id != null) {
          return new SendResult.Accepted(id);
        }
      }
      return new SendResult.Accepted(null);
    } catch (JacksonException e) {
      return new SendResult.Accepted(null);
    }
  }

  private static SendResult failed(GraphError e) {
    return new SendResult.Failed(e, ErrorPolicy.retryable(e));
  }

  @Override
  public void close() {
    http.close();
  }
}
