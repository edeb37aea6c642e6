package dev.wabridge.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shields bare URLs from the Markdown parser, so that {@code https://x.dev/__init__.py} is not read as emphasis:
 * {@link #protect} swaps each URL for an opaque token of private-use characters (which CommonMark treats like
 * letters) and {@link #restore} puts the URLs back. Autolinks ({@code <https://…>}) are left to the parser. Text
 * that already contains the token characters is left alone.
 */
final class UrlGuard {
  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';
  private static final Pattern URL = Pattern.compile("(?i)(?<![<\\w])https?://[^\\s<>\"`|\\]]+");
  private static final Pattern TOKEN = Pattern.compile(OPEN + "([0-9]+)" + CLOSE);
  private static final Pattern ESCAPE = Pattern.compile("\\\\(\\p{Punct})");
  private static final String TRAILING = ".,;:!?*_~'\"";

  private final String text;
  private final List<String> urls;

  private UrlGuard(String text, List<String> urls) {
    this.text = text;
    this.urls = urls;
  }

  static UrlGuard protect(String markdown) {
    if (markdown.indexOf(OPEN) >= 0 || markdown.indexOf(CLOSE) >= 0) {
      return new UrlGuard(markdown, List.of());
    }
    List<String> urls = new ArrayList<>();
    StringBuilder out = new StringBuilder(markdown.length());
    Matcher m = URL.matcher(markdown);
    int last = 0;
    while (m.find()) {
      String url = trimTrailing(m.group());
      if (url.length() <= url.indexOf("://") + 3) {
        continue;
      }
      int index = urls.indexOf(url);
      if (index < 0) {
        index = urls.size();
        urls.add(url);
      }
      out.append(markdown, last, m.start()).append(OPEN).append(index).append(CLOSE);
      last = m.start() + url.length();
    }
    out.append(markdown, last, markdown.length());
    return new UrlGuard(out.toString(), urls);
  }

  /** The Markdown with every guarded URL replaced by its token. */
  String text() {
    return text;
  }

  /** {@code rendered} with the tokens turned back into their URLs (Markdown backslash escapes removed). */
  String restore(String rendered) {
    if (urls.isEmpty()) {
      return rendered;
    }
    Matcher m = TOKEN.matcher(rendered);
    StringBuilder out = new StringBuilder(rendered.length());
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      String url = index < urls.size() ? ESCAPE.matcher(urls.get(index)).replaceAll("$1") : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(url));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Drops trailing punctuation that ends the sentence rather than the URL, and unbalanced closing parentheses. */
  private static String trimTrailing(String url) {
    int end = url.length();
    while (end > 0) {
      char c = url.charAt(end - 1);
      if (TRAILING.indexOf(c) >= 0 || c == ')' && count(url, end, '(') < count(url, end, ')')) {
        end--;
      } else {
        break;
      }
    }
    return url.substring(0, end);
  }

  private static int count(String s, int end, char c) {
    int n = 0;
    for (int i = 0; i < end; i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
