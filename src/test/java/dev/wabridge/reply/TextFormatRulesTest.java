package dev.wabridge.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One example per rule of each {@link TextFormat} (the rules documented in the README, "Reply formatting", and docs/contract.md section 6). */
class TextFormatRulesTest {
  private static String auto(String text) {
    return WhatsAppFormatter.format(text, TextFormat.AUTO);
  }

  private static String markdown(String text) {
    return WhatsAppFormatter.format(text, TextFormat.MARKDOWN);
  }

  @Nested
  class Auto {
    @Test
    void whatsAppsOwnMarkersSurviveUnchanged() {
      assertThat(auto("*Order shipped* on _Friday_")).isEqualTo("*Order shipped* on _Friday_");
      assertThat(auto("~R$299~ *R$199*")).isEqualTo("~R$299~ *R$199*");
      assertThat(auto("code ```SPRING_2024``` and `status`")).isEqualTo("code ```SPRING_2024``` and `status`");
      assertThat(auto("*bold with _italic_ inside*")).isEqualTo("*bold with _italic_ inside*");
      assertThat(auto("$5 *each*, or *3 for $12*")).isEqualTo("$5 *each*, or *3 for $12*");
    }

    @Test
    void markdownBoldAndStrikeBecomeWhatsApps() {
      assertThat(auto("**bold** and __bold__")).isEqualTo("*bold* and *bold*");
      assertThat(auto("~~gone~~")).isEqualTo("~gone~");
    }

    @Test
    void aSingleAsteriskInsideBoldIsItalicAndTripleIsBoldItalic() {
      assertThat(auto("**bold *and italic* here**")).isEqualTo("*bold _and italic_ here*");
      assertThat(auto("# Price *per* unit")).isEqualTo("*Price _per_ unit*");
      assertThat(auto("***both***")).isEqualTo("_*both*_");
    }

    @Test
    void headingsLinksListsQuotesTablesAndFencesAreConverted() {
      assertThat(auto("## Your order\nShipped today")).isEqualTo("*Your order*\nShipped today");
      assertThat(auto("See [the docs](https://x.dev/a_b)")).isEqualTo("See the docs (https://x.dev/a_b)");
      assertThat(auto("* one\n* two\n+ three")).isEqualTo("- one\n- two\n- three");
      assertThat(auto("1. one\n2. two")).isEqualTo("1. one\n2. two");
      assertThat(auto("> **Tip:** restart")).isEqualTo("> *Tip:* restart");
      assertThat(auto("| Plan | Price |\n|---|---:|\n| Pro | $29 |")).isEqualTo("*Plan* | *Price*\nPro | $29");
      assertThat(auto("```python\nprint(1)\n```")).isEqualTo("```\nprint(1)\n```");
    }

    @Test
    void whatsAppMonospaceAcrossLinesStaysAsWritten() {
      String receipt = "Receipt:\n```Item   Qty\nShirt  2\nTotal  $40```\nThanks!";
      assertThat(auto(receipt)).isEqualTo(receipt);
      assertThat(auto("```SELECT *\nFROM t\n```")).isEqualTo("```SELECT *\nFROM t\n```");
    }

    @Test
    void theAuthorsLineSpacingIsKept() {
      assertThat(auto("*Opening hours*\n• Mon–Fri: 9–18\n\n_Closed on holidays_"))
          .isEqualTo("*Opening hours*\n• Mon–Fri: 9–18\n\n_Closed on holidays_");
      assertThat(auto("Reply with a number:\n1. *Confirm*\n2. _Cancel_"))
          .isEqualTo("Reply with a number:\n1. *Confirm*\n2. _Cancel_");
      assertThat(auto("a\n\n\n\nb")).isEqualTo("a\n\nb");
    }

    @Test
    void boldOverSeveralLinesIsBoldOnEachLine() {
      assertThat(auto("**line one\nline two**")).isEqualTo("*line one*\n*line two*");
    }

    @Test
    void outputFormattedAgainIsUnchanged() {
      String out = auto("## Plans\n\n| a | b |\n|---|---|\n| *x* | 2*3*4 |\n\n- **one**\n* two");
      assertThat(auto(out)).isEqualTo(out);
    }
  }

