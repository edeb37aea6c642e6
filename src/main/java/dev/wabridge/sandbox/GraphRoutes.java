package dev.wabridge.sandbox;

import dev.wabridge.Json;
import dev.wabridge.media.MediaHeaders;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.sandbox.GraphRequest.MarkRead;
import dev.wabridge.sandbox.GraphRequest.Rejected;
import dev.wabridge.sandbox.GraphRequest.Send;
import dev.wabridge.sandbox.PhoneSimulator.Sender;
import dev.wabridge.sandbox.SimulatedMedia.Media;
import dev.wabridge.store.Ids;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated Cloud API under {@code /sandbox/graph/{version}}: sends and mark-read on {@code /{pnid}/messages},
 * the number's own node ({@code GET /{pnid}}, which wabridge asks before it accepts a token for a number), media
 * upload, media URL lookup and the Bearer-protected download, with Meta's request checks, response shapes
 * and error bodies. Only the sandbox number's access token is accepted; anything else is Meta's 401 (code 190).
 */
final class GraphRoutes {
  static final String BASE = "/sandbox/graph";
  private static final Map<String, Long> MAX_UPLOAD = Map.of("image", 5L << 20, "video", 16L << 20,
      "audio", 16L << 20, "application", 100L << 20, "text", 100L << 20);

  private final Supplier<BusinessNumber> number;
  private final Function<String, Optional<Sender>> senders;
  private final PhoneSimulator phones;
  private final SimulatedMedia media;
  private final Faults faults;
  private final String publicUrl;

  /** @param senders whose conversation a message of wabridge's (by its id) belongs to */
  GraphRoutes(Supplier<BusinessNumber> number, Function<String, Optional<Sender>> senders, PhoneSimulator phones,
              SimulatedMedia media, Faults faults, String publicUrl) {
    this.number = number;
    this.senders = senders;
    this.phones = phones;
    this.media = media;
    this.faults = faults;
    this.publicUrl = publicUrl;
  }

  void register(RoutesConfig r) {
    r.get(BASE + "/lookaside/{id}", this::download);
    r.post(BASE + "/{version}/{pnid}/messages", this::messages);
    r.post(BASE + "/{version}/{pnid}/media", this::upload);
    r.get(BASE + "/{version}/{id}", this::mediaUrl);
    r.delete(BASE + "/{version}/{id}", this::deleteMedia);
  }

  private void messages(Context ctx) {
    if (!authorised(ctx) || !knownVersion(ctx) || !ourNumber(ctx)) {
      return;
    }
    switch (GraphRequest.parse(ctx.bodyAsBytes())) {
      case Rejected r -> error(ctx, r.error());
      case MarkRead m -> {
        if (phones.markRead(m.messageId(), m.typing())) {
          ObjectNode ok = Json.object();
          ok.put("success", true);
          json(ctx, 200, ok);
        } else {
          error(ctx, MetaError.of(131009).orElseThrow().withDetails("message_id " + m.messageId()
              + " is not a message this number received."));
        }
      }
      case Send s -> send(ctx, s);
    }
  }

  private void send(Context ctx, Send s) {
    Optional<MetaError> fault = faults.roll();
    if (fault.isPresent()) {
      error(ctx, fault.get().withDetails(fault.get().details() + " (injected by the sandbox's fault settings)"));
      return;
    }
    Optional<Sender> sender = s.tracking() == null ? Optional.empty() : senders.apply(s.tracking());
    String mediaId = GraphRequest.MEDIA.contains(s.type()) ? Json.text(s.object(), "id") : null;
    if (mediaId != null && (media.info(mediaId).isEmpty()
        || sender.isPresent() && !media.usableBy(mediaId, sender.get().workspaceId()))) {
      error(ctx, MetaError.invalidParameter("Param " + s.type() + "['id'] is not a valid media id: " + mediaId
          + " was not uploaded to this number."));
      return;
    }
    String wamid = phones.businessSends(s, sender);
    ObjectNode out = Json.object();
    out.put("messaging_product", "whatsapp");
    ObjectNode contact = out.putArray("contacts").addObject();
    contact.put("input", s.to());
    contact.put("wa_id", s.waId());
    out.putArray("messages").addObject().put("id", wamid);
    json(ctx, 200, out);
  }

