package dev.wabridge.media;

import dev.wabridge.support.HttpUrls;
import dev.wabridge.support.Json;
import dev.wabridge.net.OutboundHttp;
import dev.wabridge.net.TenantHttp;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.db.Database;
import dev.wabridge.whatsapp.GraphMedia;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Re-hosts an agent's media on Meta before sending: fetches the URL (size cap, timeout, redirects by hand, each
 * hop only where the conversation's workspace may connect), checks the type by the bytes rather than the file
 * name, uploads it to the number, and rewrites {@code link} to {@code id}. Meta's media ids are cached by URL for a
 * day and by content for 29 days, so the same file is not uploaded twice. A link the network policy refuses fails
 * with {@code media_url_refused} and is never fetched.
 */
public final class OutboundMedia {
  private static final long URL_CACHE_MILLIS = 24L * 3600 * 1000;
  private static final long CONTENT_CACHE_MILLIS = 29L * 24 * 3600 * 1000;
  static final int MAX_REDIRECTS = 5;

  /** The message ready to send, or why it cannot be. */
  public sealed interface Prepared {
  }

  /** {@code mimeType}: what the file was found to be when it was fetched for this send (null otherwise). */
  public record Ready(ObjectNode message, String mimeType) implements Prepared {
    public Ready(ObjectNode message) {
      this(message, null);
    }
  }

  public record Failed(String code, String message, boolean retryable) implements Prepared {
  }

  private final Database db;
  private final GraphMedia graph;
  private final TenantHttp http;
  private final InstantSource clock;
  private final Duration fetchTimeout;

  /**
   * @param http the clients media is fetched with; its policy decides where each workspace's links may lead
   * @param fetchTimeout how long a link is fetched for, per hop, body included
   */
  public OutboundMedia(Database db, GraphMedia graph, TenantHttp http, InstantSource clock, Duration fetchTimeout) {
    this.db = db;
    this.fetchTimeout = fetchTimeout;
    this.graph = graph;
    this.http = http;
    this.clock = clock;
  }

  /**
   * The message with every media link re-hosted: the message's own media and the media in an interactive header,
   * a carousel card's header and a template's parameters ({@link MediaSlot}). The first link that cannot be
   * re-hosted fails the whole message, naming that link.
   *
   * @param workspaceId the workspace of the conversation the message is for: its policy applies to the links
   */
  public Prepared prepare(BusinessNumber number, String workspaceId, ObjectNode message) {
    if (MediaSlot.linksIn(message).isEmpty()) {
      return new Ready(message);
    }
    ObjectNode copy = message.deepCopy();
    List<MediaSlot> slots = MediaSlot.linksIn(copy);
    String tooMany = tooManyLinks(slots.size());
    if (tooMany != null) {
      return new Failed("invalid_content", tooMany, false);
    }
    java.util.Map<JsonNode, String> mimes = new java.util.IdentityHashMap<>();
    for (MediaSlot slot : slots) {
      Failed failed = rehost(number, workspaceId, slot, mimes);
      if (failed != null) {
        return failed;
      }
    }
    String type = Json.text(copy, "type");
    return new Ready(copy, type == null ? null : mimes.get(copy.get(type)));
  }

  /** Media links one message may carry: a header, or a carousel's ten cards and the message's own media. */
  static final int MAX_LINKS = 11;

  /**
   * Why a message with this many media links is refused, or null: each link is a fetch and an upload, one after
   * another in the sender, and a message holds at most a header and ten cards.
   */
  private static String tooManyLinks(int links) {
    return links <= MAX_LINKS ? null : "a message may carry at most " + MAX_LINKS + " media links (it has " + links
        + "); send the rest as messages of their own";
  }

  /** As the sender would refuse it, checked when the message is accepted so that the caller hears it at once. */
  public static String tooManyLinks(ObjectNode message) {
    return tooManyLinks(MediaSlot.linksIn(message).size());
  }

