package dev.wabridge.reply;

import java.util.List;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Turns an agent's text into WhatsApp's formatting, as its {@link TextFormat} says: {@code *bold*},
 * {@code _italic_}, {@code ~strike~}, {@code `code`}, {@code ```} monospace, {@code - } bullets, {@code 1. }
 * numbered lists and {@code > } quotes.
 *
 * <ul>
 *   <li>{@link TextFormat#WHATSAPP}: the text exactly as written.</li>
 *   <li>{@link TextFormat#MARKDOWN}: the text is Markdown as CommonMark (with GFM tables and strikethrough) reads
 *       it, so {@code *word*} is italic and becomes {@code _word_}.</li>
 *   <li>{@link TextFormat#AUTO} (the default): read as Markdown too, except that WhatsApp's own markers keep
 *       their meaning: a single-asterisk {@code *word*} is bold and stays {@code *word*} (only inside bold, or
 *       as {@code ***word***}, is it italic). {@code _italic_}, {@code ~strike~}, {@code `code`} and
 *       {@code ```text```} monospace mean the same in both. So text already in
 *       WhatsApp's formatting comes out as it went in, while Markdown-only syntax ({@code **bold**},
 *       {@code __bold__}, {@code ~~strike~~}, headings, links, lists, quotes, tables, fenced code with a
 *       language tag) is converted.</li>
 * </ul>
 *
 * <p>Guarantees of the two converting formats:
 * <ul>
 *   <li>never throws; {@code null} or blank input gives {@code ""}, and if rendering fails the input comes back
 *       stripped;</li>
 *   <li>text without Markdown comes out unchanged apart from surrounding whitespace, line indentation,
 *       {@code \r\n} line endings and runs of blank lines (which become one blank line): emoji, intraword
 *       underscores ({@code my_var_name}), bare URLs (even with {@code _} or {@code *} in them) and special
 *       characters are written literally, never escaped;</li>
 *   <li>emphasis markers always hug their text, line by line: whitespace at the edges of an emphasised span is
 *       moved outside the markers, and a span that is only whitespace gets no markers. Emphasis that touches a
 *       letter or digit ({@code 2*3*4}, {@code **Note**s}), which WhatsApp would not show, keeps its markers as
 *       typed;</li>
 *   <li>code (inline and blocks) is copied verbatim, with no formatting inside; inline code keeps its one or
 *       three backticks as typed, and so does WhatsApp's monospace across lines ({@code ```SELECT *\nFROM t```},
 *       which CommonMark would read as an unclosed code block with a language tag);</li>
 *   <li>in {@link TextFormat#AUTO}, its output formatted again in {@link TextFormat#AUTO} is unchanged.</li>
 * </ul>
 *
 * <p>Choices: headings and table header cells become bold; a table becomes one line per row with cells joined by
 * {@code " | "}; links become {@code text (url)} (just the url when the text is the url); nested lists are
 * flattened without indentation; ordered lists keep their numbers as written and their {@code .} or {@code )}
 * delimiter; HTML tags of known HTML elements are stripped (their text kept, {@code <br>} becomes a newline) while
 * unknown tags such as {@code <your-token>} are kept literally; a thematic break becomes a blank line; code blocks
 * are fenced with {@code ```} on their own lines, without their language tag. {@code \*word\*} becomes a literal
 * {@code *word*} (which WhatsApp will show bold: it has no escape), and {@code ** word **} (spaces inside) is not
 * emphasis and is kept as typed.
 */
public final class WhatsAppFormatter {
  private static final Parser PARSER = Parser.builder()
      .extensions(List.of(TablesExtension.create(), StrikethroughExtension.create()))
      .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
      .build();

  private WhatsAppFormatter() {
  }

  /** The WhatsApp rendering of {@code text} written in {@code format}; see the class comment. */
  public static String format(String text, TextFormat format) {
    if (text == null) {
      return "";
    }
    if (format == TextFormat.WHATSAPP) {
      return text;
    }
    if (text.isBlank()) {
      return "";
    }
    return isPlainLine(text) ? text.strip() : render(text, format);
  }

  /** The full rendering through the CommonMark parser. */
  static String render(String text, TextFormat format) {
    try {
      UrlGuard guard = UrlGuard.protect(text);
      String rendered = new WhatsAppRenderer(PARSER, guard.text(), format).render();
      return guard.restore(rendered).strip();
    } catch (RuntimeException | StackOverflowError e) {
      return text.strip();
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
