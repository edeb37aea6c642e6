package dev.wabridge.whatsapp;

import dev.wabridge.support.Json;
import dev.wabridge.net.OutboundHttp;
import dev.wabridge.net.TenantHttp;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.number.BusinessNumber;
import java.io.ByteArrayOutputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Media through the Cloud API: download a customer's media ({@code GET /{media-id}} for a short-lived URL, then
 * that URL) and upload ours ({@code POST /{phone-number-id}/media}, multipart).
 *
 * <p>The download URL is read from Graph's answer about a media id a webhook named, and a tenant signs its own
 * number's webhooks: so it is not trusted as the Graph API is. It is followed only when it is on the number's Graph
 * API origin (scheme, host and port of {@code WABRIDGE_GRAPH_URL}, or of the sandbox's simulated Graph), or is
 * https and the network policy of the number's workspace lets it connect there. At most {@value #MAX_REDIRECTS}
 * redirects are followed by hand, each hop judged the same way. The number's access token is sent only when the
 * URL Graph gave is on the Graph API origin or on Meta's media host ({@code https://lookaside.fbsbx.com}), and only
 * to that origin: never across a redirect to another one. No call follows a redirect by itself.
 */
public final class GraphMedia implements AutoCloseable {
  static final int MAX_REDIRECTS = 5;
  /** Where Meta serves media, to whom the token may go (https, port 443). */
  private static final Set<String> META_MEDIA_HOSTS = Set.of("lookaside.fbsbx.com");
  private final TenantHttp http;
  private final Function<BusinessNumber, String> baseUrl;
  private final long timeoutMillis;
  private final long downloadTimeoutMillis;

  /** What a download or upload gave. */
  public sealed interface Result {
  }

  public record Downloaded(byte[] bytes, String mimeType) implements Result {
  }

  public record Uploaded(String mediaId) implements Result {
  }

  public record Failed(GraphError error, boolean retryable) implements Result, Exchange {
  }

  /** One HTTP exchange: its answer, whatever the status, or why there is none. */
  private sealed interface Exchange permits Answered, Failed {
  }

  private record Answered(OutboundHttp.Answer answer) implements Exchange {
  }

  /**
   * @param baseUrl the Graph base with version for a number
   * @param tenants the tenants' (guarded) policy, for download URLs off the Graph API origin
   * @param timeout how long a call about media (where it is, an upload) is waited for
   * @param downloadTimeout how long a download is waited for, per hop, body included
   */
  public GraphMedia(Function<BusinessNumber, String> baseUrl, String version, NetworkPolicy tenants,
                    Duration timeout, Duration downloadTimeout) {
    this.baseUrl = baseUrl;
    this.timeoutMillis = timeout.toMillis();
    this.downloadTimeoutMillis = downloadTimeout.toMillis();
    this.http = new TenantHttp("graph-media", Duration.ofSeconds(10), "wabridge/" + version, tenants);
  }

  /** Downloads a customer's media; more than {@code maxBytes} fails without reading the rest. */
  public Result download(BusinessNumber number, String mediaId, long maxBytes) {
    String base = baseUrl.apply(number);
    URI info = URI.create(base + "/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8)
        + "?phone_number_id=" + number.phoneNumberId());
    Exchange meta = ok(send(() -> http.open().get(info, timeoutMillis, 1 << 20, auth(number)), info, 1 << 20));
    if (meta instanceof Failed f) {
      return f;
    }
    JsonNode root;
    try {
      root = Json.parse(((Answered) meta).answer().body());
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
    Exchange data = follow(number, origin(URI.create(base)), url, maxBytes);
    if (data instanceof Failed f) {
      return f;
    }
    OutboundHttp.Answer d = ((Answered) data).answer();
    String type = mime != null ? mime : d.contentType();
    return new Downloaded(d.body(), type == null ? "application/octet-stream" : type);
  }

  /**
   * GETs the download URL, following redirects by hand: each hop on the Graph API origin (any address, the
   * operator's setting) or https under the number's workspace policy; the token only to the first URL's origin,
   * and only when that is the Graph API's or Meta's media host.
   */
  private Exchange follow(BusinessNumber number, String graph, String url, long maxBytes) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return new Failed(GraphError.network("bad_response", "Graph API gave a download URL that is not a URL"), false);
    }
    String tokenOrigin = tokenOrigin(uri, graph);
    int max = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes);
    for (int hop = 0; ; hop++) {
      String at = origin(uri);
      boolean https = uri.getHost() != null && "https".equalsIgnoreCase(uri.getScheme());
      OutboundHttp client = graph.equals(at) ? http.open() : https ? http.forWorkspace(number.workspaceId()) : null;
      Exchange e;
      if (client == null) {
        e = new Failed(GraphError.network("media_url_refused", NetworkPolicy.REFUSED + ": the media download URL "
            + "is neither on the Graph API host nor https"), false);
      } else {
        URI hopUri = uri;
        String[] headers = at.equals(tokenOrigin) ? auth(number) : new String[0];
        e = send(() -> client.get(hopUri, downloadTimeoutMillis, max, headers), uri, maxBytes);
      }
      if (e instanceof Failed f && hop > 0 && "media_url_refused".equals(f.error().code())) {
        return new Failed(GraphError.network("media_url_refused", NetworkPolicy.REFUSED + ": a redirect of the "
            + "media download led where this number's workspace may not connect"), false);
      }
      if (!(e instanceof Answered a) || a.answer().status() / 100 != 3 || a.answer().location() == null) {
        return ok(e);
      }
      if (hop == MAX_REDIRECTS) {
        return new Failed(GraphError.network("bad_response", "the media download redirects more than "
            + MAX_REDIRECTS + " times"), false);
      }
      try {
        uri = uri.resolve(a.answer().location().trim());
      } catch (IllegalArgumentException x) {
        return new Failed(GraphError.network("bad_response", "the media download redirected to an invalid URL"),
            false);
      }
    }
  }

  /**
   * The origin the token may be sent to while following {@code first}: its own, when that is the Graph API's
   * ({@code graph}) or Meta's media host over https on port 443; else null (no hop gets the token).
   */
  static String tokenOrigin(URI first, String graph) {
    String origin = origin(first);
    boolean meta = first.getHost() != null && META_MEDIA_HOSTS.contains(first.getHost().toLowerCase(Locale.ROOT))
        && origin.startsWith("https://") && origin.endsWith(":443");
    return origin.equals(graph) || meta ? origin : null;
  }

  /** {@code scheme://host:port}, lower case, the port spelled out; "none:" for a URL without a host. */
  static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "none" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      return scheme + ":";
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  private static String[] auth(BusinessNumber number) {
    return new String[] {"Authorization", "Bearer " + number.accessToken()};
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
    byte[] multipart = body.toByteArray();
    Exchange r = ok(send(() -> http.open().post(uri, "multipart/form-data; boundary=" + boundary, multipart,
        timeoutMillis, 1 << 20, auth(number)), uri, 1 << 20));
    if (r instanceof Failed f) {
      return f;
    }
    try {
      String id = Json.text(Json.parse(((Answered) r).answer().body()), "id");
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

  /** One call of the client, as an {@link Exchange}. */
  @FunctionalInterface
  private interface Call {
    OutboundHttp.Answer run() throws OutboundHttp.Failure, InterruptedIOException;
  }

  private static Exchange send(Call call, URI uri, long maxBytes) {
    try {
      return new Answered(call.run());
    } catch (OutboundHttp.Failure f) {
      return switch (f.reason()) {
        case TOO_LARGE -> new Failed(GraphError.network("media_too_large", "the file is over the " + maxBytes
            + "-byte limit"), false);
        case POLICY -> new Failed(GraphError.network("media_url_refused", f.getMessage()), false);
        case TIMEOUT -> new Failed(GraphError.network("timeout", "Graph API media call timed out"), true);
        case REFUSED, CONNECT_TIMEOUT -> new Failed(GraphError.network("connection", "cannot connect to "
            + uri.getHost()), true);
        case BROKEN, REDIRECTS -> new Failed(GraphError.network("connection", "media transfer failed: "
            + f.getMessage()), true);
      };
    } catch (InterruptedIOException e) {
      return new Failed(GraphError.network("connection", "interrupted"), true);
    }
  }

  /** A non-2xx answer as Meta's error (a 404 is retried: the short-lived URL may have expired). */
  private static Exchange ok(Exchange e) {
    if (e instanceof Answered(OutboundHttp.Answer a) && a.status() / 100 != 2) {
      GraphError error = GraphError.parse(a.status(), a.body());
      return new Failed(error, ErrorPolicy.retryable(error) || a.status() == 404);
    }
    return e;
  }

  @Override
  public void close() {
    http.close();
  }
}
