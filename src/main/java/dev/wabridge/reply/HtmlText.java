package dev.wabridge.reply;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strips raw HTML from Markdown for WhatsApp, which shows tags literally: tags of known HTML elements, comments,
 * processing instructions and declarations go, text stays, CDATA keeps its content and {@code <br>} becomes a
 * newline. Tags with other names ({@code <name>}, {@code <T>}, {@code <your-api-key>}) are placeholders an agent
 * meant to show, so they are kept.
 */
final class HtmlText {
  private static final Pattern MARKUP = Pattern.compile("<!--[\\s\\S]*?-->|<\\?[\\s\\S]*?\\?>"
      + "|<!\\[CDATA\\[([\\s\\S]*?)]]>|<![A-Za-z][^>]*>|</?([A-Za-z][A-Za-z0-9-]*)(?:\\s[^<>]*)?/?>");
  private static final Set<String> ELEMENTS = Set.of("a", "abbr", "address", "article", "aside", "b", "bdi", "bdo",
      "big", "blockquote", "body", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del",
      "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4",
      "h5", "h6", "head", "header", "hr", "html", "i", "img", "ins", "kbd", "li", "mark", "nav", "nobr", "ol", "p",
      "pre", "q", "s", "samp", "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table",
      "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr");

  private HtmlText() {
  }

  /** {@code html} without its markup. */
  static String strip(String html) {
    Matcher m = MARKUP.matcher(html);
    StringBuilder out = new StringBuilder(html.length());
    while (m.find()) {
      String replacement;
      if (m.group(1) != null) {
        replacement = m.group(1);
      } else if (m.group(2) != null) {
        String name = m.group(2).toLowerCase(Locale.ROOT);
        replacement = !ELEMENTS.contains(name) ? m.group() : name.equals("br") ? "\n" : "";
      } else {
        replacement = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code text} with trailing spaces, edge blank lines and repeated blank lines removed. */
  static String tidy(String text) {
    return text.replaceAll("[ \\t]+(?=\\n|$)", "").replaceAll("\\n{3,}", "\n\n").strip();
  }
}
