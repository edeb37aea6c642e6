package dev.wabridge.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.reply.LlmReplies.Reply;
import dev.wabridge.reply.PhoneReading.Glyph;
import dev.wabridge.reply.WhatsAppMarkup.Span;
import dev.wabridge.reply.WhatsAppMarkup.Style;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the three formats over replies as language models write them ({@link LlmReplies}) and over
 * generated ones whose intended styles are known: no visible character is lost, no marker changes meaning,
 * identifiers, URLs and math come through as typed, {@code whatsapp} is the identity, the output is stable, and
 * splitting keeps formatted spans and code whole. The output is read as a phone would ({@link PhoneReading}).
 */
class FormatPropertiesTest {
  private static final List<TextFormat> CONVERTING = List.of(TextFormat.AUTO, TextFormat.MARKDOWN);
  /** Characters that are markup in one format or the other, or that a documented conversion adds or drops. */
  private static final String MARKUP = "*_~`#>|-+[]()<>\\=";
  private static final Pattern FENCE_INFO = Pattern.compile("(?m)^(\\s*```)[\\w+#.-]+\\s*$");
  private static final Pattern TABLE_DELIMITER_ROW = Pattern.compile("(?m)^\\|?(\\s*:?-{3,}:?\\s*\\|?)+\\s*$");
  /** A word with an underscore or asterisk between letters or digits: an identifier, a URL, some math. */
  private static final Pattern TECHNICAL = Pattern.compile(
      "[\\p{L}\\p{N}$./:?=&#%_*-]*[\\p{L}\\p{N}][_*][\\p{L}\\p{N}][\\p{L}\\p{N}$./:?=&#%_*-]*");
  private static final Pattern URL = Pattern.compile("https?://\\S+");

  static Stream<Reply> replies() {
    return LlmReplies.ALL.stream();
  }

  @Test
  void theCorpusHasThirtyRealisticRepliesOfEachKind() {
    assertThat(LlmReplies.ALL).hasSizeGreaterThanOrEqualTo(30);
    assertThat(LlmReplies.ALL).extracting(Reply::style).contains(LlmReplies.Style.values());
  }