  /** Replaces the slot's link by the id of the uploaded file; or says why it cannot. */
  private Failed rehost(BusinessNumber number, String workspaceId, MediaSlot slot, java.util.Map<JsonNode, String> mimes) {
    ObjectNode media = slot.media();
    String link = Json.text(media, "link");
    MediaKind kind = slot.kind();
    String field = slot.field() + ": ";
    long now = clock.millis();
    // Uploads are remembered per workspace: the sandbox number is shared, and one workspace's upload is neither
    // another's to use (the sandbox refuses a media id another workspace sent) nor a way round its network policy.
    String scope = "ws:" + workspaceId + " ";
    if (!HttpUrls.isHttp(link)) {
      // the parser checks every link it reads; a template's components in wabridge's own shape go unread
      return new Failed("invalid_content", field + "must be an absolute http:// or https:// URL", false);
    }
    // Checked before the cache too: a link the policy refuses now is not sent from an earlier upload either.
    URI uri = URI.create(link);
    String refusal = http.policy(workspaceId).refusal(uri);
    if (refusal != null) {
      return new Failed("media_url_refused", field + refusal, false);
    }
    Optional<String> cached = cachedId(number.id(), scope + "url:" + link, now - URL_CACHE_MILLIS);
    if (cached.isPresent()) {
      useId(media, cached.get());
      return null;
    }
    Fetched f;
    try {
      f = fetch(workspaceId, uri, (int) Math.min(Integer.MAX_VALUE - 8, kind.maxBytes()));
    } catch (Refusal e) {
      return new Failed("media_url_refused", field + e.getMessage(), false);
    } catch (FetchFailure e) {
      return new Failed("media_fetch_failed", field + e.getMessage(), e.retryable);
    }
    String type = kind.name().toLowerCase(Locale.ROOT);
    String mime = ContentSniffer.resolve(f.bytes, f.contentType);
    if (mime == null || !kind.accepts(mime)) {
      return new Failed("media_type_mismatch", field + "the file at " + link + " is " + (mime == null ? "of no type "
          + "WhatsApp accepts" : mime) + ", not " + MediaKind.withArticle(type) + " WhatsApp accepts", false);
    }
    String sha = MediaStore.sha256Hex(f.bytes);
    Optional<String> byContent = cachedId(number.id(), scope + "sha256:" + sha, now - CONTENT_CACHE_MILLIS);
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
      remember(number.id(), scope + "sha256:" + sha, mediaId, now);
    }
    remember(number.id(), scope + "url:" + link, mediaId, now);
    useId(media, mediaId);
    mimes.put(media, mime);
    return null;
  }

  /**
   * What a send carried, for the message's history: the media as sent to Meta ({@code media_id}, and
   * {@code mime_type} when the file was fetched for this send) beside the link it came from; null for a message
   * without media.
   */
  public static String sent(ObjectNode original, Ready ready) {
    String type = Json.text(original, "type");
    JsonNode sent = type == null || MediaKind.of(type) == null ? null : Json.obj(ready.message(), type);
    if (sent == null) {
      return null;
    }
    ObjectNode o = Json.object();
    o.put("kind", type);
    o.put("link", Json.text(Json.obj(original, type), "link"));
    o.put("media_id", Json.text(sent, "id"));
    o.put("mime_type", ready.mimeType());
    return Json.string(o);
  }

  /**
   * The API's view of an outbound message's media: what it was sent with ({@code url}: the link; {@code media_id}:
   * Meta's id, given or uploaded), its file name and caption, and the type found when it was fetched. Null when
   * the message has no media.
   */
  public static ObjectNode view(JsonNode content, JsonNode sent) {
    String type = Json.text(content, "type");
    JsonNode media = type == null || MediaKind.of(type) == null ? null : Json.obj(content, type);
    if (media == null) {
      return null;
    }
    ObjectNode v = Json.object();
    String link = Json.text(media, "link");
    v.put("url", link != null ? link : Json.text(sent, "link"));
    String id = Json.text(media, "id");
    v.put("media_id", id != null ? id : Json.text(sent, "media_id"));
    v.put("mime_type", Json.text(sent, "mime_type"));
    v.putNull("size");
    v.putNull("sha256");
    v.put("filename", Json.text(media, "filename"));
    v.put("caption", Json.text(media, "caption"));
    v.put("voice", false);
    return v;
  }

  /** The link gives way to the id of the uploaded file. */
  private static void useId(ObjectNode media, String mediaId) {
    media.remove("link");
    media.put("id", mediaId);
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

  private static class FetchFailure extends Exception {
    final boolean retryable;

    FetchFailure(String message, boolean retryable) {
      super(message, null, false, false);
      this.retryable = retryable;
    }
  }

  /**
   * Follows up to {@link #MAX_REDIRECTS} redirects by hand through the workspace's client, so that every hop is
   * resolved once and connected to only where the network policy allows.
   */
  private Fetched fetch(String workspaceId, URI first, int maxBytes) throws FetchFailure {
    OutboundHttp.Fetched f;
    try {
      f = http.forWorkspace(workspaceId).fetch(first, fetchTimeout.toMillis(), maxBytes, MAX_REDIRECTS);
    } catch (OutboundHttp.Failure e) {
      throw switch (e.reason()) {
        case TIMEOUT -> new FetchFailure("fetching " + first + " timed out after " + fetchTimeout.toSeconds()
            + " s", true);
        case TOO_LARGE -> new FetchFailure("the file is over WhatsApp's " + maxBytes + "-byte limit", false);
        case POLICY -> new Refusal(e.getMessage());
        case REDIRECTS -> new FetchFailure(first + " " + e.getMessage(), false);
        case REFUSED, CONNECT_TIMEOUT, BROKEN -> new FetchFailure("cannot fetch " + first + ": " + e.getMessage(),
            true);
      };
    } catch (InterruptedIOException e) {
      throw new FetchFailure("interrupted", true);
    }
    OutboundHttp.Answer a = f.answer();
    if (a.status() / 100 != 2) {
      boolean retry = a.status() >= 500 || a.status() == 429;
      throw new FetchFailure(f.uri() + " answered HTTP " + a.status(), retry);
    }
    return new Fetched(a.body(), a.contentType());
  }

  /** The network policy refused the URL or a redirect hop. */
  private static final class Refusal extends FetchFailure {
    Refusal(String message) {
      super(message, false);
    }
  }
}
