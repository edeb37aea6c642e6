package dev.wabridge.support;

import java.net.URI;

/** The one test of "an absolute http:// or https:// URL" that agents, media and the sandbox all apply. */
public final class HttpUrls {
  private HttpUrls() {
  }

  public static boolean isHttp(String url) {
    if (url == null) {
      return false;
    }
    try {
      URI u = URI.create(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
