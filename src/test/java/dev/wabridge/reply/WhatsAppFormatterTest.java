package dev.wabridge.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Markdown reading ({@link TextFormat#MARKDOWN}); the other formats' rules are in {@link TextFormatRulesTest}. */
class WhatsAppFormatterTest {
  private static String f(String markdown) {
    return WhatsAppFormatter.format(markdown, TextFormat.MARKDOWN);
  }

  @Test
  void boldItalicStrikeAndInlineCode() {
    assertThat(f("**bold** and __bold__")).isEqualTo("*bold* and *bold*");
    assertThat(f("*italic* and _italic_")).isEqualTo("_italic_ and _italic_");
    assertThat(f("~~strike~~ and ~strike~")).isEqualTo("~strike~ and ~strike~");
    assertThat(f("run `npm **install**` now")).isEqualTo("run `npm **install**` now");
  }

  @Test
  void nestedEmphasis() {
    assertThat(f("***both***")).isIn("_*both*_", "*_both_*");
    assertThat(f("**a *b* c**")).isEqualTo("*a _b_ c*");
    assertThat(f("**~~gone~~ now**")).isEqualTo("*~gone~ now*");
  }

  @Test
  void sameStyleNestedIsNotRepeated() {
    assertThat(f("****x****")).isEqualTo("*x*");
    assertThat(f("# A **bold** word")).isEqualTo("*A bold word*");
  }

  @Test
  void inlineCodeWithBackticksIsWrittenLiterally() {
    assertThat(f("use `` `x` `` here")).isEqualTo("use `x` here");
  }

  @Test
  void fencedCodeBlockLosesLanguageAndKeepsContentVerbatim() {
    String md = "Look:\n\n```java\nint x = **1**; // _not_ italic\n  indented();\n```\n\nDone";
    assertThat(f(md)).isEqualTo("Look:\n\n```\nint x = **1**; // _not_ italic\n  indented();\n```\n\nDone");
  }

  @Test
  void tildeFenceAndIndentedCodeBlock() {
    assertThat(f("~~~\na ~~b~~\n~~~")).isEqualTo("```\na ~~b~~\n```");
    assertThat(f("text\n\n    code *here*\n      more\n\nafter"))
        .isEqualTo("text\n\n```\ncode *here*\n  more\n```\n\nafter");
  }

  @Test
  void emptyCodeBlockIsDropped() {
    assertThat(f("a\n\n```\n```\n\nb")).isEqualTo("a\n\nb");
  }

  @Test
  void headingsBecomeBoldLines() {
    assertThat(f("# Title")).isEqualTo("*Title*");
    assertThat(f("## Sub _title_\ntext")).isEqualTo("*Sub _title_*\ntext");
    assertThat(f("## Sub\n\ntext")).isEqualTo("*Sub*\n\ntext");
    assertThat(f("###### Deep")).isEqualTo("*Deep*");
    assertThat(f("Setext\n======")).isEqualTo("*Setext*");
  }

  @Test
  void links() {
    assertThat(f("[the docs](https://x.dev/docs)")).isEqualTo("the docs (https://x.dev/docs)");
    assertThat(f("[**bold** text](https://x.dev)")).isEqualTo("*bold* text (https://x.dev)");
    assertThat(f("<https://x.dev/a_b_>")).isEqualTo("https://x.dev/a_b_");
    assertThat(f("[https://x.dev](https://x.dev)")).isEqualTo("https://x.dev");
    assertThat(f("mail <me@x.dev>")).isEqualTo("mail me@x.dev");
    assertThat(f("[](https://x.dev)")).isEqualTo("https://x.dev");
    assertThat(f("[ref][1]\n\n[1]: https://x.dev/r \"Title\"")).isEqualTo("ref (https://x.dev/r)");
  }

  @Test
  void images() {
    assertThat(f("![a cat](https://x.dev/cat.png)")).isEqualTo("a cat (https://x.dev/cat.png)");
    assertThat(f("![](https://x.dev/cat.png)")).isEqualTo("https://x.dev/cat.png");
  }

  @Test
  void bulletListsUseDashes() {
    assertThat(f("* one\n* two")).isEqualTo("- one\n- two");
    assertThat(f("+ one\n+ two")).isEqualTo("- one\n- two");
    assertThat(f("- one\n- **two**")).isEqualTo("- one\n- *two*");
  }

  @Test
  void orderedListsKeepTheirNumbers() {
    assertThat(f("1. one\n2. two\n3. three")).isEqualTo("1. one\n2. two\n3. three");
    assertThat(f("3. three\n4. four")).isEqualTo("3. three\n4. four");
    assertThat(f("1) one\n2) two")).isEqualTo("1) one\n2) two");
    assertThat(f("1. one\n1. two\n1. three")).isEqualTo("1. one\n1. two\n1. three");
    assertThat(f("> 007. bond\n> 8. next")).isEqualTo("> 007. bond\n> 8. next");
    assertThat(f("- a\n\n   10. ten\n   11. eleven")).isEqualTo("- a\n\n10. ten\n11. eleven");
  }

  @Test
  void nestedListsAreFlattenedInOrder() {
    String md = "- a\n  - a1\n    1. deep\n  - a2\n- b\n\n  more of b\n- c";
    assertThat(f(md)).isEqualTo("- a\n- a1\n1. deep\n- a2\n- b\n\nmore of b\n- c");
  }

  @Test
  void listItemWithCodeBlock() {
    assertThat(f("1. run:\n   ```sh\n   make\n   ```\n2. done")).isEqualTo("1. run:\n```\nmake\n```\n2. done");
  }

  @Test
  void blockQuotes() {
    assertThat(f("> wise *words*")).isEqualTo("> wise _words_");
    assertThat(f("> one\n> two\n>\n> three")).isEqualTo("> one\n> two\n>\n> three");
    assertThat(f("> outer\n>\n> > inner")).isEqualTo("> outer\n>\n> > inner");
  }

  @Test
  void tablesBecomeOneLinePerRowWithBoldHeader() {
    String md = "| Name | Age |\n|------|----:|\n| Bob | 42 |\n| **Al** | |";
    assertThat(f(md)).isEqualTo("*Name* | *Age*\nBob | 42\n*Al* |");
    assertThat(f("| a | b |\n|---|---|\n| x<br>y | [l](https://x.dev) |"))
        .isEqualTo("*a* | *b*\nx y | l (https://x.dev)");
  }

  @Test
  void thematicBreakBecomesABlankLine() {
    assertThat(f("above\n\n---\n\nbelow")).isEqualTo("above\n\nbelow");
    assertThat(f("above\n\n***\n\nbelow")).isEqualTo("above\n\nbelow");
  }

  @Test
  void htmlTagsAreStrippedKeepingText() {
    assertThat(f("a <b>bold</b> <span class=\"x\">word</span><!-- note -->")).isEqualTo("a bold word");
    assertThat(f("one<br>two<br/>three")).isEqualTo("one\ntwo\nthree");
    assertThat(f("<div>\n**inside** a div\n</div>\n\nafter")).isEqualTo("*inside* a div\n\nafter");
    assertThat(f("<details>\n<summary>More</summary>\n\nHidden text\n</details>")).isEqualTo("More\n\nHidden text");
  }

  @Test
  void unknownTagsArePlaceholdersAndKept() {
    assertThat(f("Send <your-token> to List<T>")).isEqualTo("Send <your-token> to List<T>");
  }

  @Test
  void lineBreaksArePreserved() {
    assertThat(f("one\ntwo")).isEqualTo("one\ntwo");
    assertThat(f("one  \ntwo\\\nthree")).isEqualTo("one\ntwo\nthree");
  }

  @Test
  void paragraphsAreSeparatedByOneBlankLine() {
    assertThat(f("one\n\n\n\n\ntwo\n\nthree")).isEqualTo("one\n\ntwo\n\nthree");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Hello there, how are you today?",
      "Great job 🎉👍🏽 see you in 🇧🇷 — 👨‍👩‍👧 says hi",
      "set my_var_name and __dunder_ish__name and snake_case_id",
      "Visit https://example.com/some_path/__init__.py?a=1&b=2#frag today",
      "See https://x.dev/*star*/page and http://x.dev/_under_",
      "100% sure; a+b=c (really?) #hashtag @user $5 {braces} [brackets] 5 * 3 = 15",
      "Price: €12,50 — 50% off! ~ approx, a|b, c\\d, 'quotes' and \"doubles\"",
      "Line one\nLine two\nLine three",
      "日本語のテキスト。中文文本。العربية",
      "C:\\Users\\bob and 3 < 4 > 2 & done",
  })
  void plainTextIsUnchanged(String text) {
    assertThat(f(text)).isEqualTo(text);
  }

  @Test
  void trailingAndLeadingWhitespaceIsTrimmed() {
    assertThat(f("  hello world  \n\n")).isEqualTo("hello world");
  }

  @Test
  void markdownReadsASingleAsteriskAsItalicAsCommonMarkDoes() {
    assertThat(f("*bold for whatsapp*")).isEqualTo("_bold for whatsapp_");
    assertThat(f("_italic_ and ~strike~")).isEqualTo("_italic_ and ~strike~");
  }

  @Test
  void markersHugTheirText() {
    assertThat(f("x **&#32;bold&#32;** y")).isEqualTo("x  *bold*  y");
    assertThat(f("**<br>bold**")).isEqualTo("*bold*");
    assertThat(f("_[ spaced](https://x.dev)_")).isEqualTo("_spaced (https://x.dev)_");
    assertThat(f("**&#32;**")).isEmpty();
  }

  @Test
  void spacedMarkersAreNotEmphasisAndStayAsTyped() {
    assertThat(f("**  bold **")).isEqualTo("**  bold **").doesNotContain("* bold *");
  }

  @Test
  void hugHelper() {
    assertThat(WhatsAppRenderer.hug("*", "  a b \n")).isEqualTo("  *a b* \n");
    assertThat(WhatsAppRenderer.hug("*", "\u00a0x")).isEqualTo("\u00a0*x*");
    assertThat(WhatsAppRenderer.hug("*", "   ")).isEqualTo("   ");
  }

  @Test
  void urlsKeepTheirCharactersEvenWithMarkdownInside() {
    assertThat(f("**https://x.dev/__init__**")).isEqualTo("*https://x.dev/__init__*");
    assertThat(f("(https://x.dev/a_(b))")).isEqualTo("(https://x.dev/a_(b))");
    assertThat(f("[a](https://x.dev/a\\_b)")).isEqualTo("a (https://x.dev/a_b)");
    assertThat(f("`curl https://x.dev/__x__`")).isEqualTo("`curl https://x.dev/__x__`");
  }

  @Test
  void nullAndBlankGiveEmpty() {
    assertThat(f(null)).isEmpty();
    assertThat(f(" \n\t ")).isEmpty();
  }

  @Test
  void privateUseCharactersInInputAreLeftAlone() {
    assertThat(f("\uE000 0\uE001 and **b**")).isEqualTo("\uE000 0\uE001 and *b*");
  }

  @Test
  void deeplyNestedInputDoesNotThrow() {
    String deep = ">".repeat(5000) + " x\n" + "- ".repeat(2000) + "y\n" + "[".repeat(5000) + "*".repeat(5000);
    assertThatCode(() -> f(deep)).doesNotThrowAnyException();
  }

  @Test
  void propertyNeverThrowsOnRandomMarkdownishInput() {
    Random random = new Random(20240601L);
    String[] pieces = {"*", "**", "_", "__", "~", "~~", "`", "```", "#", "# ", "- ", "+ ", "1. ", "2) ", "> ", "|",
        "---", "[", "]", "(", ")", "![", "<", ">", "&amp;", "&#32;", "\\", "\n", "\n\n", "    ", " ", "\t", "<b>",
        "</b>", "<br>", "<div>", "<!--", "-->", "https://x.dev/a_b", "word", "snake_case", "😀", "👍🏽", "\uD83D",
        "\uDE00", "\r\n", "|---|---|", "[x]: https://y.dev", "<https://z.dev>", "\u00a0", "=", "==="};
    for (int run = 0; run < 5000; run++) {
      StringBuilder md = new StringBuilder();
      int count = random.nextInt(60);
      for (int i = 0; i < count; i++) {
        md.append(pieces[random.nextInt(pieces.length)]);
      }
      String input = md.toString();
      String out = f(input);
      assertThat(out).as("input %s", input).isNotNull().isEqualTo(out.strip());
      assertThat(out.indexOf('\uE000')).as("no guard token leaks for %s", input).isEqualTo(-1);
    }
  }

  @Test
  void propertyPlainWordsKeepTheirLettersAndDigitsInOrder() {
    Random random = new Random(42L);
    String[] markup = {"**", "*", "_", "__", "# ", "- ", "* ", "> ", "\n", "\n\n", ". ", ", ", "! ", "? ", "(", ")",
        "[", "]"};
    String[] wrappers = {"**", "*", "_", "__", "~~", "~", "`"};
    for (int run = 0; run < 3000; run++) {
      StringBuilder md = new StringBuilder();
      int count = 1 + random.nextInt(40);
      for (int i = 0; i < count; i++) {
        int kind = random.nextInt(12);
        if (kind < 5) {
          md.append(word(random));
        } else if (kind < 8) {
          md.append(markup[random.nextInt(markup.length)]);
        } else if (kind < 10) {
          String wrapper = wrappers[random.nextInt(wrappers.length)];
          md.append(wrapper).append(word(random)).append(random.nextBoolean() ? " " : "").append(word(random))
              .append(wrapper);
        } else if (kind == 10) {
          md.append(' ');
        } else {
          md.append(switch (random.nextInt(5)) {
            case 0 -> "[" + word(random) + "](https://x.dev/" + word(random) + ")";
            case 1 -> "https://x.dev/" + word(random) + "_" + word(random) + "/";
            case 2 -> "\n```\n" + word(random) + " **" + word(random) + "**\n```\n";
            case 3 -> "😀👍🏽";
            default -> "\n1. " + word(random) + "\n2. " + word(random) + "\n";
          });
        }
      }
      String input = md.toString();
      assertThat(alnum(f(input))).as("input %s", input).isEqualTo(alnum(input));
    }
  }

  private static String word(Random random) {
    String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéü";
    StringBuilder w = new StringBuilder();
    int length = 1 + random.nextInt(8);
    for (int i = 0; i < length; i++) {
      w.append(letters.charAt(random.nextInt(letters.length())));
      if (random.nextInt(12) == 0) {
        w.append('_');
      }
    }
    if (random.nextInt(6) == 0) {
      w.append(1 + random.nextInt(999));
    }
    return w.toString();
  }

  private static String alnum(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
    return out.toString();
  }

  @Test
  void plainLinesSkipTheParserAndRenderExactlyAsTheParserWould() {
    String alphabet = "abcXYZ !019.,:;?()/'\"%$@^{}=+-\u00a0\u00e9\u4e2d\ud83d\ude00";
    Random random = new Random(42);
    int plain = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = 1 + random.nextInt(30);
      for (int j = 0; j < length; j++) {
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        sb.append(c);
        if (Character.isHighSurrogate(c)) {
          sb.append('\ude00');
        }
      }
      String s = sb.toString().replace("\ud83d\ude00\ude00", "\ud83d\ude00");
      if (!s.isBlank() && WhatsAppFormatter.isPlainLine(s)) {
        plain++;
        assertThat(f(s)).as("%s", s).isEqualTo(WhatsAppFormatter.render(s, TextFormat.MARKDOWN));
      }
    }
    assertThat(plain).isGreaterThan(5_000);
    assertThat(WhatsAppFormatter.isPlainLine("Your order ships tomorrow, thanks!")).isTrue();
    assertThat(WhatsAppFormatter.isPlainLine("- item")).isFalse();
    assertThat(WhatsAppFormatter.isPlainLine("1. first")).isFalse();
    assertThat(WhatsAppFormatter.isPlainLine("a *b*")).isFalse();
  }
}
