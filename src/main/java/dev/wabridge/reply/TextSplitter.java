package dev.wabridge.reply;

import dev.wabridge.reply.WhatsAppMarkup.Span;
import dev.wabridge.reply.WhatsAppMarkup.Style;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a message into parts that each fit WhatsApp's length limit (4096 for a text body, 1024 for a caption),
 * counted in UTF-16 units ({@link String#length()}).
 *
 * <p>Guarantees, for a limit of at least 2:
 * <ul>
 *   <li>blank or {@code null} text gives no parts; text within the limit is returned as is, as the only part;</li>
 *   <li>every part is at most {@code limit} long, non-blank, stripped of edge whitespace, and never starts or ends
 *       between the two halves of a surrogate pair (nor, where avoidable, inside an emoji or other grapheme);</li>
 *   <li>only whitespace at the cuts is dropped: the parts' non-whitespace characters, minus the fences added below,
 *       are exactly the input's, in order;</li>
 *   <li>a cut goes at the last boundary that fits, preferring a blank line, then a line break, then a sentence end
 *       ({@code .}, {@code !} or {@code ?} before whitespace), then any whitespace; a word longer than the limit is
 *       cut inside;</li>
 *   <li>a {@code *bold*}, {@code _italic_}, {@code ~strike~} or {@code `code`} span as WhatsApp reads it
 *       ({@link WhatsAppMarkup}) that fits in a part is never cut;</li>
 *   <li>a {@code ```} code block (a pair of runs of three or more backticks) that fits in a part is never cut; a
 *       longer one is cut at line ends (inside a line only if the line itself is too long), each piece closed
 *       with {@code ```} and the next reopened with {@code ```}, so every piece still renders as monospace; the
 *       added fences count toward the limit. Below a limit of 16 there is no room for that and a long block is
 *       split like ordinary text;</li>
 *   <li>a URL ({@code http://} or {@code https://} up to the next whitespace) that fits in a part is never
 *       cut.</li>
 * </ul>
 */
public final class TextSplitter {
  static final int MIN_FENCED_LIMIT = 16;
  private static final String FENCE = WhatsAppMarkup.FENCE;
  private static final Pattern URL = Pattern.compile("(?i)https?://\\S+");
  private static final int GRAPHEME_LOOKAHEAD = 32;
  private static final int HARD = 0;
  private static final int WORD = 1;
  private static final int SENTENCE = 2;
  private static final int LINE = 3;
  private static final int PARAGRAPH = 4;

  private final String text;
  private final int n;
  private final int limit;
  /** locked[i]: no cut may go just before text[i]. */
  private final boolean[] locked;
  /** fenced[i]: a cut just before text[i] is inside a long code block, so it closes and reopens the fence. */
  private final boolean[] fenced;
  /** lastEnd[i]: one past the last non-whitespace character before i (0 if none). */
  private final int[] lastEnd;
  /** nextNonWs[i]: the first non-whitespace index at or after i (n if none). */
  private final int[] nextNonWs;

  private TextSplitter(String text, int limit) {
    this.text = text;
    this.n = text.length();
    this.limit = limit;
    locked = new boolean[n + 1];
    fenced = new boolean[n + 1];
    lastEnd = new int[n + 1];
    nextNonWs = new int[n + 1];
    for (int i = 0; i < n; i++) {
      lastEnd[i + 1] = Character.isWhitespace(text.charAt(i)) ? lastEnd[i] : i + 1;
    }
    nextNonWs[n] = n;
    for (int i = n - 1; i >= 0; i--) {
      nextNonWs[i] = Character.isWhitespace(text.charAt(i)) ? nextNonWs[i + 1] : i;
    }
    for (int i = 1; i < n; i++) {
      locked[i] = Character.isHighSurrogate(text.charAt(i - 1)) && Character.isLowSurrogate(text.charAt(i));
    }
    List<Span> spans = WhatsAppMarkup.spans(text);
    int from = 0;
    for (Span block : spans) {
      if (block.style() == Style.MONOSPACE) {
        lockUrls(from, block.start());
        lockCode(block);
        from = block.end();
      }
    }
    lockUrls(from, n);
    for (Span span : spans) {
      if (span.style() != Style.MONOSPACE && span.end() - span.start() <= limit) {
        lock(span.start(), span.end());
      }
    }
  }

  /**
   * The parts of {@code text}, each at most {@code limit} UTF-16 units; see the class comment.
   *
   * @throws IllegalArgumentException if {@code limit} is below 2 (a surrogate pair could not fit)
   */
  public static List<String> split(String text, int limit) {
    if (limit < 2) {
      throw new IllegalArgumentException("limit must be at least 2, was " + limit);
    }
    if (text == null || text.isBlank()) {
      return List.of();
    }
    if (text.length() <= limit) {
      return List.of(text);
    }
    return new TextSplitter(text, limit).parts();
  }

  private List<String> parts() {
    List<String> parts = new ArrayList<>();
    int pos = nextNonWs[0];
    String prefix = "";
    while (lastEnd[n] > pos) {
      if (prefix.length() + lastEnd[n] - pos <= limit) {
        parts.add(piece(prefix, pos, n, ""));
        break;
      }
      int cut = bestCut(pos, prefix.length());
      if (cut < 0) {
        if (nextNonWs[pos] > pos) {
          pos = nextNonWs[pos];
          continue;
        }
        cut = forcedCut(pos, prefix.length());
      }
      boolean atNewline = text.charAt(cut) == '\n';
      parts.add(piece(prefix, pos, cut, fenced[cut] ? (atNewline ? "\n" : "") + FENCE : ""));
      if (!fenced[cut]) {
        prefix = "";
        pos = nextNonWs[cut];
      } else if (atNewline) {
        prefix = FENCE + "\n";
        pos = cut + 1;
      } else {
        prefix = FENCE;
        pos = cut;
        while (text.charAt(pos) == ' ' || text.charAt(pos) == '\t') {
          pos++;
        }
      }
    }
    return parts;
  }

  private String piece(String prefix, int from, int to, String suffix) {
    String body = text.substring(from, to);
    return prefix + (prefix.isEmpty() ? body.strip() : body.stripTrailing()) + suffix;
  }

  /** The latest cut of the most preferred kind that fits, or -1 if none does. */
  private int bestCut(int pos, int prefixLength) {
    int best = -1;
    int bestRank = -1;
    for (int i = pos + 1; i < n && prefixLength + lastEnd[i] - pos <= limit; i++) {
      if (fits(i, pos, prefixLength)) {
        int rank = rank(i);
        if (rank >= bestRank) {
          best = i;
          bestRank = rank;
        }
      }
    }
    return bestRank == HARD ? graphemeBoundary(pos, prefixLength, best) : best;
  }

  private boolean fits(int i, int pos, int prefixLength) {
    if (locked[i] || nextNonWs[pos] >= i) {
      return false;
    }
    int suffix = fenced[i] ? (text.charAt(i) == '\n' ? 1 : 0) + FENCE.length() : 0;
    return prefixLength + lastEnd[i] - pos + suffix <= limit;
  }

  private int rank(int i) {
    char c = text.charAt(i);
    if (c == '\n') {
      for (int j = i + 1; j < n && Character.isWhitespace(text.charAt(j)); j++) {
        if (text.charAt(j) == '\n') {
          return PARAGRAPH;
        }
      }
      return LINE;
    }
    if (Character.isWhitespace(c)) {
      return ".!?".indexOf(text.charAt(i - 1)) >= 0 ? SENTENCE : WORD;
    }
    return HARD;
  }

  /** Moves a cut inside a word back to a grapheme boundary (not inside an emoji sequence) when there is one. */
  private int graphemeBoundary(int pos, int prefixLength, int cut) {
    BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
    graphemes.setText(text.substring(pos, Math.min(n, cut + GRAPHEME_LOOKAHEAD)));
    if (graphemes.isBoundary(cut - pos)) {
      return cut;
    }
    for (int b = graphemes.preceding(cut - pos); b != BreakIterator.DONE && b > 0; b = graphemes.preceding(b)) {
      if (fits(pos + b, pos, prefixLength)) {
        return pos + b;
      }
    }
    return cut;
  }

  /** Last resort when no allowed cut fits (only in pathological input): a plain cut that fits, whole code points. */
  private int forcedCut(int pos, int prefixLength) {
    int cut = Math.min(n - 1, pos + Math.max(1, limit - prefixLength - FENCE.length() - 1));
    if (Character.isLowSurrogate(text.charAt(cut)) && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut = cut - 1 > pos ? cut - 1 : cut + 1;
    }
    return cut;
  }

  private void lockCode(Span block) {
    int start = block.start();
    int end = block.end();
    if (end - start <= limit) {
      lock(start, end);
      return;
    }
    int first = nextNonWs[block.contentStart()];
    int last = lastEnd[block.contentEnd()] - 1;
    if (limit < MIN_FENCED_LIMIT || first >= block.contentEnd()) {
      return;
    }
    for (int i = start + 1; i < end; i++) {
      if (i > first && i <= last) {
        fenced[i] = true;
      } else {
        locked[i] = true;
      }
    }
  }

  private void lockUrls(int from, int to) {
    Matcher m = URL.matcher(text).region(from, to);
    while (m.find()) {
      if (m.end() - m.start() <= limit) {
        lock(m.start(), m.end());
      }
    }
  }

  private void lock(int start, int end) {
    for (int i = start + 1; i < end; i++) {
      locked[i] = true;
    }
  }
}
