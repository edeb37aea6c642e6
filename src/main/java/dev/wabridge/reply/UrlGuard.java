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
 *
 * <p>It shields WhatsApp's multi-line monospace the same way ({@code ```SELECT *\nFROM t```}), which the
 * parser would read as a fenced code block whose first line is a language tag and whose end never comes.
 */
final class UrlGuard {
  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';
  private static final Pattern URL = Pattern.compile("(?i)(?<![<\\w])https?://[^\\s<>\"`|\\]]+");
  private static final Pattern TOKEN = Pattern.compile(OPEN + "([0-9]+)" + CLOSE);
  private static final Pattern ESCAPE = Pattern.compile("\\\\(\\p{Punct})");
  private static final String TRAILING = ".,;:!?*_~'\"";
  private static final Pattern LANGUAGE_TAG = Pattern.compile("[\\w+#.-]*");

  private final String text;
  /** What each token stands for, as it is restored. */
  private final List<String> kept;

  private UrlGuard(String text, List<String> kept) {
    this.text = text;
    this.kept = kept;
  }

  static UrlGuard protect(String markdown) {
    if (markdown.indexOf(OPEN) >= 0 || markdown.indexOf(CLOSE) >= 0) {
      return new UrlGuard(markdown, List.of());
    }
    List<String> kept = new ArrayList<>();
    String text = shieldMonospace(markdown, kept);
    int firstUrl = kept.size();
    List<String> urls = new ArrayList<>();
    StringBuilder out = new StringBuilder(text.length());
    Matcher m = URL.matcher(text);
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
        kept.add(ESCAPE.matcher(url).replaceAll("$1"));
      }
      out.append(text, last, m.start()).append(OPEN).append(firstUrl + index).append(CLOSE);
      last = m.start() + url.length();
    }
    out.append(text, last, text.length());
    return new UrlGuard(out.toString(), kept);
  }

  /**
   * Swaps for a token each pair of fence runs ({@code ```}) that spans lines and that CommonMark would misread:
   * it opens a line but its closing run does not stand on a line of its own, or its first line is not a
   * language tag (it has a space, say). A Markdown fence ({@code ```lang}, code, {@code ```} alone) is left alone.
   */
  private static String shieldMonospace(String markdown, List<String> kept) {
    if (markdown.indexOf(WhatsAppMarkup.FENCE) < 0) {
      return markdown;
    }
    StringBuilder out = new StringBuilder(markdown.length());
    int last = 0;
    for (WhatsAppMarkup.Span block : WhatsAppMarkup.spans(markdown)) {
      if (block.style() != WhatsAppMarkup.Style.MONOSPACE || !misreadAsFence(markdown, block)) {
        continue;
      }
      kept.add(markdown.substring(block.start(), block.end()));
      out.append(markdown, last, block.start()).append(OPEN).append(kept.size() - 1).append(CLOSE);
      last = block.end();
    }
    return out.append(markdown, last, markdown.length()).toString();
  }

  private static boolean misreadAsFence(String s, WhatsAppMarkup.Span block) {
    int firstLineEnd = s.indexOf('\n', block.start());
    if (firstLineEnd < 0 || firstLineEnd >= block.contentEnd() || !startsLine(s, block.start())) {
      return false;
    }
    String info = s.substring(block.contentStart(), firstLineEnd).strip();
    return !startsLine(s, block.contentEnd()) || !LANGUAGE_TAG.matcher(info).matches();
  }

  /** Only up to three spaces between the line start and {@code i}, as a fence needs. */
  private static boolean startsLine(String s, int i) {
    int spaces = 0;
    while (i > 0 && s.charAt(i - 1) == ' ' && spaces < 4) {
      i--;
      spaces++;
    }
    return spaces < 4 && (i == 0 || s.charAt(i - 1) == '\n');
  }

  /** The Markdown with every guarded URL replaced by its token. */
  String text() {
    return text;
  }

  /**
   * {@code rendered} with the tokens turned back into what they stand for: URLs with Markdown backslash escapes
   * removed, monospace blocks as written.
   */
  String restore(String rendered) {
    if (kept.isEmpty()) {
      return rendered;
    }
    Matcher m = TOKEN.matcher(rendered);
    StringBuilder out = new StringBuilder(rendered.length());
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      String original = index < kept.size() ? kept.get(index) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(original));
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
