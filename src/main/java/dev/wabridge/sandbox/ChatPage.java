package dev.wabridge.sandbox;

import dev.wabridge.web.PageHeaders;
import dev.wabridge.web.MediaHeaders;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the sandbox chat page and its files from the classpath ({@code public/sandbox/}): the page at
 * {@code /sandbox} and {@code /sandbox/connect/{join_code}}, its script and style, the demo agent's sample files,
 * and stored media through the signed links the page's API hands out. The page carries {@link PageHeaders}' strict
 * CSP; stored media carries {@link MediaHeaders} (never rendered as a page on this origin).
 */
final class ChatPage {
  private static final String ROOT = "public/sandbox/";
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
      "png", "image/png", "pdf", "application/pdf", "ogg", "audio/ogg", "mp4", "video/mp4",
      "webp", "image/webp");

  private final SimulatedMedia media;
  private final ConcurrentHashMap<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  ChatPage(SimulatedMedia media) {
    this.media = media;
  }

  void register(RoutesConfig r) {
    r.get("/sandbox", ctx -> file(ctx, "index.html"));
    r.get("/sandbox/", ctx -> file(ctx, "index.html"));
    r.get("/sandbox/connect/{code}", ctx -> file(ctx, "index.html"));
    r.get("/sandbox/chat.js", ctx -> file(ctx, "chat.js"));
    r.get("/sandbox/chat.css", ctx -> file(ctx, "chat.css"));
    r.get("/sandbox/demo/{file}", ctx -> file(ctx, "demo/" + ctx.pathParam("file")));
    r.get("/sandbox/files/{id}", this::media);
  }

  private void file(Context ctx, String name) {
    if (!name.matches("[a-z0-9/_-]+\\.[a-z0-9]+") || name.contains("..")) {
      notFound(ctx);
      return;
    }
    Optional<byte[]> bytes = cache.computeIfAbsent(name, ChatPage::load);
    if (bytes.isEmpty()) {
      notFound(ctx);
      return;
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    if (ext.equals("html")) {
      PageHeaders.apply(ctx, PageHeaders.SANDBOX);
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", name.endsWith(".html") ? "no-cache" : "public, max-age=300");
    ctx.status(200).contentType(TYPES.getOrDefault(ext, "application/octet-stream")).result(bytes.get());
  }

  private void media(Context ctx) {
    MediaHeaders.protect(ctx);
    String id = ctx.pathParam("id");
    if (!media.validSignature(id, ctx.queryParam("sig"))) {
      notFound(ctx);
      return;
    }
    media.load(id).ifPresentOrElse(m -> media.serve(ctx, m), () -> notFound(ctx));
  }

  private static Optional<byte[]> load(String name) {
    try (InputStream in = ChatPage.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void notFound(Context ctx) {
    ctx.status(404).contentType("text/plain").result("not found");
  }
}
