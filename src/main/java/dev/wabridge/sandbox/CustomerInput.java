package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.web.ApiException;
import dev.wabridge.web.Body;
import dev.wabridge.media.ContentSniffer;
import dev.wabridge.sandbox.SimulatedMedia.Media;
import dev.wabridge.sandbox.SimulatedMedia.MediaException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns what a simulated customer does ({@code text}, {@code image_url}, {@code image_base64} + {@code mime_type},
 * {@code location} or a button/list {@code reply}) into Meta's inbound message object, with errors that name the
 * field. Images go into the simulated media store first, so the webhook carries a media id as Meta's does.
 */
final class CustomerInput {
  static final int MAX_IMAGE_BYTES = 5 * 1024 * 1024;
  /** The photo types a simulated customer may send as {@code image_base64}, as told by the bytes. */
  static final Set<String> RASTER = Set.of("image/jpeg", "image/png", "image/webp", "image/gif");
  private static final List<String> CONTENT_FIELDS = List.of("text", "image_url", "image_base64", "location", "reply");

  /** Meta's {@code type} and type object (and {@code context} when answering), plus the text the bubble shows. */
  record Typed(ObjectNode message, String text) {
  }

  private final SimulatedMedia media;
  private final String lookasideBase;

  CustomerInput(SimulatedMedia media, String lookasideBase) {
    this.media = media;
    this.lookasideBase = lookasideBase;
  }

