package dev.wabridge.web;

import io.javalin.http.Context;

/**
 * The headers of wabridge's own pages (the console and the sandbox chat): a Content-Security-Policy that runs only
 * wabridge's own script files (no inline script, no inline event handlers, no {@code style} attributes, no plugins,
 * no {@code <base>}, no framing, forms and fetches to this origin only), plus {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy: no-referrer} and {@code nosniff}. A script injected into a page's markup does not run.
 */
public final class PageHeaders {
  private static final String COMMON = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-src 'none'; frame-ancestors 'none'";
  /**
   * The console shows customers' media from the media URL and agents' media from the links the agents gave (any
   * http(s) origin): pictures and players only, which run no script.
   */
  static final String CONSOLE = COMMON + "; img-src 'self' data: blob: https: http:; media-src 'self' blob: https: "
      + "http:";
  /** The sandbox shows only its own files ({@code /sandbox/files}, {@code /sandbox/demo}) and photos being sent. */
  public static final String SANDBOX = COMMON + "; img-src 'self' data: blob:; media-src 'self' blob:";

  private PageHeaders() {
  }

  public static void apply(Context ctx, String csp) {
    ctx.header("Content-Security-Policy", csp);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Content-Type-Options", "nosniff");
  }
}
