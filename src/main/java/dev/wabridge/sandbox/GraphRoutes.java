package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.web.MediaHeaders;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.sandbox.GraphRequest.MarkRead;
import dev.wabridge.sandbox.GraphRequest.Rejected;
import dev.wabridge.sandbox.GraphRequest.Send;
import dev.wabridge.sandbox.PhoneSimulator.Sender;
import dev.wabridge.sandbox.SimulatedMedia.Media;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated Cloud API under {@code /sandbox/graph}, with or without a version segment as Graph itself (an
 * unversioned path takes the app's default version): sends and mark-read on {@code /{pnid}/messages}, the number's
 * own node ({@code GET /{pnid}}, which wabridge asks before it accepts a token for a number), media upload, lookup,
 * delete and the Bearer-protected download, with Meta's request checks, response shapes and error bodies.
 * Parameters may come in the body or the query string ({@link GraphParams}).
 *
 * <p>Two kinds of token are accepted: the sandbox number's own (wabridge's sends; every workspace's traffic, each
 * send filed by its {@code biz_opaque_callback_data}) and each workspace's sandbox token ({@link SandboxCredentials};
 * only that workspace's customers and media). Anything else is Meta's 401 (code 190); another workspace's media or
 * message is as unknown as a wrong id.
 */
final class GraphRoutes {
  static final String BASE = "/sandbox/graph";
  private static final Map<String, Long> MAX_UPLOAD = Map.of("image", 5L << 20, "video", 16L << 20,
      "audio", 16L << 20, "application", 100L << 20, "text", 100L << 20);

  /** Who is calling: wabridge with the number's token ({@code workspaceId} null), or one workspace's client. */
  private record Caller(String workspaceId) {
    boolean platform() {
      return workspaceId == null;
    }
  }

  private final Supplier<BusinessNumber> number;
  private final Function<String, Optional<Sender>> senders;
  private final PhoneSimulator phones;
  private final SimulatedMedia media;
  private final Faults faults;
  private final SandboxCredentials credentials;
  private final String publicUrl;

  /** @param senders whose conversation a message of wabridge's (by its id) belongs to */
  GraphRoutes(Supplier<BusinessNumber> number, Function<String, Optional<Sender>> senders, PhoneSimulator phones,
              SimulatedMedia media, Faults faults, SandboxCredentials credentials, String publicUrl) {
    this.number = number;
    this.senders = senders;
    this.phones = phones;
    this.media = media;
    this.faults = faults;
    this.credentials = credentials;
    this.publicUrl = publicUrl;
  }

  void register(RoutesConfig r) {
    r.get(BASE + "/lookaside/{id}", this::download);
    for (String base : List.of(BASE + "/{version}", BASE)) {
      r.post(base + "/{pnid}/messages", this::messages);
      r.post(base + "/{pnid}/media", this::upload);
      r.get(base + "/{id}", this::node);
      r.delete(base + "/{id}", this::deleteMedia);
    }
  }

  private void messages(Context ctx) {
    Optional<Caller> caller = caller(ctx);
    if (caller.isEmpty() || !knownVersion(ctx) || !ourNumber(ctx, "post")) {
      return;
    }
    Optional<ObjectNode> params = GraphParams.of(ctx);
    GraphRequest request = params.isEmpty()
        ? new Rejected(MetaError.invalidParameter("Request body is not valid JSON."))
        : GraphRequest.parse(params.get());
    switch (request) {
      case Rejected r -> error(ctx, r.error());
      case MarkRead m -> {
        if (phones.markRead(m.messageId(), m.typing(), caller.get().workspaceId())) {
          ObjectNode ok = Json.object();
          ok.put("success", true);
          json(ctx, 200, ok);
        } else {
          // What Meta answers, seen by client libraries: its invalid-parameter error naming the message id (its
          // mark-read page documents 131009, the Graph API answers 100).
          error(ctx, MetaError.invalidParameter("Invalid message_id: " + m.messageId()
              + " is not a message this number received."));
        }
      }
      case Send s -> send(ctx, s, caller.get());
    }
  }

  private void send(Context ctx, Send s, Caller caller) {
    Optional<MetaError> fault = faults.roll();
    if (fault.isPresent()) {
      error(ctx, fault.get().withDetails(fault.get().details() + " (injected by the sandbox's fault settings)"));
      return;
    }
    Optional<Sender> sender = !caller.platform() ? Optional.of(new Sender(caller.workspaceId(), null))
        : s.tracking() == null ? Optional.empty() : senders.apply(s.tracking());
    String mediaId = GraphRequest.MEDIA.contains(s.type()) ? Json.text(s.object(), "id") : null;
    if (mediaId != null && !mediaKnown(mediaId, caller, sender)) {
      error(ctx, MetaError.invalidParameter("Param " + s.type() + "['id'] is not a valid media id: " + mediaId
          + " was not uploaded to this number."));
      return;
    }
    String wamid = phones.businessSends(s, sender);
    ObjectNode out = Json.object();
    out.put("messaging_product", "whatsapp");
    ObjectNode contact = out.putArray("contacts").addObject();
    contact.put("input", s.to().input());
    if (s.to().waId() != null) {
      contact.put("wa_id", s.to().waId());
    } else {
      contact.put("user_id", s.to().userId());
    }
    ObjectNode message = out.putArray("messages").addObject();
    message.put("id", wamid);
    if (s.type().equals("template")) {
      // Meta marks template sends accepted (or held for its pacing); other types carry no message_status.
      message.put("message_status", "accepted");
    }
    json(ctx, 200, out);
  }

