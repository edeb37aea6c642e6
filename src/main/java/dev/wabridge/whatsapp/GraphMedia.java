package dev.wabridge.whatsapp;

import dev.wabridge.Json;
import dev.wabridge.number.BusinessNumber;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Media through the Cloud API: download a customer's media ({@code GET /{media-id}} for a short-lived URL, then
 * that URL with the number's token) and upload ours ({@code POST /{phone-number-id}/media}, multipart).
 */
public final class GraphMedia {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final HttpClient http;
  private final Function<BusinessNumber, String> baseUrl;
  private final String userAgent;

  /** What a download or upload gave. */
  public sealed interface Result {
  }

  public record Downloaded(byte[] bytes, String mimeType) implements Result {
  }

  public record Uploaded(String mediaId) implements Result {
  }

  public record Failed(GraphError error, boolean retryable) implements Result, Exchange {
  }

  /** One HTTP exchange: the body and its Content-Type, or why not. */
  private sealed interface Exchange permits Ok, Failed {
  }

  private record Ok(byte[] bytes, String contentType) implements Exchange {
  }

  public GraphMedia(Function<BusinessNumber, String> baseUrl, String version) {
    this.baseUrl = baseUrl;
    this.userAgent = "wabridge/" + version;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  /** Downloads a customer's media; more than {@code maxBytes} fails without reading the rest. */
  public Result download(BusinessNumber number, String mediaId, long maxBytes) {
    URI info = URI.create(baseUrl.apply(number) + "/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8)
        + "?phone_number_id=" + number.phoneNumberId());
    Exchange meta = exchange(number, HttpRequest.newBuilder(info).GET(), 1 << 20);
    if (meta instanceof Failed f) {
      return f;
    }
    JsonNode root;
    try {
      root = Json.parse(((Ok) meta).bytes());
    } catch (JacksonException e) {
      return new Failed(GraphError.network("bad_response", "Graph API answered media info that is not JSON"), true);
    }
    String url = Json.text(root, "url");
    String mime = Json.text(root, "mime_type");
    if (url == null) {
      return new Failed(GraphError.network("bad_response", "Graph API gave no download URL for media " + mediaId),
          true);
    }
    String size = Json.text(root, "file_size");
    if (size != null && size.matches("\\d+") && Long.parseLong(size) > maxBytes) {
      return new Failed(GraphError.network("media_too_large", "the file is " + size + " bytes, over the "
          + maxBytes + "-byte limit"), false);
    }
    Exchange data = exchange(number, HttpRequest.newBuilder(URI.create(url)).GET(), maxBytes);
    if (data instanceof Failed f) {
      return f;
    }
    Ok d = (Ok) data;
    String type = mime != null ? mime : d.contentType();
    return new Downloaded(d.bytes(), type == null ? "application/octet-stream" : type);
  }

  /** Uploads a file for sending by id; Meta keeps it 30 days. */
  public Result upload(BusinessNumber number, byte[] bytes, String mimeType, String filename) {
    String boundary = "----wabridge" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 512);
    field(body, boundary, "messaging_product", "whatsapp");
    field(body, boundary, "type", mimeType);
    String name = filename == null || filename.isBlank() ? "file" : filename.replace("\"", "");
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
        + "\"\r\nContent-Type: " + mimeType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    URI uri = URI.create(baseUrl.apply(number) + "/" + number.phoneNumberId() + "/media");
    Exchange r = exchange(number, HttpRequest.newBuilder(uri)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 1 << 20);
    if (r instanceof Failed f) {
      return f;
    }
    try {
      String id = Json.text(Json.parse(((Ok) r).bytes()), "id");
      return id != null ? new Uploaded(id)
          : new Failed(GraphError.network("bad_response", "Graph API answered the upload without an id"), true);
    } catch (JacksonException e) {
      return new Failed(GraphError.network("bad_response", "Graph API answered the upload with non-JSON"), true);
    }
  }

  private static void field(ByteArrayOutputStream out, String boundary, String name, String value) {
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
        + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  private Exchange exchange(BusinessNumber number, HttpRequest.Builder req, long maxBytes) {
    req.timeout(TIMEOUT).header("Authorization", "Bearer " + number.accessToken()).header("User-Agent", userAgent);
    HttpRequest built = req.build();
    if ("http".equals(built.uri().getScheme())) {
      built = HttpRequest.newBuilder(built, (n, v) -> true).version(HttpClient.Version.HTTP_1_1).build();
    }
    try {
      HttpResponse<InputStream> resp = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = resp.body()) {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
          return new Failed(GraphError.network("media_too_large", "the file is over the " + maxBytes
              + "-byte limit"), false);
        }
        if (resp.statusCode() / 100 != 2) {
          GraphError e = GraphError.parse(resp.statusCode(), bytes);
          return new Failed(e, ErrorPolicy.retryable(e) || resp.statusCode() == 404);
        }
        return new Ok(bytes, resp.headers().firstValue("Content-Type").orElse(null));
      }
    } catch (HttpTimeoutException e) {
      return new Failed(GraphError.network("timeout", "Graph API media call timed out"), true);
    } catch (ConnectException e) {
      return new Failed(GraphError.network("connection", "cannot connect to " + built.uri().getHost()), true);
    } catch (IOException e) {
      return new Failed(GraphError.network("connection", "media transfer failed: " + e.getMessage()), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed(GraphError.network("connection", "interrupted"), true);
    }
  }
}
