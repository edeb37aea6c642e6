package dev.wabridge.media;

import dev.wabridge.Json;
import dev.wabridge.config.NetworkPolicy;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.store.Database;
import dev.wabridge.whatsapp.GraphMedia;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Executors;
import tools.jackson.databind.node.ObjectNode;

/**
 * Re-hosts an agent's media on Meta before sending: fetches the URL (size cap, timeout), checks the type by the
 * bytes rather than the file name, uploads it to the number, and rewrites {@code link} to {@code id}. Meta's
 * media ids are cached by URL for a day and by content for 29 days, so the same file is not uploaded twice.
 */
public final class OutboundMedia {
  private static final long URL_CACHE_MILLIS = 24L * 3600 * 1000;
  private static final long CONTENT_CACHE_MILLIS = 29L * 24 * 3600 * 1000;
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
  static final int MAX_REDIRECTS = 5;

  /** The message ready to send, or why it cannot be. */
  public sealed interface Prepared {
  }

  public record Ready(ObjectNode message) implements Prepared {
  }

  public record Failed(String code, String message, boolean retryable) implements Prepared {
  }

  private final Database db;
  private final GraphMedia graph;
  private final NetworkPolicy network;
  private final InstantSource clock;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER)
      .executor(Executors.newVirtualThreadPerTaskExecutor())
      .build();

  public OutboundMedia(Database db, GraphMedia graph, NetworkPolicy network, InstantSource clock) {
    this.db = db;
    this.graph = graph;
    this.network = network;
    this.clock = clock;
  }

  public Prepared prepare(BusinessNumber number, ObjectNode message) {
    String type = Json.text(message, "type");
    MediaKind kind = type == null ? null : MediaKind.of(type);
    ObjectNode media = kind == null ? null : (ObjectNode) Json.obj(message, type);
    String link = media == null ? null : Json.text(media, "link");
    if (link == null) {
      return new Ready(message);
    }
    long now = clock.millis();
    Optional<String> cached = cachedId(number.id(), "url:" + link, now - URL_CACHE_MILLIS);
    if (cached.isPresent()) {
      return new Ready(withId(message, type, cached.get()));
    }
    URI uri = URI.create(link);
    String refusal = network.refusal(uri);
    if (refusal != null) {
      return new Failed("media_url_refused", "url: " + refusal, false);
    }
    Fetched f;
    try {
      f = fetch(uri, kind.maxBytes());
    } catch (FetchFailure e) {
      return new Failed("media_fetch_failed", "url: " + e.getMessage(), e.retryable);
    }
    String mime = ContentSniffer.resolve(f.bytes, f.contentType);
    if (mime == null || !kind.accepts(mime)) {
      return new Failed("media_type_mismatch", "url: the file at " + link + " is " + (mime == null ? "of no type "
          + "WhatsApp accepts" : mime) + ", not a " + type + " WhatsApp accepts", false);
    }
    String sha = MediaStore.sha256Hex(f.bytes);
    Optional<String> byContent = cachedId(number.id(), "sha256:" + sha, now - CONTENT_CACHE_MILLIS);
    String mediaId;
    if (byContent.isPresent()) {
      mediaId = byContent.get();
    } else {
      GraphMedia.Result up = graph.upload(number, f.bytes, mime, fileName(media, uri));
      if (up instanceof GraphMedia.Failed fail) {
        return new Failed(fail.error().code(), "upload to WhatsApp failed: " + fail.error().describe(),
            fail.retryable());
      }
      mediaId = ((GraphMedia.Uploaded) up).mediaId();
      remember(number.id(), "sha256:" + sha, mediaId, now);
    }
    remember(number.id(), "url:" + link, mediaId, now);
    return new Ready(withId(message, type, mediaId));
  }

  private static ObjectNode withId(ObjectNode message, String type, String mediaId) {
    ObjectNode copy = message.deepCopy();
    ObjectNode media = (ObjectNode) copy.get(type);
    media.remove("link");
    media.put("id", mediaId);
    return copy;
  }

  private static String fileName(ObjectNode media, URI uri) {
    String name = Json.text(media, "filename");
    if (name != null) {
      return name;
    }
    String path = uri.getPath();
    return path == null || path.isEmpty() || path.endsWith("/") ? "file" : path.substring(path.lastIndexOf('/') + 1);
  }

  private Optional<String> cachedId(String numberId, String key, long notBefore) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT media_id FROM media_uploads WHERE number_id = :n AND "
            + "source_key = :k AND created_at >= :t").bind("n", numberId).bind("k", key).bind("t", notBefore)
        .mapTo(String.class).findOne());
  }

  private void remember(String numberId, String key, String mediaId, long now) {
    db.writer().execute(h -> {
      h.createUpdate("DELETE FROM media_uploads WHERE number_id = :n AND source_key = :k")
          .bind("n", numberId).bind("k", key).execute();
      return h.createUpdate("INSERT INTO media_uploads(number_id, source_key, media_id, created_at) "
          + "VALUES (:n, :k, :m, :now)").bind("n", numberId).bind("k", key).bind("m", mediaId).bind("now", now)
          .execute();
    });
  }

  private record Fetched(byte[] bytes, String contentType) {
  }

  private static final class FetchFailure extends Exception {
    final boolean retryable;

    FetchFailure(String message, boolean retryable) {
      super(message, null, false, false);
      this.retryable = retryable;
    }
  }

  /** Follows up to {@link #MAX_REDIRECTS} redirects by hand, so that every hop is checked against the network policy. */
  private Fetched fetch(URI first, long maxBytes) throws FetchFailure {
    URI uri = first;
    for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
      HttpResponse<InputStream> resp = request(uri);
      String location = resp.headers().firstValue("Location").orElse(null);
      if (resp.statusCode() / 100 == 3 && location != null) {
        closeQuietly(resp.body());
        uri = uri.resolve(location);
        String refusal = network.refusal(uri);
        if (refusal != null) {
          throw new FetchFailure("redirected to " + uri + ": " + refusal, false);
        }
        continue;
      }
      return read(uri, resp, maxBytes);
    }
    throw new FetchFailure(first + " redirects more than " + MAX_REDIRECTS + " times", false);
  }

  private HttpResponse<InputStream> request(URI uri) throws FetchFailure {
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET()
        .header("User-Agent", "wabridge-media-fetch");
    if ("http".equals(uri.getScheme())) {
      req.version(HttpClient.Version.HTTP_1_1);
    }
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new FetchFailure("fetching " + uri + " timed out after " + FETCH_TIMEOUT.toSeconds() + " s", true);
    } catch (IOException e) {
      throw new FetchFailure("cannot fetch " + uri + ": " + e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchFailure("interrupted", true);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // a redirect's body is not needed
    }
  }

  private Fetched read(URI uri, HttpResponse<InputStream> resp, long maxBytes) throws FetchFailure {
    try {
      try (InputStream in = resp.body()) {
        if (resp.statusCode() / 100 != 2) {
          boolean retry = resp.statusCode() >= 500 || resp.statusCode() == 429;
          throw new FetchFailure(uri + " answered HTTP " + resp.statusCode(), retry);
        }
        long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
          throw new FetchFailure("the file is " + declared + " bytes, over WhatsApp's " + maxBytes + "-byte limit",
              false);
        }
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
          throw new FetchFailure("the file is over WhatsApp's " + maxBytes + "-byte limit", false);
        }
        return new Fetched(bytes, resp.headers().firstValue("Content-Type").orElse(null));
      }
    } catch (IOException e) {
      throw new FetchFailure("cannot read " + uri + ": " + e.getMessage(), true);
    }
  }
}
