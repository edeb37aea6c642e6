package dev.wabridge.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.reply.WhatsAppMarkup.Span;
import dev.wabridge.reply.WhatsAppMarkup.Style;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** WhatsApp's reading of its markers, as the splitter and the formatter's tests use it. */
class WhatsAppMarkupTest {
  private static List<String> shown(String text) {
    return WhatsAppMarkup.spans(text).stream()
        .map(s -> s.style() + ":" + text.substring(s.contentStart(), s.contentEnd())).toList();
  }

  @Test
  void markersAtWordBoundaries() {
    assertThat(shown("*Order shipped* on _Friday_ ~gone~")).containsExactly("BOLD:Order shipped", "ITALIC:Friday",
        "STRIKE:gone");
    assertThat(shown("(*a*), \"_b_\": *c*!")).containsExactly("BOLD:a", "ITALIC:b", "BOLD:c");
    assertThat(shown("*bold _both_ bold*")).containsExactly("BOLD:bold _both_ bold", "ITALIC:both");
  }

  @Test
  void noFormattingInsideWordsAcrossSpacesOrAcrossLines() {
    assertThat(shown("2*3*4 snake_case_id a~b~c")).isEmpty();
    assertThat(shown("* not bold * and 5 * 3")).isEmpty();
    assertThat(shown("*one\ntwo*")).isEmpty();
    assertThat(shown("**double**")).isEmpty();
  }

  @Test
  void codeAndMonospace() {
    assertThat(shown("run `npm *i*` or ```make _all_``` now")).containsExactly("CODE:npm *i*", "MONOSPACE:make _all_");
    assertThat(shown("```\nline *one*\nline two\n```")).containsExactly("MONOSPACE:\nline *one*\nline two\n");
    assertThat(shown("`` not code ``")).isEmpty();
  }

  @Test
  void urlsAreNeverFormatted() {
    assertThat(shown("https://x.dev/_a_/*b* and *c*")).containsExactly("BOLD:c");
  }

  @Test
  void spansAreOrderedAndWithinTheText() {
    Random random = new Random(7L);
    String pieces = "*_~` \nab1😀```";
    for (int run = 0; run < 20_000; run++) {
      StringBuilder sb = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        sb.append(pieces.charAt(random.nextInt(pieces.length())));
      }
      String text = sb.toString();
      List<Span> spans = WhatsAppMarkup.spans(text);
      int last = -1;
      for (Span s : spans) {
        assertThat(s.start()).as(text).isGreaterThanOrEqualTo(last);
        assertThat(s.contentStart()).isLessThanOrEqualTo(s.contentEnd());
        assertThat(s.end()).isLessThanOrEqualTo(text.length());
        if (s.style() != Style.MONOSPACE) {
          assertThat(text.substring(s.start(), s.end())).doesNotContain("\n");
        }
        last = s.start();
      }
    }
  }

  @Test
  void aLongLineOfOpenersIsReadInLinearTime() {
    String text = "*a ".repeat(200_000) + "_b ".repeat(200_000) + "`c ".repeat(200_000) + "*end*";
    long start = System.nanoTime();
    assertThat(WhatsAppMarkup.spans(text)).isNotEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
  }
}