  @Nested
  class BothConvertingFormats {
    @ParameterizedTest
    @EnumSource(value = TextFormat.class, names = {"AUTO", "MARKDOWN"})
    void emphasisTouchingALetterOrDigitStaysAsTyped(TextFormat format) {
      assertThat(WhatsAppFormatter.format("2*3*4 = 24", format)).isEqualTo("2*3*4 = 24");
      assertThat(WhatsAppFormatter.format("the **Note**s and a**b**c", format)).isEqualTo("the **Note**s and a**b**c");
      assertThat(WhatsAppFormatter.format("snake_case_id and a_1", format)).isEqualTo("snake_case_id and a_1");
    }

    @ParameterizedTest
    @EnumSource(value = TextFormat.class, names = {"AUTO", "MARKDOWN"})
    void urlsWithUnderscoresAndAsterisksAreNotTouched(TextFormat format) {
      String text = "See https://shop.example.com/search?q=*shoes*&sort=price_asc and **more**";
      assertThat(WhatsAppFormatter.format(text, format))
          .isEqualTo("See https://shop.example.com/search?q=*shoes*&sort=price_asc and *more*");
    }

    @ParameterizedTest
    @EnumSource(value = TextFormat.class, names = {"AUTO", "MARKDOWN"})
    void inlineCodeKeepsItsOneOrThreeBackticks(TextFormat format) {
      assertThat(WhatsAppFormatter.format("`a*b*` and ```mono``` and `` x`y ``", format))
          .isEqualTo("`a*b*` and ```mono``` and x`y");
    }
  }

  @Nested
  class Markdown {
    @Test
    void aSingleAsteriskIsItalicAsCommonMarkSays() {
      assertThat(markdown("*Order shipped* on _Friday_")).isEqualTo("_Order shipped_ on _Friday_");
      assertThat(markdown("**bold** *italic*")).isEqualTo("*bold* _italic_");
    }
  }

  @Nested
  class WhatsApp {
    @Test
    void theTextIsSentExactlyAsWritten() {
      String text = "  # Not a heading\n**double** [link](https://x.dev) *bold*\n\n\n\n- item  ";
      assertThat(WhatsAppFormatter.format(text, TextFormat.WHATSAPP)).isEqualTo(text);
      assertThat(WhatsAppFormatter.format(null, TextFormat.WHATSAPP)).isEmpty();
    }

    @Test
    void itIsOnlySplitAtTheLimit() {
      String text = ("*Line* with _words_ and **stars**.\n").repeat(200);
      List<Draft> drafts = new ReplyParser().writtenIn(TextFormat.WHATSAPP).textDrafts(text);
      assertThat(drafts).hasSizeGreaterThan(1);
      assertThat(drafts).allSatisfy(d -> assertThat(((Draft.Outgoing) d).text()).contains("**stars**"));
    }
  }

  @Nested
  class ReplyParserUsesTheFormat {
    @Test
    void forTextCaptionsAndInteractiveBodies() {
      String body = "[{\"type\":\"message\",\"content\":\"*hi* **there**\"},"
          + "{\"type\":\"image\",\"url\":\"https://x.dev/a.png\",\"caption\":\"*new* arrivals\"},"
          + "{\"type\":\"buttons\",\"content\":\"*Pick* one\",\"buttons\":[{\"title\":\"A\"}]}]";
      assertThat(texts(TextFormat.AUTO, body)).containsExactly("*hi* *there*", "*new* arrivals", "*Pick* one");
      assertThat(texts(TextFormat.MARKDOWN, body)).containsExactly("_hi_ *there*", "_new_ arrivals", "_Pick_ one");
      assertThat(texts(TextFormat.WHATSAPP, body)).containsExactly("*hi* **there**", "*new* arrivals", "*Pick* one");
    }

    @Test
    void theDefaultParserReadsAuto() {
      assertThat(new ReplyParser().textDrafts("*bold*")).extracting(d -> ((Draft.Outgoing) d).text())
          .containsExactly("*bold*");
    }

    private List<String> texts(TextFormat format, String json) {
      return new ReplyParser().writtenIn(format).parse(Json.parse(json)).stream()
          .map(d -> ((Draft.Outgoing) d).text()).toList();
    }
  }

  @Test
  void formatNamesAreParsedCaseInsensitivelyAndListed() {
    assertThat(TextFormat.parse("WhatsApp")).contains(TextFormat.WHATSAPP);
    assertThat(TextFormat.parse(" auto ")).contains(TextFormat.AUTO);
    assertThat(TextFormat.parse("html")).isEmpty();
    assertThat(TextFormat.allowed()).isEqualTo("markdown, whatsapp, auto");
  }
}
