package dev.wabridge.reply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where WhatsApp sees formatting in a text, by its rules as far as they are known (they are not published; see
 * Meta's text formatting guide): {@code ```monospace```} between two runs of three or more
 * backticks (across lines too); {@code `code`} within a line; and {@code *bold*}, {@code _italic_} and
 * {@code ~strike~} within a line, where the opening marker follows the line start, a space or punctuation and
 * comes before a non-space, and the closing marker follows a non-space and comes before the line end, a space or
 * punctuation. Nothing is formatted inside code or a URL, and a doubled marker ({@code **}) formats nothing.
 *
 * <p>The splitter keeps these spans whole; the tests read formatted output through it, as a phone would.
 */
final class WhatsAppMarkup {
  static final String FENCE = "```";
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

  /** The formatted spans of {@code text}, ordered by start. Linear in the text's length. */
  static List<Span> spans(String text) {
    WhatsAppMarkup m = new WhatsAppMarkup(text);
    m.monospace();
    m.inlineCode();
    m.urls();
    for (char marker : MARKERS.toCharArray()) {
      m.markers(marker);
    }
    m.spans.sort(Comparator.comparingInt(Span::start));
    return m.spans;
  }

  /** Runs of three or more backticks, paired in order. */
  private void monospace() {
    int open = -1;
    int openLength = 0;
    for (int i = text.indexOf(FENCE); i >= 0; i = text.indexOf(FENCE, i)) {
      int j = i;
      while (j < text.length() && text.charAt(j) == '`') {
        j++;
      }
      if (open < 0) {
        open = i;
        openLength = j - i;
      } else {
        add(new Span(Style.MONOSPACE, open, j, openLength, j - i));
        open = -1;
      }
      i = j;
    }
  }

  /** A single backtick, a non-space, and a single backtick after a non-space, on one line, no code between. */
  private void inlineCode() {
    List<Integer> closers = new ArrayList<>();
    for (int j = text.indexOf('`'); j >= 0; j = text.indexOf('`', j + 1)) {
      if (j > 0 && isLoneBacktick(j) && !Character.isWhitespace(text.charAt(j - 1))) {
        closers.add(j);
      }
    }
    if (closers.isEmpty()) {
      return;
    }
    int[] nextOpaque = new int[text.length() + 1];
    nextOpaque[text.length()] = text.length();
    for (int k = text.length() - 1; k >= 0; k--) {
      nextOpaque[k] = opaque[k] ? k : nextOpaque[k + 1];
    }
    Lines lines = new Lines();
    int next = 0;
    for (int i = text.indexOf('`'); i >= 0 && next < closers.size(); i = text.indexOf('`', i + 1)) {
      while (next < closers.size() && closers.get(next) < i + 2) {
        next++;
      }
      if (next < closers.size() && isLoneBacktick(i) && !Character.isWhitespace(text.charAt(i + 1))
          && closers.get(next) < lines.endOf(i) && nextOpaque[i] > closers.get(next)) {
        int j = closers.get(next);
        add(new Span(Style.CODE, i, j + 1, 1, 1));
        i = j;
      }
    }
  }

  /** Where the line of a position ends, for positions asked in increasing order (so linear in all). */
  private final class Lines {
    private int end = -1;

    int endOf(int i) {
      if (i > end) {
        end = text.indexOf('\n', i);
        end = end < 0 ? text.length() : end;
      }
      return end;
    }
  }

  private boolean isLoneBacktick(int i) {
    return text.charAt(i) == '`' && !opaque[i] && (i == 0 || text.charAt(i - 1) != '`')
        && (i + 1 >= text.length() || text.charAt(i + 1) != '`');
  }

  /** {@code http://} or {@code https://} (any case) up to the next whitespace. */
  private void urls() {
    for (int colon = text.indexOf("://"); colon >= 0; colon = text.indexOf("://", colon + 3)) {
      int start = colon >= 5 && text.regionMatches(true, colon - 5, "https", 0, 5) ? colon - 5
          : colon >= 4 && text.regionMatches(true, colon - 4, "http", 0, 4) ? colon - 4 : -1;
      int end = colon + 3;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      if (start >= 0 && end > colon + 3) {
        java.util.Arrays.fill(opaque, start, end, true);
        colon = end - 3;
      }
    }
  }

  /** Spans of one marker: each opener pairs with the first closer after it on its line. */
  private void markers(char marker) {
    List<Integer> closers = new ArrayList<>();
    for (int j = text.indexOf(marker, 1); j >= 0; j = text.indexOf(marker, j + 1)) {
      if (closes(marker, j)) {
        closers.add(j);
      }
    }
    Lines lines = new Lines();
    int next = 0;
    for (int i = text.indexOf(marker); i >= 0 && next < closers.size(); i = text.indexOf(marker, i + 1)) {
      while (next < closers.size() && closers.get(next) < i + 2) {
        next++;
      }
      if (next < closers.size() && opens(marker, i) && closers.get(next) < lines.endOf(i)) {
        int j = closers.get(next);
        spans.add(new Span(Style.of(marker), i, j + 1, 1, 1));
        i = j;
      }
    }
  }

  private boolean opens(char marker, int i) {
    return is(marker, i) && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)) && text.charAt(i - 1) != marker)
        && i + 1 < text.length() && !Character.isWhitespace(text.charAt(i + 1)) && text.charAt(i + 1) != marker;
  }

  private boolean closes(char marker, int j) {
    return is(marker, j) && !Character.isWhitespace(text.charAt(j - 1)) && text.charAt(j - 1) != marker
        && (j + 1 >= text.length() || !Character.isLetterOrDigit(text.charAt(j + 1)) && text.charAt(j + 1) != marker);
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