  /** E.164 with a plus; spaces, dashes, dots and brackets are allowed and dropped. */
  static String phone(String field, String raw) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.invalid(field, "is required: the customer's number in international format, "
          + "e.g. +15551234567");
    }
    String digits = raw.trim().replaceAll("[\\s()+.-]", "");
    if (!digits.matches("[1-9]\\d{5,14}")) {
      throw ApiException.invalid(field, "must be a phone number in international format, e.g. +15551234567 (got '"
          + raw.trim() + "')");
    }
    return "+" + digits;
  }

  /**
   * What the customer of {@code workspaceId} typed; their media is stored as that workspace's. An {@code image_url}
   * is fetched only where the workspace may connect when {@code workspacePolicy} (the caller's key may change the
   * workspace), else only where any tenant may: the operator's {@code send} key reaches no further than a tenant.
   */
  Typed read(Body b, String workspaceId, boolean workspacePolicy, Supplier<String> latestInteractive) {
    List<String> given = CONTENT_FIELDS.stream().filter(f -> b.node().hasNonNull(f)).toList();
    if (given.size() != 1) {
      throw ApiException.invalid(given.isEmpty() ? "text" : given.get(1), given.isEmpty()
          ? "send one of text, image_url, image_base64 (with mime_type), location or reply"
          : "send only one of " + String.join(", ", given) + " in a message");
    }
    ObjectNode m = Json.object();
    String text = switch (given.getFirst()) {
      case "text" -> {
        String body = b.requiredString("text", 4096);
        m.put("type", "text");
        m.putObject("text").put("body", body);
        yield body;
      }
      case "location" -> location(b.node().get("location"), m);
      case "reply" -> reply(b.node().get("reply"), m, b.optionalString("context", 512).orElseGet(latestInteractive));
      default -> image(b, m, workspaceId, workspacePolicy);
    };
    b.optionalString("context", 512).ifPresent(c -> m.put("context", c));
    return new Typed(m, text);
  }

  private String image(Body b, ObjectNode m, String workspaceId, boolean workspacePolicy) {
    Media stored;
    if (b.has("image_url") && !b.node().get("image_url").isNull()) {
      String url = Body.checkUrl("image_url", b.requiredString("image_url", 2000));
      SimulatedMedia.Downloaded d;
      try {
        d = media.download(url, MAX_IMAGE_BYTES, workspaceId, workspacePolicy);
      } catch (MediaException e) {
        throw ApiException.invalid("image_url", "could not be fetched: " + e.getMessage());
      }
      // As for image_base64: the bytes decide, and nothing that is not a photo is stored.
      String sniffed = ContentSniffer.sniff(d.bytes());
      if (sniffed == null || !RASTER.contains(sniffed)) {
        throw ApiException.invalid("image_url", "is not a JPEG, PNG, WebP or GIF image (its bytes are "
            + (sniffed == null ? "of no image type, e.g. SVG or HTML" : sniffed) + ")");
      }
      stored = media.put(d.bytes(), sniffed, SimulatedMedia.fileName(d.uri().toString()), workspaceId);
    } else {
      String mime = b.optionalString("mime_type", 100).orElseThrow(() -> ApiException.invalid("mime_type",
          "is required with image_base64, e.g. image/jpeg"));
      if (!RASTER.contains(ContentSniffer.canonical(mime))) {
        throw ApiException.invalid("mime_type", "must be a photo type: image/jpeg, image/png, image/webp or image/gif "
            + "(got '" + mime + "')");
      }
      byte[] bytes;
      try {
        bytes = Base64.getMimeDecoder().decode(b.requiredString("image_base64", MAX_IMAGE_BYTES * 4 / 3 + 16));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("image_base64", "is not valid base64");
      }
      if (bytes.length == 0) {
        throw ApiException.invalid("image_base64", "is empty");
      }
      // The bytes decide, not the declared type: an SVG or a web page is never stored as a customer's photo.
      String sniffed = ContentSniffer.sniff(bytes);
      if (sniffed == null || !RASTER.contains(sniffed)) {
        throw ApiException.invalid("image_base64", "is not a JPEG, PNG, WebP or GIF image (its bytes are "
            + (sniffed == null ? "of no image type, e.g. SVG or HTML" : sniffed) + ")");
      }
      stored = media.put(bytes, sniffed, b.optionalString("filename", 240).orElse(null), workspaceId);
    }
    String caption = b.optionalString("caption", 1024).orElse(null);
    m.put("type", "image");
    ObjectNode image = m.putObject("image");
    if (caption != null) {
      image.put("caption", caption);
    }
    image.put("mime_type", stored.mimeType());
    image.put("sha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(stored.sha256())));
    image.put("id", stored.id());
    image.put("url", lookasideBase + stored.id());
    return caption;
  }

  private static String location(JsonNode loc, ObjectNode m) {
    if (!loc.isObject()) {
      throw ApiException.invalid("location", "must be an object {latitude, longitude, name?, address?}");
    }
    double lat = coordinate(loc, "latitude", 90);
    double lon = coordinate(loc, "longitude", 180);
    m.put("type", "location");
    ObjectNode o = m.putObject("location");
    o.put("latitude", lat);
    o.put("longitude", lon);
    String name = optional(loc, "location.name", "name", 1000);
    String address = optional(loc, "location.address", "address", 1000);
    if (name != null) {
      o.put("name", name);
    }
    if (address != null) {
      o.put("address", address);
    }
    return BubbleText.of("location", o);
  }

  private static double coordinate(JsonNode loc, String field, int max) {
    JsonNode v = loc.get(field);
    if (v == null || !v.isNumber() || v.asDouble() < -max || v.asDouble() > max) {
      throw ApiException.invalid("location." + field, "is required, a number from -" + max + " to " + max);
    }
    return v.asDouble();
  }

  private static String reply(JsonNode r, ObjectNode m, String context) {
    if (!r.isObject()) {
      throw ApiException.invalid("reply", "must be an object {type: button_reply|list_reply, id, title}");
    }
    String type = Json.text(r, "type");
    if (!"button_reply".equals(type) && !"list_reply".equals(type)) {
      throw ApiException.invalid("reply.type", "must be button_reply or list_reply");
    }
    String id = optional(r, "reply.id", "id", 256);
    String title = optional(r, "reply.title", "title", 24);
    if (id == null) {
      throw ApiException.invalid("reply.id", "is required: the id of the button or list row chosen");
    }
    if (title == null) {
      throw ApiException.invalid("reply.title", "is required: the title of the button or list row chosen");
    }
    m.put("type", "interactive");
    ObjectNode i = m.putObject("interactive");
    i.put("type", type);
    ObjectNode chosen = i.putObject(type);
    chosen.put("id", id);
    chosen.put("title", title);
    String description = optional(r, "reply.description", "description", 72);
    if (description != null) {
      chosen.put("description", description);
    }
    if (context != null) {
      m.put("context", context);
    }
    return title;
  }

  private static String optional(JsonNode o, String name, String field, int max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString() || v.asString().length() > max) {
      throw ApiException.invalid(name, "must be a string of at most " + max + " characters");
    }
    return v.asString().isBlank() ? null : v.asString();
  }
}
