package dev.wabridge.reply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where WhatsApp sees formatting in a text, by its rules as far as they are known (they are not published; see
 * ../shared/reference/whatsapp-cloud-api.md section 7): {@code ```monospace```} between two runs of three or more
 * backticks (across lines too); {@code `code`} within a line; and {@code *bold*}, {@code _italic_} and
 * {@code ~strike~} within a line, where the opening marker follows the line start, a space or punctuation and
 * comes before a non-space, and the closing marker follows a non-space and comes before the line end, a space or
 * punctuation. Nothing is formatted inside code or a URL, and a doubled marker ({@code **}) formats nothing.
 *
 * <p>The splitter keeps these spans whole; the tests read formatted output through it, as a phone would.
 */
final class WhatsAppMarkup {
  static final String FENCE = "```";
  private static final Pattern URL = Pattern.compile("(?i)https?://\\S+");
  private static final String MARKERS = "*_~";

  enum Style {
    BOLD, ITALIC, STRIKE, CODE, MONOSPACE;

    static Style of(char marker) {
      return switch (marker) {
        case '*' -> BOLD;
        case '_' -> ITALIC;
        default -> STRIKE;
      };
    }
  }

  /**
   * One formatted stretch: {@code text[start, end)}, markers included; the markers are {@code open} characters
   * at the start and {@code close} at the end.
   */
  record Span(Style style, int start, int end, int open, int close) {
    int contentStart() {
      return start + open;
    }

    int contentEnd() {
      return end - close;
    }
  }

  private final String text;
  /** opaque[i]: text[i] is inside code or a URL, so it is no marker. */
  private final boolean[] opaque;
  private final List<Span> spans = new ArrayList<>();

  private WhatsAppMarkup(String text) {
    this.text = text;
    this.opaque = new boolean[text.length()];
  }

  /** The formatted spans of {@code text}, ordered by start. */
  static List<Span> spans(String text) {
    WhatsAppMarkup m = new WhatsAppMarkup(text);
    m.monospace();
    m.inlineCode();
    m.urls();
    for (int lineStart = 0; lineStart <= text.length(); ) {
      int lineEnd = text.indexOf('\n', lineStart);
      lineEnd = lineEnd < 0 ? text.length() : lineEnd;
      for (char marker : MARKERS.toCharArray()) {
        m.markers(marker, lineStart, lineEnd);
      }
      lineStart = lineEnd + 1;
    }
    m.spans.sort(Comparator.comparingInt(Span::start));
    return m.spans;
  }

  /** Runs of three or more backticks, paired in order. */
  private void monospace() {
    int open = -1;
    int openLength = 0;
    for (int i = 0; i < text.length(); ) {
      int j = i;
      while (j < text.length() && text.charAt(j) == '`') {
        j++;
      }
      if (j - i >= FENCE.length()) {
        if (open < 0) {
          open = i;
          openLength = j - i;
        } else {
          add(new Span(Style.MONOSPACE, open, j, openLength, j - i));
          open = -1;
        }
      }
      i = Math.max(j, i + 1);
    }
  }

  /** A single backtick, a non-space, and a single backtick after a non-space, on one line. */
  private void inlineCode() {
    int[] closer = new int[text.length() + 1];
    closer[text.length()] = -1;
    for (int j = text.length() - 1; j >= 0; j--) {
      boolean closes = j > 0 && isLoneBacktick(j) && !Character.isWhitespace(text.charAt(j - 1));
      closer[j] = text.charAt(j) == '\n' ? -1 : closes ? j : closer[j + 1];
    }
    int[] nextOpaque = new int[text.length() + 1];
    nextOpaque[text.length()] = text.length();
    for (int i = text.length() - 1; i >= 0; i--) {
      nextOpaque[i] = opaque[i] ? i : nextOpaque[i + 1];
    }
    for (int i = 0; i + 2 < text.length(); i++) {
      int j = closer[i + 2];
      if (j > 0 && isLoneBacktick(i) && !Character.isWhitespace(text.charAt(i + 1)) && nextOpaque[i] > j) {
        add(new Span(Style.CODE, i, j + 1, 1, 1));
        i = j;
      }
    }
  }

  private boolean isLoneBacktick(int i) {
    return text.charAt(i) == '`' && !opaque[i] && (i == 0 || text.charAt(i - 1) != '`')
        && (i + 1 >= text.length() || text.charAt(i + 1) != '`');
  }

  private void urls() {
    Matcher m = URL.matcher(text);
    while (m.find()) {
      for (int i = m.start(); i < m.end(); i++) {
        opaque[i] = true;
      }
    }
  }

  private void markers(char marker, int from, int to) {
    int[] closer = new int[to - from + 1];
    closer[to - from] = -1;
    for (int j = to - 1; j >= from; j--) {
      closer[j - from] = j > from && closes(marker, j, to) ? j : closer[j + 1 - from];
    }
    for (int i = from; i + 2 < to; i++) {
      int j = closer[i + 2 - from];
      if (j > 0 && opens(marker, i, to)) {
        spans.add(new Span(Style.of(marker), i, j + 1, 1, 1));
        i = j;
      }
    }
  }

  private boolean opens(char marker, int i, int lineEnd) {
    return is(marker, i) && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)) && text.charAt(i - 1) != marker)
        && i + 1 < lineEnd && !Character.isWhitespace(text.charAt(i + 1)) && text.charAt(i + 1) != marker;
  }

  private boolean closes(char marker, int j, int lineEnd) {
    return is(marker, j) && !Character.isWhitespace(text.charAt(j - 1)) && text.charAt(j - 1) != marker
        && (j + 1 >= lineEnd || !Character.isLetterOrDigit(text.charAt(j + 1)) && text.charAt(j + 1) != marker);
  }

  private boolean is(char marker, int i) {
    return text.charAt(i) == marker && !opaque[i];
  }

  private void add(Span span) {
    spans.add(span);
    for (int i = span.start(); i < span.end(); i++) {
      opaque[i] = true;
    }
  }
}
