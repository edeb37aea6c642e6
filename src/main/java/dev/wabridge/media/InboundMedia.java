package dev.wabridge.media;

import dev.wabridge.support.Json;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.whatsapp.GraphMedia;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fetches a customer's media from Meta while its id is fresh, checks it against Meta's size limit for its
 * kind, and stores it for the agent as what its bytes are: the type WhatsApp declared is not trusted
 * ({@link ContentSniffer#verify}); when the bytes say otherwise, {@code mime_type} is what they are and
 * {@code declared_mime_type} keeps what was declared, and the agent still gets the file. A failed download is
 * retried; a final failure still lets the agent be called, with the media marked unavailable and the reason.
 */
public final class InboundMedia {
  private static final long[] RETRY_DELAYS_MILLIS = {300, 1_500};
  private final GraphMedia graph;
  private final MediaStore store;

  public InboundMedia(GraphMedia graph, MediaStore store) {
    this.graph = graph;
    this.store = store;
  }

  /** The media object to keep on the message, or null when the message carries no media. */
  public ObjectNode fetch(BusinessNumber number, String workspaceId, String type, JsonNode raw) {
    MediaKind kind = MediaKind.of(type);
    JsonNode body = kind == null ? null : Json.obj(raw, type);
    if (body == null) {
      return null;
    }
    ObjectNode media = Json.object();
    media.put("kind", type);
    media.put("mime_type", Json.text(body, "mime_type"));
    media.put("filename", Json.text(body, "filename"));
    media.put("caption", Json.text(body, "caption"));
    media.put("voice", body.path("voice").asBoolean(false));
    String mediaId = Json.text(body, "id");
    if (mediaId == null) {
      return unavailable(media, "Meta sent no media id");
    }
    GraphMedia.Result result = null;
    for (int attempt = 0; ; attempt++) {
      result = graph.download(number, mediaId, kind.maxBytes());
      if (!(result instanceof GraphMedia.Failed f) || !f.retryable() || attempt >= RETRY_DELAYS_MILLIS.length) {
        break;
      }
      try {
        Thread.sleep(RETRY_DELAYS_MILLIS[attempt]);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return switch (result) {
      case GraphMedia.Downloaded d -> {
        String declared = media.path("mime_type").isString() ? media.get("mime_type").asString() : d.mimeType();
        ContentSniffer.Verdict verdict = ContentSniffer.verify(d.bytes(), declared);
        MediaStore.Stored s = store.put(workspaceId, d.bytes(), verdict.mimeType(), Json.text(body, "filename"));
        media.put("media_id", s.id());
        media.put("mime_type", verdict.mimeType());
        if (verdict.mismatch()) {
          media.put("declared_mime_type", declared);
        }
        media.put("size", s.size());
        media.put("sha256", s.sha256());
        media.put("status", "available");
        yield media;
      }
      case GraphMedia.Failed f -> unavailable(media, f.error().describe());
      case GraphMedia.Uploaded u -> unavailable(media, "unexpected upload result");
    };
  }

  private static ObjectNode unavailable(ObjectNode media, String why) {
    media.put("status", "unavailable");
    media.put("error", "could not download the customer's media from WhatsApp: " + why);
    return media;
  }

  /** The agent's and the API's view: a fresh signed link when the file is here. */
  public static ObjectNode view(JsonNode stored, Function<String, String> link) {
    if (stored == null || !stored.isObject()) {
      return null;
    }
    ObjectNode v = Json.object();
    String id = Json.text(stored, "media_id");
    v.put("url", id == null ? null : link.apply(id));
    v.put("mime_type", Json.text(stored, "mime_type"));
    v.put("declared_mime_type", Json.text(stored, "declared_mime_type"));
    JsonNode size = stored.get("size");
    if (size != null && size.isNumber()) {
      v.put("size", size.asLong());
    } else {
      v.putNull("size");
    }
    v.put("sha256", Json.text(stored, "sha256"));
    v.put("filename", Json.text(stored, "filename"));
    v.put("caption", Json.text(stored, "caption"));
    v.put("voice", stored.path("voice").asBoolean(false));
    if ("unavailable".equals(Json.text(stored, "status"))) {
      v.put("error", Json.text(stored, "error"));
    }
    return v;
  }
}
