package dev.wabridge.reply;

import java.util.List;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Converts the Markdown a language model writes into WhatsApp's formatting: {@code *bold*}, {@code _italic_},
 * {@code ~strike~}, {@code `code`}, {@code ```} blocks, {@code - } bullets, {@code 1. } numbered lists and
 * {@code > } quotes.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>never throws; {@code null} or blank input gives {@code ""}, and if rendering fails the input comes back
 *       stripped;</li>
 *   <li>text without Markdown comes out unchanged apart from surrounding whitespace, line indentation,
 *       {@code \r\n} line endings and runs of blank lines (which become one blank line): emoji, intraword
 *       underscores ({@code my_var_name}), bare URLs (even with {@code _} or {@code *} in them) and special
 *       characters are written literally, never escaped;</li>
 *   <li>emphasis markers always hug their text: whitespace at the edges of an emphasised span is moved outside the
 *       markers, and a span that is only whitespace gets no markers;</li>
 *   <li>code (inline and blocks) is copied verbatim, with no formatting inside.</li>
 * </ul>
 *
 * <p>Choices: headings and table header cells become bold; a table becomes one line per row with cells joined by
 * {@code " | "}; links become {@code text (url)} (just the url when the text is the url); nested lists are
 * flattened without indentation; ordered lists keep their numbers as written and their {@code .} or {@code )}
 * delimiter; HTML tags of known HTML elements are stripped (their text kept, {@code <br>} becomes a newline) while
 * unknown tags such as {@code <your-token>} are kept literally; a thematic break becomes a blank line; code blocks
 * are fenced with {@code ```} on their own lines. Markdown means what CommonMark says it means: {@code *word*} is
 * italic and becomes {@code _word_}, {@code \*word\*} becomes a literal {@code *word*} (which WhatsApp will show
 * bold: it has no escape), and {@code ** word **} (spaces inside) is not emphasis and is kept as typed.
 */
public final class WhatsAppFormatter {
  private static final Parser PARSER = Parser.builder()
      .extensions(List.of(TablesExtension.create(), StrikethroughExtension.create()))
      .includeSourceSpans(IncludeSourceSpans.BLOCKS)
      .build();

  private WhatsAppFormatter() {
  }

  /** The WhatsApp rendering of {@code markdown}; see the class comment for what it guarantees. */
  public static String format(String markdown) {
    if (markdown == null || markdown.isBlank()) {
      return "";
    }
    return isPlainLine(markdown) ? markdown.strip() : render(markdown);
  }

  /** The full rendering through the CommonMark parser. */
  static String render(String markdown) {
    try {
      UrlGuard guard = UrlGuard.protect(markdown);
      String rendered = new WhatsAppRenderer(PARSER, guard.text()).render();
      return guard.restore(rendered).strip();
    } catch (RuntimeException | StackOverflowError e) {
      return markdown.strip();
    }
  }

  /**
   * Most replies are a plain sentence: one line, none of Markdown's characters, nothing a block could start
   * with. Such text renders to itself (stripped), so it skips the parser; {@code WhatsAppFormatterTest} checks
   * that both ways agree.
   */
  static boolean isPlainLine(String s) {
    char first = s.charAt(0);
    if (Character.isWhitespace(first) || first == '-' || first == '+' || first == '=' || (first >= '0' && first <= '9')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      switch (s.charAt(i)) {
        case '\n', '\r', '*', '_', '~', '`', '#', '[', ']', '<', '>', '|', '\\', '&', '\t' -> {
          return false;
        }
        default -> {
        }
      }
    }
    return true;
  }
}