  private void upload(Context ctx) {
    if (!authorised(ctx) || !knownVersion(ctx) || !ourNumber(ctx)) {
      return;
    }
    if (!"whatsapp".equals(ctx.formParam("messaging_product"))) {
      error(ctx, MetaError.invalidParameter("The parameter messaging_product is required and must be whatsapp."));
      return;
    }
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      error(ctx, MetaError.invalidParameter("The parameter file is required."));
      return;
    }
    String type = Optional.ofNullable(ctx.formParam("type")).filter(t -> !t.isBlank())
        .orElse(file.contentType() == null ? "" : file.contentType());
    String mime = SimulatedMedia.bareMime(type);
    Long max = MAX_UPLOAD.get(mime.contains("/") ? mime.substring(0, mime.indexOf('/')) : "");
    if (max == null) {
      error(ctx, MetaError.of(131053).orElseThrow().withDetails("Param file must be a file with one of the following "
          + "types: audio, image, video, text/plain, application/pdf and office documents. Received file of type '"
          + mime + "'."));
      return;
    }
    byte[] bytes;
    try (InputStream in = file.content()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      error(ctx, MetaError.of(131053).orElseThrow().withDetails("The upload could not be read: " + e.getMessage()));
      return;
    }
    if (bytes.length == 0 || bytes.length > max) {
      error(ctx, MetaError.of(131053).orElseThrow().withDetails("File size " + bytes.length + " bytes is outside the "
          + "limit for " + mime + " (at most " + (max >> 20) + " MB)."));
      return;
    }
    Media m = media.put(bytes, mime, file.filename(), null);
    ObjectNode out = Json.object();
    out.put("id", m.id());
    json(ctx, 200, out);
  }

  /** {@code GET /{id}}: the sandbox number (as Meta's phone-number node) or an uploaded media's URL. */
  private void mediaUrl(Context ctx) {
    if (!authorised(ctx) || !knownVersion(ctx)) {
      return;
    }
    if (number.get().phoneNumberId().equals(ctx.pathParam("id"))) {
      phoneNumber(ctx);
      return;
    }
    Optional<Media> m = media.info(ctx.pathParam("id"));
    if (m.isEmpty()) {
      unsupportedGet(ctx);
      return;
    }
    ObjectNode out = Json.object();
    out.put("messaging_product", "whatsapp");
    out.put("url", publicUrl + BASE + "/lookaside/" + m.get().id());
    out.put("mime_type", m.get().mimeType());
    out.put("sha256", m.get().sha256());
    out.put("file_size", m.get().size());
    out.put("id", m.get().id());
    json(ctx, 200, out);
  }

  /** Meta's default fields of a phone-number node, for the one number this token may read. */
  private void phoneNumber(Context ctx) {
    ObjectNode out = Json.object();
    out.put("verified_name", "wabridge sandbox");
    out.put("code_verification_status", "VERIFIED");
    out.put("display_phone_number", number.get().displayPhoneNumber());
    out.put("quality_rating", "GREEN");
    out.put("platform_type", "CLOUD_API");
    out.putObject("throughput").put("level", "STANDARD");
    out.put("id", number.get().phoneNumberId());
    json(ctx, 200, out);
  }

  /** Meta's answer to a GET of an object the token cannot see or that does not exist: code 100, subcode 33. */
  private static void unsupportedGet(Context ctx) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("message", "Unsupported get request. Object with ID '" + ctx.pathParam("id") + "' does not exist, cannot "
        + "be loaded due to missing permissions, or does not support this operation. Please read the Graph API "
        + "documentation at https://developers.facebook.com/docs/graph-api");
    e.put("type", "GraphMethodException");
    e.put("code", 100);
    e.put("error_subcode", 33);
    e.put("fbtrace_id", "A" + Ids.newToken().substring(0, 22));
    json(ctx, 400, root);
  }

  private void deleteMedia(Context ctx) {
    if (!authorised(ctx) || !knownVersion(ctx)) {
      return;
    }
    if (media.info(ctx.pathParam("id")).isEmpty()) {
      unknownObject(ctx, "delete");
      return;
    }
    ObjectNode ok = Json.object();
    ok.put("success", true);
    json(ctx, 200, ok);
  }

  private void download(Context ctx) {
    MediaHeaders.protect(ctx);
    if (!authorised(ctx)) {
      return;
    }
    Optional<Media> m = media.load(ctx.pathParam("id"));
    if (m.isEmpty()) {
      ctx.status(404).contentType("text/plain").result("media not found");
      return;
    }
    media.serve(ctx, m.get());
  }

  private boolean authorised(Context ctx) {
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    byte[] expected = number.get().accessToken().getBytes(StandardCharsets.UTF_8);
    if (!token.isEmpty() && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
      return true;
    }
    error(ctx, MetaError.badToken());
    return false;
  }

  private boolean knownVersion(Context ctx) {
    if (ctx.pathParam("version").matches("v\\d+\\.\\d+")) {
      return true;
    }
    ObjectNode body = MetaError.invalidParameter("Unknown path components: /" + ctx.pathParam("version")).body();
    ((ObjectNode) body.get("error")).put("message", "Unknown path components: /" + ctx.pathParam("version"));
    ((ObjectNode) body.get("error")).put("code", 2500);
    json(ctx, 400, body);
    return false;
  }

  private boolean ourNumber(Context ctx) {
    if (number.get().phoneNumberId().equals(ctx.pathParam("pnid"))) {
      return true;
    }
    unknownObject(ctx, "post");
    return false;
  }

  private void unknownObject(Context ctx, String verb) {
    String id = ctx.pathParamMap().getOrDefault("pnid", ctx.pathParamMap().get("id"));
    error(ctx, MetaError.invalidParameter("Unsupported " + verb + " request. Object with ID '" + id + "' does not "
        + "exist, cannot be loaded due to missing permissions, or does not support this operation."));
  }

  private static void error(Context ctx, MetaError e) {
    json(ctx, e.httpStatus(), e.body());
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.bytes(body));
  }
}