  /** Whether a send may name this media id: wabridge's may claim a fresh upload, a workspace's only its own. */
  private boolean mediaKnown(String mediaId, Caller caller, Optional<Sender> sender) {
    if (!caller.platform()) {
      return media.info(mediaId, caller.workspaceId()).isPresent();
    }
    return media.info(mediaId).isPresent()
        && (sender.isEmpty() || media.usableBy(mediaId, sender.get().workspaceId()));
  }

  private void upload(Context ctx) {
    Optional<Caller> caller = caller(ctx);
    if (caller.isEmpty() || !knownVersion(ctx) || !ourNumber(ctx, "post")) {
      return;
    }
    if (!"whatsapp".equals(GraphParams.field(ctx, "messaging_product"))) {
      error(ctx, MetaError.invalidParameter("The parameter messaging_product is required and must be whatsapp."));
      return;
    }
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      error(ctx, MetaError.invalidParameter("The parameter file is required."));
      return;
    }
    String type = Optional.ofNullable(GraphParams.field(ctx, "type")).filter(t -> !t.isBlank())
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
    Media m = media.put(bytes, mime, file.filename(), caller.get().workspaceId());
    ObjectNode out = Json.object();
    out.put("id", m.id());
    json(ctx, 200, out);
  }

  /** {@code GET /{id}}: the sandbox number (as Meta's phone-number node) or an uploaded media's URL. */
  private void node(Context ctx) {
    Optional<Caller> caller = caller(ctx);
    if (caller.isEmpty() || !knownVersion(ctx)) {
      return;
    }
    String id = ctx.pathParam("id");
    if (number.get().phoneNumberId().equals(id)) {
      phoneNumber(ctx);
      return;
    }
    Optional<Media> m = media.info(id, caller.get().workspaceId());
    if (m.isEmpty()) {
      json(ctx, 400, MetaError.unsupported("get", id));
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

  /** {@code DELETE /{media-id}}: the file is gone; a later read or send finds it unknown, as Meta's. */
  private void deleteMedia(Context ctx) {
    Optional<Caller> caller = caller(ctx);
    if (caller.isEmpty() || !knownVersion(ctx)) {
      return;
    }
    String id = ctx.pathParam("id");
    if (media.info(id, caller.get().workspaceId()).isEmpty()) {
      json(ctx, 400, MetaError.unsupported("delete", id));
      return;
    }
    media.delete(id);
    ObjectNode ok = Json.object();
    ok.put("success", true);
    json(ctx, 200, ok);
  }

  private void download(Context ctx) {
    MediaHeaders.protect(ctx);
    Optional<Caller> caller = caller(ctx);
    if (caller.isEmpty()) {
      return;
    }
    String id = ctx.pathParam("id");
    Optional<Media> m = media.info(id, caller.get().workspaceId()).flatMap(info -> media.load(id));
    if (m.isEmpty()) {
      ctx.status(404).contentType("text/plain").result("media not found");
      return;
    }
    media.serve(ctx, m.get());
  }

  /**
   * The caller of a request with a Bearer token (or Graph's {@code access_token} query parameter): the number's
   * token, or a workspace's sandbox token. Otherwise answers Meta's 401 and returns empty.
   */
  private Optional<Caller> caller(Context ctx) {
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
        : Optional.ofNullable(ctx.queryParam("access_token")).orElse("").trim();
    byte[] expected = number.get().accessToken().getBytes(StandardCharsets.UTF_8);
    if (!token.isEmpty() && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
      return Optional.of(new Caller(null));
    }
    Optional<String> workspace = credentials.workspaceOf(token);
    if (workspace.isPresent()) {
      return Optional.of(new Caller(workspace.get()));
    }
    error(ctx, MetaError.badToken());
    return Optional.empty();
  }

  /** A version segment, when the path has one, must look like Graph's ({@code v23.0}). */
  private boolean knownVersion(Context ctx) {
    String version = ctx.pathParamMap().get("version");
    if (version == null || version.matches("v\\d+\\.\\d+")) {
      return true;
    }
    ObjectNode body = MetaError.invalidParameter("Unknown path components: /" + version).body();
    ((ObjectNode) body.get("error")).put("message", "Unknown path components: /" + version);
    ((ObjectNode) body.get("error")).put("code", 2500);
    json(ctx, 400, body);
    return false;
  }

  private boolean ourNumber(Context ctx, String verb) {
    if (number.get().phoneNumberId().equals(ctx.pathParam("pnid"))) {
      return true;
    }
    json(ctx, 400, MetaError.unsupported(verb, ctx.pathParam("pnid")));
    return false;
  }

  private static void error(Context ctx, MetaError e) {
    json(ctx, e.httpStatus(), e.body());
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.bytes(body));
  }
}
