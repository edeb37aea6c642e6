package dev.wabridge.web;

import dev.wabridge.media.MediaStore;
import dev.wabridge.web.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /media/{id}?exp=&sig=}: hosted media for holders of a valid, unexpired link, with the headers of
 * {@link MediaHeaders} (inline only for sniffed raster images, audio, video and PDF; never script on this origin).
 */
public final class MediaRoutes {
  private final MediaStore store;

  public MediaRoutes(MediaStore store) {
    this.store = store;
  }

  public void register(RoutesConfig r) {
    r.get("/media/{id}", this::serve);
  }

  private void serve(Context ctx) throws IOException {
    MediaHeaders.protect(ctx);
    String id = ctx.pathParam("id");
    long exp;
    try {
      exp = Long.parseLong(ctx.queryParam("exp") == null ? "" : ctx.queryParam("exp"));
    } catch (NumberFormatException e) {
      throw new ApiException(403, "bad_media_link", "this media link is not valid; use the link exactly as given");
    }
    if (!store.signatureValid(id, exp, ctx.queryParam("sig"))) {
      throw new ApiException(403, "bad_media_link", "this media link is not valid; use the link exactly as given");
    }
    if (store.expired(exp)) {
      throw new ApiException(410, "media_link_expired", "this media link expired; the Conversations API hands out "
          + "a fresh one");
    }
    MediaStore.Stored m = store.get(id).orElseThrow(() -> new ApiException(404, "not_found", "no such media"));
    Path file = store.path(id);
    if (!Files.exists(file)) {
      throw new ApiException(404, "not_found", "the media file is gone from the data directory");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(MediaHeaders.SNIFF_BYTES);
    }
    MediaHeaders.describe(ctx, m.mimeType(), head, m.filename());
    ctx.header("Content-Length", Long.toString(m.size()));
    ctx.header("Cache-Control", "private, max-age=3600");
    ctx.result(Files.newInputStream(file));
  }
}
