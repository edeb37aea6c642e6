package dev.wabridge.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextSplitterTest {
  private static final String FENCE = "```";

  @Test
  void blankOrNullTextGivesNoParts() {
    assertThat(TextSplitter.split(null, 4096)).isEmpty();
    assertThat(TextSplitter.split("", 4096)).isEmpty();
    assertThat(TextSplitter.split(" \n\t ", 4096)).isEmpty();
  }

  @Test
  void textWithinTheLimitIsReturnedUnchanged() {
    assertThat(TextSplitter.split("  hello *world*  \n", 4096)).containsExactly("  hello *world*  \n");
    assertThat(TextSplitter.split("12345", 5)).containsExactly("12345");
  }

  @Test
  void limitBelowTwoIsRejected() {
    assertThatThrownBy(() -> TextSplitter.split("abc", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prefersParagraphBreaks() {
    String text = "First paragraph.\n\nSecond line one\nSecond line two";
    assertThat(TextSplitter.split(text, 40)).containsExactly("First paragraph.", "Second line one\nSecond line two");
  }

  @Test
  void paragraphBreakMayHoldSpacesOnTheBlankLine() {
    assertThat(TextSplitter.split("one two\n  \t\nthree four", 12)).containsExactly("one two", "three four");
  }

  @Test
  void thenLineBreaks() {
    String text = "Line one. Still one\nLine two. Still two";
    assertThat(TextSplitter.split(text, 30)).containsExactly("Line one. Still one", "Line two. Still two");
  }

  @Test
  void thenSentenceEnds() {
    assertThat(TextSplitter.split("Is it? Yes it is and more words", 20))
        .containsExactly("Is it?", "Yes it is and more", "words");
    assertThat(TextSplitter.split("Wow! That is great indeed", 18)).containsExactly("Wow!", "That is great", "indeed");
    assertThat(TextSplitter.split("Done. Next thing here", 18)).containsExactly("Done.", "Next thing here");
  }

  @Test
  void aFormattedSpanThatFitsIsNotCut() {
    assertThat(TextSplitter.split("Hello there *very bold words* end", 24))
        .containsExactly("Hello there", "*very bold words* end");
    assertThat(TextSplitter.split("one _two three_ four ~five six~", 16))
        .containsExactly("one _two three_", "four ~five six~");
    assertThat(TextSplitter.split("one _two three_ four ~five six~", 12))
        .containsExactly("one", "_two three_", "four", "~five six~");
    assertThat(TextSplitter.split("run `npm run build` now", 18)).containsExactly("run", "`npm run build`", "now");
    // a span longer than the limit is cut like other text
    assertThat(TextSplitter.split("*" + "word ".repeat(10).strip() + "*", 20)).allSatisfy(p ->
        assertThat(p.length()).isLessThanOrEqualTo(20));
  }

  @Test
  void thenWhitespaceBetweenWords() {
    assertThat(TextSplitter.split("alpha beta gamma delta", 11)).containsExactly("alpha beta", "gamma delta");
  }

  @Test
  void lastFittingBoundaryOfTheBestKindWins() {
    String text = "a.\n\nb.\n\nc. d e f g h i j k l m n o p";
    assertThat(TextSplitter.split(text, 10).getFirst()).isEqualTo("a.\n\nb.");
  }

  @Test
  void hardCutsAWordLongerThanTheLimit() {
    assertThat(TextSplitter.split("x " + "a".repeat(25), 10))
        .containsExactly("x", "aaaaaaaaaa", "aaaaaaaaaa", "aaaaa");
  }

  @Test
  void hardCutNeverSplitsASurrogatePair() {
    String emoji = "😀".repeat(7);
    List<String> parts = TextSplitter.split(emoji, 5);
    assertThat(parts).containsExactly("😀😀", "😀😀", "😀😀", "😀");
  }

  @Test
  void hardCutPrefersWholeEmojiSequences() {
    String thumbs = "👍🏽".repeat(5);
    assertThat(TextSplitter.split(thumbs, 10)).containsExactly("👍🏽👍🏽", "👍🏽👍🏽", "👍🏽");
  }

  @Test
  void whitespaceAtCutsIsDroppedAndPartsAreTrimmed() {
    assertThat(TextSplitter.split("  one   \n\n\n   two  ", 8)).containsExactly("one", "two");
  }

  @Test
  void codeBlockThatFitsIsMovedWhole() {
    String text = "intro words here\n```\nline one\nline two\n```\nafter";
    assertThat(TextSplitter.split(text, 30))
        .containsExactly("intro words here", "```\nline one\nline two\n```", "after");
  }

  @Test
  void codeBlockThatFitsIsNotSplitEvenAtItsBlankLines() {
    String code = "```\nfirst\n\nsecond third\n```";
    String text = "words before " + code + " and after";
    assertThat(TextSplitter.split(text, code.length())).contains(code);
  }

  @Test
  void inlineFencedBlockCountsToo() {
    assertThat(TextSplitter.split("see ```a b c d``` ok", 14)).containsExactly("see", "```a b c d```", "ok");
  }

  @Test
  void longCodeBlockIsSplitOnLinesWithFencesClosedAndReopened() {
    String text = "Here:\n```\nline one is here\nline two is here\nline three is here\nline four\n```\nBye";
    List<String> parts = TextSplitter.split(text, 30);
    assertThat(parts).containsExactly("Here:\n```\nline one is here\n```", "```\nline two is here\n```",
        "```\nline three is here\n```", "```\nline four\n```\nBye");
    assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(30));
  }

  @Test
  void longCodeLineIsCutInsideWithFences() {
    String text = "```\n" + "x".repeat(40) + "\n```";
    List<String> parts = TextSplitter.split(text, 20);
    assertThat(parts).allSatisfy(p -> {
      assertThat(p.length()).isLessThanOrEqualTo(20);
      assertThat(p).startsWith(FENCE).endsWith(FENCE);
    });
    assertThat(String.join("", parts).replace(FENCE, "").replace("\n", "")).isEqualTo("x".repeat(40));
  }

  @Test
  void codeIndentationAfterALineCutIsKept() {
    String text = "```\nif (x) {\n    call(one);\n    call(two);\n}\n```";
    List<String> parts = TextSplitter.split(text, 24);
    assertThat(parts).allSatisfy(p -> assertThat(p).startsWith(FENCE).endsWith(FENCE));
    assertThat(parts).anySatisfy(p -> assertThat(p).startsWith("```\n    call"));
  }

  @Test
  void belowTheFencedMinimumALongBlockIsPlainText() {
    List<String> parts = TextSplitter.split("```\naaa bbb ccc ddd\n```", 8);
    assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(8));
    assertThat(nonWhitespace(String.join("", parts))).isEqualTo("```aaabbbcccddd```");
  }

  @Test
  void urlThatFitsIsNeverCut() {
    String url = "https://example.com/a/b?c=d";
    List<String> parts = TextSplitter.split("go to " + url + " now", 31);
    assertThat(parts).containsExactly("go to", url + " now");
  }

  @Test
  void urlLongerThanTheLimitIsCut() {
    String url = "https://example.com/" + "p".repeat(30);
    List<String> parts = TextSplitter.split("see " + url, 20);
    assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(20));
    assertThat(String.join("", parts)).isEqualTo("see" + url);
  }

  @Test
  void realisticLimitKeepsParagraphsTogether() {
    String paragraph = "word ".repeat(150).strip() + ".";
    String text = String.join("\n\n", paragraph, paragraph, paragraph, paragraph, paragraph, paragraph);
    List<String> parts = TextSplitter.split(text, 4096);
    assertThat(parts).hasSize(2);
    assertThat(parts.getFirst()).isEqualTo(String.join("\n\n", paragraph, paragraph, paragraph, paragraph, paragraph));
  }

  // ---- properties ----

  @Test
  void propertyPartsFitKeepEveryCharacterAndRespectCodeAndUrls() {
    Random random = new Random(7_340_033L);
    int[] limits = {16, 17, 24, 40, 64, 100, 257, 1024};
    for (int run = 0; run < 4000; run++) {
      Generated g = generate(random);
      int limit = limits[random.nextInt(limits.length)];
      List<String> parts = TextSplitter.split(g.text(), limit);
      String why = "limit " + limit + " text " + g.text();
      if (g.text().length() <= limit) {
        assertThat(parts).as(why).isEqualTo(g.text().isBlank() ? List.of() : List.of(g.text()));
        continue;
      }
      assertThat(parts).as(why).allSatisfy(p -> {
        assertThat(p.length()).isLessThanOrEqualTo(limit);
        assertThat(p).isNotBlank().isEqualTo(p.strip());
        assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
        assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse();
        assertThat(fenceRuns(p) % 2).as("balanced fences in %s", p).isZero();
      });
      assertPreserved(g.text(), parts, why);
      for (String code : g.codeBlocks()) {
        if (code.length() <= limit) {
          assertThat(parts.stream().anyMatch(p -> p.contains(code))).as("whole %s in %s", code, why).isTrue();
        }
      }
      for (String url : g.urls()) {
        if (url.length() <= limit) {
          assertThat(parts.stream().anyMatch(p -> p.contains(url))).as("whole %s in %s", url, why).isTrue();
        }
      }
    }
  }

  @Test
  void propertySmallLimitsStillFitAndPreserve() {
    Random random = new Random(99L);
    for (int run = 0; run < 3000; run++) {
      Generated g = generate(random);
      int limit = 2 + random.nextInt(14);
      List<String> parts = TextSplitter.split(g.text(), limit);
      String why = "limit " + limit + " text " + g.text();
      assertThat(parts).as(why).allSatisfy(p -> {
        assertThat(p.length()).isLessThanOrEqualTo(limit);
        assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
        assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse();
      });
      assertThat(nonWhitespace(String.join("", parts))).as(why).isEqualTo(nonWhitespace(g.text()));
    }
  }

  @Test
  void propertyFormattedMarkdownSplitsCleanly() {
    Random random = new Random(5L);
    for (int run = 0; run < 500; run++) {
      Generated g = generate(random);
      String formatted = WhatsAppFormatter.format(g.text().replace("```\n", "```java\n"), TextFormat.MARKDOWN);
      List<String> parts = TextSplitter.split(formatted, 50);
      assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(50));
      assertPreserved(formatted, parts, formatted);
    }
  }

  private record Generated(String text, List<String> codeBlocks, List<String> urls) {
  }

  private static Generated generate(Random random) {
    StringBuilder text = new StringBuilder();
    List<String> code = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    int tokens = random.nextInt(120);
    for (int i = 0; i < tokens; i++) {
      int kind = random.nextInt(100);
      if (kind < 55) {
        text.append(word(random, 1 + random.nextInt(10)));
      } else if (kind < 63) {
        text.append(EMOJI[random.nextInt(EMOJI.length)]);
      } else if (kind < 70) {
        text.append(random.nextBoolean() ? "." : random.nextBoolean() ? "!" : "?");
      } else if (kind < 78) {
        text.append(random.nextBoolean() ? "\n" : "\n\n");
      } else if (kind < 84) {
        String url = (random.nextBoolean() ? "https://" : "http://") + word(random, 3 + random.nextInt(8)) + ".dev/"
            + word(random, random.nextInt(random.nextInt(8) == 0 ? 300 : 40));
        urls.add(url);
        text.append(' ').append(url).append(random.nextBoolean() ? " " : "\n");
      } else if (kind < 90) {
        StringBuilder block = new StringBuilder(FENCE).append('\n');
        int lines = 1 + random.nextInt(random.nextInt(5) == 0 ? 40 : 5);
        for (int line = 0; line < lines; line++) {
          block.append(" ".repeat(random.nextInt(3) * 2));
          int words = random.nextInt(6);
          for (int w = 0; w < words; w++) {
            block.append(word(random, 1 + random.nextInt(random.nextInt(10) == 0 ? 80 : 8))).append(' ');
          }
          block.append(random.nextInt(5) == 0 ? "😀;" : "x;").append('\n');
        }
        block.append(FENCE);
        code.add(block.toString());
        text.append('\n').append(block).append('\n');
      } else if (kind < 93) {
        text.append(word(random, 20 + random.nextInt(400)));
      } else if (kind < 96) {
        text.append("\t");
      }
      text.append(random.nextInt(4) == 0 ? "" : " ");
    }
    return new Generated(text.toString(), code, urls);
  }

  private static final String[] EMOJI = {"😀", "👍🏽", "🇧🇷", "👨‍👩‍👧", "❤️", "🎉", "é", "中", "𝄞"};

  private static String word(Random random, int length) {
    String letters = "abcdefghijklmnopqrstuvwxyz_-/=%ABC0123456789";
    StringBuilder w = new StringBuilder();
    while (w.length() < length) {
      if (random.nextInt(30) == 0) {
        w.append(EMOJI[random.nextInt(EMOJI.length)]);
      } else {
        w.append(letters.charAt(random.nextInt(letters.length())));
      }
    }
    return w.toString();
  }

  /** The parts' non-whitespace characters, minus fences the splitter added at part edges, equal the input's. */
  private static void assertPreserved(String text, List<String> parts, String why) {
    String expected = nonWhitespace(text);
    int at = 0;
    for (String part : parts) {
      String got = nonWhitespace(part);
      String matched = null;
      for (String candidate : List.of(got, dropLeadingFence(got), dropTrailingFence(got),
          dropTrailingFence(dropLeadingFence(got)))) {
        if (expected.startsWith(candidate, at)) {
          matched = candidate;
          break;
        }
      }
      assertThat(matched).as("part %s at %d of %s", part, at, why).isNotNull();
      at += matched.length();
    }
    assertThat(at).as(why).isEqualTo(expected.length());
  }

  private static String dropLeadingFence(String s) {
    return s.startsWith(FENCE) ? s.substring(FENCE.length()) : s;
  }

  private static String dropTrailingFence(String s) {
    return s.endsWith(FENCE) ? s.substring(0, s.length() - FENCE.length()) : s;
  }

  private static String nonWhitespace(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> out.append((char) c));
    return out.toString();
  }

  private static int fenceRuns(String s) {
    int runs = 0;
    for (int i = 0; i < s.length(); ) {
      int j = i;
      while (j < s.length() && s.charAt(j) == '`') {
        j++;
      }
      if (j - i >= 3) {
        runs++;
      }
      i = Math.max(j, i + 1);
    }
    return runs;
  }
}
