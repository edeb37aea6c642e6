package dev.wabridge.whatsapp;

import dev.wabridge.Json;
import dev.wabridge.number.BusinessNumber;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's Cloud API: {@code POST /{version}/{phone-number-id}/messages} for sends and for mark-read with the
 * typing indicator. Every outcome, Meta's errors included, comes back as a {@link SendResult}.
 */
public final class GraphClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private final HttpClient http;
  private final Function<BusinessNumber, String> baseUrl;
  private final String userAgent;

  /** @param baseUrl the Graph base with version for a number, e.g. {@code https://graph.facebook.com/v23.0} */
  public GraphClient(Function<BusinessNumber, String> baseUrl, String version) {
    this.baseUrl = baseUrl;
    this.userAgent = "wabridge/" + version;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  /** Sends one message; {@code message} holds the type and type object, the envelope is added here. */
  public SendResult send(BusinessNumber number, String to, JsonNode message) {
    ObjectNode body = Json.object();
    body.put("messaging_product", "whatsapp");
    body.put("recipient_type", "individual");
    body.put("to", to);
    body.setAll((ObjectNode) message);
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
    HttpRequest.Builder req = HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + number.accessToken())
        .header("Content-Type", "application/json")
        .header("User-Agent", userAgent)
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
    if ("http".equals(uri.getScheme())) {
      req.version(HttpClient.Version.HTTP_1_1);
    }
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return failed(GraphError.network("timeout", "Graph API did not answer within " + TIMEOUT.toSeconds() + " s"));
    } catch (ConnectException e) {
      return failed(GraphError.network("connection", "cannot connect to the Graph API at " + uri.getHost()));
    } catch (IOException e) {
      return failed(GraphError.network("connection", "connection to the Graph API failed: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(GraphError.network("connection", "interrupted"));
    }
    if (resp.statusCode() / 100 != 2) {
      return failed(GraphError.parse(resp.statusCode(), resp.body()));
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
}
