package dev.wabridge.whatsapp;

import dev.wabridge.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Meta's {@code GET /{phone-number-id}}, asked with the caller's access token before wabridge accepts it for a
 * number: Meta answers the number's id only to a token that may read it (a bad token is code 190; a number the
 * token cannot see is code 100, subcode 33). Rare (number registration), so a plain JDK client: no redirects, a
 * deadline, answers capped at 64 KB. The token goes in the Authorization header only, never in a URL or a log.
 */
public final class PhoneNumberLookup implements AutoCloseable {
  private static final int MAX_ANSWER = 64 * 1024;
  private static final String FIELDS = "id,display_phone_number,verified_name,quality_rating";

  /** What Meta said about the token and the number. */
  public sealed interface Outcome {
  }

  /** The token may read the number; Meta's view of it. */
  public record Readable(String id, String displayPhoneNumber, String verifiedName, String qualityRating)
      implements Outcome {
  }

  /** Meta refused: the token is bad, or cannot see this number. */
  public record Refused(GraphError error) implements Outcome {
  }

  /** No answer worth trusting (network, timeout, 5xx, throttled): ask again later. */
  public record Unavailable(String reason) implements Outcome {
  }

  private final String graphBase;
  private final HttpClient http;
  private final String userAgent;
  private final Duration timeout;

  /**
   * @param graphBase the Graph base with version, e.g. {@code https://graph.facebook.com/v23.0}
   * @param timeout how long Meta's answer is waited for
   */
  public PhoneNumberLookup(String graphBase, String version, Duration timeout) {
    this.graphBase = graphBase;
    this.timeout = timeout;
    this.userAgent = "wabridge/" + version;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** @param phoneNumberId digits only (the caller checked) */
  public Outcome lookup(String accessToken, String phoneNumberId) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(graphBase + "/" + phoneNumberId + "?fields=" + FIELDS))
          .timeout(timeout).header("Authorization", "Bearer " + accessToken).header("User-Agent", userAgent)
          .GET().build();
    } catch (IllegalArgumentException e) {
      // a token no header can carry (a line break, say) is no token Meta issued; the message would echo it
      return new Refused(new GraphError(0, "invalid_token", "the access token cannot be sent in a header", null, null,
          null));
    }
    int status;
    byte[] body;
    try {
      HttpResponse<InputStream> resp = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      status = resp.statusCode();
      try (InputStream in = resp.body()) {
        body = in.readNBytes(MAX_ANSWER);
      }
    } catch (IOException e) {
      return new Unavailable("the Graph API at " + request.uri().getHost() + " did not answer (" + e.getClass()
          .getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unavailable("interrupted");
    }
    if (status / 100 != 2) {
      GraphError error = GraphError.parse(status, body);
      if (status == 429 || status >= 500 || ErrorPolicy.retryable(error)) {
        return new Unavailable("the Graph API answered HTTP " + status + (error.code() == null ? ""
            : " (code " + error.code() + ")"));
      }
      return new Refused(error);
    }
    try {
      JsonNode root = Json.parse(body);
      String id = Json.text(root, "id");
      if (!phoneNumberId.equals(id)) {
        return new Refused(new GraphError(status, "id_mismatch", "the Graph API answered for another object", null,
            null, null));
      }
      return new Readable(id, Json.text(root, "display_phone_number"), Json.text(root, "verified_name"),
          Json.text(root, "quality_rating"));
    } catch (JacksonException e) {
      return new Unavailable("the Graph API answered HTTP " + status + " with a body that is not JSON");
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