  @ParameterizedTest
  @MethodSource("replies")
  void noVisibleCharacterIsLost(Reply r) {
    String expected = visible(documentedConversions(r.text()));
    for (TextFormat format : CONVERTING) {
      assertThat(visible(WhatsAppFormatter.format(r.text(), format))).as("%s in %s", r, format).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @MethodSource("replies")
  void identifiersUrlsAndMathComeThroughAsTyped(Reply r) {
    List<String> technical = new ArrayList<>();
    Matcher m = TECHNICAL.matcher(r.text());
    while (m.find()) {
      technical.add(m.group().replaceAll("^[*_~]+|[*_~.,:;!?)]+$", ""));
    }
    for (TextFormat format : CONVERTING) {
      String out = WhatsAppFormatter.format(r.text(), format);
      assertThat(technical).as("%s in %s", r, format).allSatisfy(t -> assertThat(out).contains(t));
    }
  }

  @ParameterizedTest
  @MethodSource("replies")
  void whatsappFormatIsTheTextAsWritten(Reply r) {
    assertThat(WhatsAppFormatter.format(r.text(), TextFormat.WHATSAPP)).isEqualTo(r.text());
    assertThat(new ReplyParser().writtenIn(TextFormat.WHATSAPP).textDrafts(r.text()))
        .extracting(d -> ((Draft.Outgoing) d).text()).containsExactly(r.text());
  }

  @ParameterizedTest
  @MethodSource("replies")
  void formattingTheOutputAgainChangesNothing(Reply r) {
    for (TextFormat format : CONVERTING) {
      String out = WhatsAppFormatter.format(r.text(), format);
      assertThat(WhatsAppFormatter.format(out, TextFormat.AUTO)).as("%s in %s, again in auto", r, format)
          .isEqualTo(out);
      assertThat(WhatsAppFormatter.format(out, TextFormat.WHATSAPP)).isEqualTo(out);
    }
  }

  @ParameterizedTest
  @MethodSource("replies")
  void noMarkerChangesMeaning(Reply r) {
    String text = documentedConversions(r.text());
    boolean[] code = codeAndUrls(text);
    for (TextFormat format : CONVERTING) {
      List<Glyph> shown = PhoneReading.lettersAndDigits(WhatsAppFormatter.format(r.text(), format));
      for (Intended span : intendedSpans(text, code, format)) {
        int from = lettersAndDigitsBefore(text, span.start());
        List<Glyph> glyphs = shown.subList(from, from + span.letters().length());
        assertThat(PhoneReading.chars(glyphs)).as("%s in %s", r, format).isEqualTo(span.letters());
        assertThat(glyphs).as("%s in %s: '%s' is %s", r, format, span.letters(), span.style())
            .allSatisfy(g -> assertThat(g.styles()).contains(span.style()));
        if (span.style() == Style.BOLD) {
          assertThat(glyphs).as("%s: bold never turns italic", r)
              .allSatisfy(g -> assertThat(g.styles()).doesNotContain(Style.ITALIC));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("replies")
  void splittingKeepsFormattedSpansAndCodeWhole(Reply r) {
    for (TextFormat format : TextFormat.values()) {
      String out = WhatsAppFormatter.format(r.text(), format);
      for (int limit : new int[] {40, 80, 160}) {
        List<String> parts = TextSplitter.split(out, limit);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(limit));
        for (Span span : WhatsAppMarkup.spans(out)) {
          String whole = out.substring(span.start(), span.end());
          if (whole.length() <= limit / 2) {
            assertThat(parts).as("%s in %s at %d: %s", r, format, limit, whole).anySatisfy(p -> assertThat(p)
                .contains(whole));
          }
        }
      }
    }
  }

  /**
   * Generated replies whose every word has a known style, written the WhatsApp way and the Markdown way: read on
   * a phone, each word shows in the style its writer meant (the documented exception: in auto, Markdown's
   * {@code *word*} is bold).
   */
  @Test
  void generatedRepliesShowEveryWordInTheStyleItWasMeant() {
    Random random = new Random(20260412L);
    for (int run = 0; run < 3000; run++) {
      Generated g = Generated.next(random);
      for (TextFormat format : CONVERTING) {
        String out = WhatsAppFormatter.format(g.text(), format);
        List<Glyph> shown = PhoneReading.read(out);
        assertThat(shown).as("%s in %s →\n%s", g.text(), format, out).isEqualTo(g.expected(format));
        assertThat(WhatsAppFormatter.format(out, TextFormat.AUTO)).as("stable: %s", g.text()).isEqualTo(out);
      }
      assertThat(WhatsAppFormatter.format(g.text(), TextFormat.WHATSAPP)).isEqualTo(g.text());
      if (!g.markdownWriter()) {
        // the phone's reading of the text as written is what its writer meant: the model and the generator agree
        assertThat(PhoneReading.read(g.text())).as("%s", g.text()).isEqualTo(g.asWritten());
      }
    }
  }

  // --- helpers ----------------------------------------------------------------------------------------------

  /** The input with what the conversion documents dropping taken out: code fences' language tags, table rules. */
  private static String documentedConversions(String text) {
    return TABLE_DELIMITER_ROW.matcher(FENCE_INFO.matcher(text).replaceAll("$1")).replaceAll("");
  }

  private static String visible(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().filter(c -> !Character.isWhitespace(c) && MARKUP.indexOf(c) < 0).forEach(c -> out.append((char) c));
    return out.toString();
  }

  private record Intended(int start, String letters, Style style) {
  }

  /** Simple spans with a clear meaning in the input: Markdown's and WhatsApp's bold, italic and strike. */
  private static List<Intended> intendedSpans(String text, boolean[] code, TextFormat format) {
    Style singleStar = format == TextFormat.AUTO ? Style.BOLD : Style.ITALIC;
    List<Intended> out = new ArrayList<>();
    find(text, code, "\\*\\*([^*\\n]+?)\\*\\*", Style.BOLD, out);
    find(text, code, "(?<![\\w_])__([^_\\n]+?)__(?![\\w_])", Style.BOLD, out);
    find(text, code, "(?<![*\\w])\\*(?![\\s*])([^*\\n]*?[^\\s*])\\*(?![*\\w])", singleStar, out);
    find(text, code, "(?<![_\\w])_(?![\\s_])([^_\\n]*?[^\\s_])_(?![_\\w])", Style.ITALIC, out);
    find(text, code, "~~?([^~\\n]+?)~~?", Style.STRIKE, out);
    return out;
  }

  private static void find(String text, boolean[] code, String regex, Style style, List<Intended> out) {
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      boolean inCode = false;
      for (int i = m.start(); i < m.end(); i++) {
        inCode |= code[i];
      }
      String letters = m.group(1).codePoints().filter(Character::isLetterOrDigit)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
      if (!inCode && !letters.isEmpty()) {
        out.add(new Intended(m.start(), letters, style));
      }
    }
  }

  private static boolean[] codeAndUrls(String text) {
    boolean[] code = new boolean[text.length()];
    for (Span s : WhatsAppMarkup.spans(text)) {
      if (s.style() == Style.CODE || s.style() == Style.MONOSPACE) {
        java.util.Arrays.fill(code, s.start(), s.end(), true);
      }
    }
    Matcher m = URL.matcher(text);
    while (m.find()) {
      java.util.Arrays.fill(code, m.start(), m.end(), true);
    }
    return code;
  }

  private static int lettersAndDigitsBefore(String text, int end) {
    int count = 0;
    for (int i = 0; i < end; i++) {
      if (Character.isLetterOrDigit(text.charAt(i))) {
        count++;
      }
    }
    return count;
  }

  /**
   * A reply built from words with known styles, on lines that may be bullets, numbered items, quotes or (for the
   * Markdown writer) headings, written either way. {@code expected} is what a phone shows.
   */
  record Generated(String text, boolean markdownWriter, List<Glyph> asWritten, List<Glyph> markdownRead,
                   List<Glyph> autoRead) {
    private static final String[] WORDS = {"order", "Friday", "São", "João", "R$199", "$5", "each", "12:30", "OK",
        "größe", "日本", "15%", "🎉", "👍🏽", "total", "Pix", "ticket", "v2", "x", "e-mail", "#48213", "(free)", "…"};
    private static final String[] TECHNICAL = {"snake_case_id", "2*3*4", "a*b", "x_1", "ORD_2024_88",
        "https://x.dev/a_b*c*/d_e", "http://y.io/__init__.py", "max_retry"};

    List<Glyph> expected(TextFormat format) {
      return format == TextFormat.AUTO ? autoRead : markdownRead;
    }

    static Generated next(Random random) {
      boolean markdown = random.nextBoolean();
      Builder b = new Builder(markdown);
      int lines = 1 + random.nextInt(6);
      for (int line = 0; line < lines; line++) {
        b.line(random);
      }
      return b.build();
    }

    private static final class Builder {
      private final boolean markdown;
      private final StringBuilder text = new StringBuilder();
      private final List<Glyph> asWritten = new ArrayList<>();
      private final List<Glyph> markdownRead = new ArrayList<>();
      private final List<Glyph> autoRead = new ArrayList<>();

      Builder(boolean markdown) {
        this.markdown = markdown;
      }

      Generated build() {
        return new Generated(text.toString(), markdown, asWritten, markdownRead, autoRead);
      }

      void line(Random random) {
        if (!text.isEmpty()) {
          text.append(random.nextInt(3) == 0 ? "\n\n" : "\n");
        }
        Set<Style> outer = EnumSet.noneOf(Style.class);
        boolean quote = false;
        switch (random.nextInt(markdown ? 6 : 5)) {
          case 0 -> plainPrefix(random.nextBoolean() ? "- " : "* ", "-");
          case 1 -> plainPrefix((1 + random.nextInt(9)) + ". ", null);
          case 2 -> {
            plainPrefix("> ", ">");
            quote = true;
          }
          case 5 -> {
            text.append("## ");
            outer = EnumSet.of(Style.BOLD);
          }
          default -> {
          }
        }
        int words = 1 + random.nextInt(6);
        for (int w = 0; w < words; w++) {
          if (w > 0) {
            text.append(' ');
          }
          piece(random, outer);
        }
        if (quote) {
          text.append("\n");
        }
      }

      /** A line prefix; {@code shown} is what the output shows of it (a bullet becomes "- "). */
      private void plainPrefix(String prefix, String shown) {
        text.append(prefix);
        for (char c : prefix.strip().toCharArray()) {
          asWritten.add(new Glyph(c, Set.of()));
        }
        for (char c : (shown != null ? shown : prefix.strip()).toCharArray()) {
          markdownRead.add(new Glyph(c, Set.of()));
          autoRead.add(new Glyph(c, Set.of()));
        }
      }

      private void piece(Random random, Set<Style> outer) {
        int kind = random.nextInt(10);
        if (kind < 4) {
          String word = random.nextInt(4) == 0 && outer.isEmpty() ? pick(random, TECHNICAL) : pick(random, WORDS);
          emit(word, outer, outer, outer);
          return;
        }
        String words = pick(random, WORDS) + (random.nextBoolean() ? " " + pick(random, WORDS) : "")
            + (random.nextInt(4) == 0 ? ":" : "");
        switch (kind) {
          case 4 -> bold(random, words, outer);
          case 5 -> italic(random, words, outer);
          case 6 -> wrap(markdown ? "~~" : "~", words, with(outer, Style.STRIKE), with(outer, Style.STRIKE),
              with(outer, Style.STRIKE));
          case 7 -> wrap("`", words.replace(":", ""), with(outer, Style.CODE), with(outer, Style.CODE),
              with(outer, Style.CODE));
          case 8 -> wrap("```", words, with(outer, Style.MONOSPACE), with(outer, Style.MONOSPACE),
              with(outer, Style.MONOSPACE));
          default -> boldAroundItalic(random, outer);
        }
        if (random.nextInt(5) == 0) {
          emit(random.nextBoolean() ? "," : ".", outer, outer, outer);
        }
      }

      private void bold(Random random, String words, Set<Style> outer) {
        Set<Style> bold = with(outer, Style.BOLD);
        if (!markdown) {
          wrap("*", words, bold, with(outer, Style.ITALIC), bold);
        } else if (random.nextInt(5) == 0 && outer.isEmpty()) {
          // ***x***: bold and italic both ways
          wrap("***", words, with(bold, Style.ITALIC), with(bold, Style.ITALIC), with(bold, Style.ITALIC));
        } else {
          wrap(random.nextBoolean() ? "**" : "__", words, bold, bold, bold);
        }
      }

      private void italic(Random random, String words, Set<Style> outer) {
        Set<Style> italic = with(outer, Style.ITALIC);
        if (markdown && random.nextBoolean()) {
          // Markdown's *x*: italic as Markdown, bold in auto, italic inside bold in auto too
          wrap("*", words, italic, italic, outer.contains(Style.BOLD) ? italic : with(outer, Style.BOLD));
        } else {
          wrap("_", words, italic, italic, italic);
        }
      }

      /** {@code *a _b_ c*} or {@code **a *b* c**}: italic inside bold. */
      private void boldAroundItalic(Random random, Set<Style> outer) {
        Set<Style> bold = with(outer, Style.BOLD);
        Set<Style> both = with(bold, Style.ITALIC);
        String open = markdown ? "**" : "*";
        String inner = markdown && random.nextBoolean() ? "*" : "_";
        text.append(open);
        Set<Style> outerMarkdown = markdown ? bold : with(outer, Style.ITALIC);
        emit(pick(random, WORDS), bold, outerMarkdown, bold);
        text.append(' ').append(inner);
        emit(pick(random, WORDS), both, markdown ? both : with(outer, Style.ITALIC), both);
        text.append(inner).append(' ');
        emit(pick(random, WORDS), bold, outerMarkdown, bold);
        text.append(open);
      }

      private void wrap(String marker, String words, Set<Style> asWritten, Set<Style> asMarkdown, Set<Style> inAuto) {
        text.append(marker);
        emit(words, asWritten, asMarkdown, inAuto);
        text.append(marker);
      }

      /** Appends {@code s} and the glyphs it shows as, by the writer's meaning, in markdown and in auto. */
      private void emit(String s, Set<Style> asWritten, Set<Style> asMarkdown, Set<Style> inAuto) {
        text.append(s);
        for (char c : s.toCharArray()) {
          if (!Character.isWhitespace(c)) {
            this.asWritten.add(new Glyph(c, asWritten));
            markdownRead.add(new Glyph(c, asMarkdown));
            autoRead.add(new Glyph(c, inAuto));
          }
        }
      }

      private static Set<Style> with(Set<Style> styles, Style style) {
        EnumSet<Style> out = styles.isEmpty() ? EnumSet.noneOf(Style.class) : EnumSet.copyOf(styles);
        out.add(style);
        return out;
      }

      private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
      }
    }
  }
}
