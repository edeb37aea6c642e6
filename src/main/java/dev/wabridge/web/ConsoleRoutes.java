package dev.wabridge.web;

import dev.wabridge.web.ErrorHandlers;
import dev.wabridge.web.ConsoleAssets.Asset;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The web console: static files from {@code public/console/} on the classpath, talking only to the public
 * {@code /api}. {@code /} redirects to {@code /console}; any path under {@code /console} without a file
 * extension is a client-side route and gets {@code index.html}; an unknown file is a 404.
 *
 * <p>Caching: {@code index.html} is always revalidated ({@code no-cache} + ETag, so a new release shows at the
 * next load). It links its scripts and styles under {@code /console/assets/{version}/…}, where the version is a
 * hash of all console files; those URLs never change meaning, so they are cached for a year as immutable. The
 * same files at unversioned paths, or under a version that is not the current one, are served with
 * {@code no-cache}. Every response has an ETag and answers a matching {@code If-None-Match} with 304, and carries
 * {@link PageHeaders} (a strict CSP: only the console's own script files run).
 */
public final class ConsoleRoutes {
  static final String BASE = "/console";
  private static final String ASSETS = "assets/";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final String REVALIDATE = "no-cache";

  private final ConsoleAssets assets;
  private final Asset index;

  public ConsoleRoutes() {
    this(ConsoleAssets.load());
  }

  ConsoleRoutes(ConsoleAssets assets) {
    this.assets = assets;
    Asset raw = assets.get("index.html")
        .orElseThrow(() -> new IllegalStateException("public/console/index.html is missing"));
    String html = new String(raw.bytes(), StandardCharsets.UTF_8)
        .replace("{{assets}}", BASE + "/" + ASSETS + assets.version());
    this.index = new Asset(raw.path(), html.getBytes(StandardCharsets.UTF_8), raw.contentType(),
        "\"" + assets.version() + "-" + raw.etag().replace("\"", "") + "\"");
  }

  public void register(RoutesConfig r) {
    r.get("/", ctx -> ctx.redirect(BASE, HttpStatus.FOUND));
    r.get(BASE, this::serveIndex);
    r.get(BASE + "/<path>", ctx -> serve(ctx, ctx.pathParam("path")));
  }

  private void serve(Context ctx, String path) {
    if (path.isEmpty() || path.equals("index.html")) {
      serveIndex(ctx);
      return;
    }
    if (path.startsWith(ASSETS)) {
      int slash = path.indexOf('/', ASSETS.length());
      if (slash > 0) {
        String version = path.substring(ASSETS.length(), slash);
        Optional<Asset> a = assets.get(path.substring(slash + 1)).filter(f -> !f.path().equals("index.html"));
        if (a.isPresent()) {
          write(ctx, a.get(), version.equals(assets.version()) ? IMMUTABLE : REVALIDATE);
          return;
        }
      }
    }
    Optional<Asset> file = assets.get(path);
    if (file.isPresent()) {
      write(ctx, file.get(), REVALIDATE);
    } else if (looksLikeFile(path)) {
      ErrorHandlers.write(ctx, 404, "not_found", "the console has no file " + BASE + "/" + path);
      ctx.header("Cache-Control", REVALIDATE);
    } else {
      serveIndex(ctx);
    }
  }

  private void serveIndex(Context ctx) {
    write(ctx, index, REVALIDATE);
  }

  /** A last segment with an extension names a file; anything else is a page of the console's client-side router. */
  static boolean looksLikeFile(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.lastIndexOf('.') > 0;
  }

  private static void write(Context ctx, Asset a, String cacheControl) {
    PageHeaders.apply(ctx, PageHeaders.CONSOLE);
    ctx.header("Cache-Control", cacheControl);
    ctx.header("ETag", a.etag());
    String match = ctx.header("If-None-Match");
    if (match != null && (match.contains(a.etag()) || match.trim().equals("*"))) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType(a.contentType()).result(a.bytes());
  }
}
