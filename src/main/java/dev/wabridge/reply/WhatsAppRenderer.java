package dev.wabridge.reply;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.node.Block;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.Delimited;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Renders a CommonMark tree as WhatsApp text for {@link WhatsAppFormatter}. Blocks and list items keep the
 * author's spacing (a line break, or one blank line where there was any); emphasis markers hug their text, line by line (WhatsApp
 * formats within a line), and are not repeated when the same style is already open (so a bold heading with bold
 * words in it is bold once); emphasis inside a word, which WhatsApp cannot show, keeps the markers as typed; inline
 * code keeps its backticks as typed when WhatsApp reads them alike (one, or three); any node it does not know is
 * written as its plain text content. One instance renders one document.
 */
final class WhatsAppRenderer {
  private static final TextContentRenderer PLAIN = TextContentRenderer.builder().build();
  private static final String BOLD = "*";
  private static final String ITALIC = "_";
  private static final String STRIKE = "~";
  private static final String FENCE = "```";

  private final Parser parser;
  private final String source;
  private final TextFormat format;
  private final boolean reparseHtml;
  private final Set<String> open = new HashSet<>();

  /**
   * A renderer for the document {@code parser} (which must include block and inline source spans) made of
   * {@code source}, read as {@code format} says ({@link TextFormat#MARKDOWN} or {@link TextFormat#AUTO}).
   */
  WhatsAppRenderer(Parser parser, String source, TextFormat format) {
    this(parser, source, format, true);
  }

  private WhatsAppRenderer(Parser parser, String source, TextFormat format, boolean reparseHtml) {
    this.parser = parser;
    this.source = source;
    this.format = format;
    this.reparseHtml = reparseHtml;
  }

  String render() {
    return blocks(parser.parse(source));
  }

  /** The child blocks, each after a {@link #separator}. */
  private String blocks(Node parent) {
    StringBuilder out = new StringBuilder();
    Node previous = null;
    for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
      String block = block(child);
      if (!block.isEmpty()) {
        if (previous != null) {
          out.append(separator(previous, child));
        }
        out.append(block);
        previous = child;
      }
    }
    return out.toString();
  }

  /**
   * Blocks (and list items) keep the author's spacing: one line break between blocks that were on consecutive
   * lines (a heading and its text, a sentence and the list it introduces, the items of a tight list), one blank
   * line between blocks that had any blank line or a dropped block (a thematic break) between them.
   */
  private static String separator(Node above, Node below) {
    List<SourceSpan> a = above.getSourceSpans();
    List<SourceSpan> b = below.getSourceSpans();
    boolean adjacent = !a.isEmpty() && !b.isEmpty() && b.getFirst().getLineIndex() == a.getLast().getLineIndex() + 1;
    return adjacent ? "\n" : "\n\n";
  }

  private String block(Node node) {
    return switch (node) {
      case Paragraph p -> inlines(p);
      case Heading h -> marked(BOLD, h);
      case BlockQuote q -> quote(blocks(q));
      case ListBlock l -> list(l);
      case FencedCodeBlock c -> codeBlock(c.getLiteral());
      case IndentedCodeBlock c -> codeBlock(c.getLiteral());
      case HtmlBlock h -> htmlBlock(h.getLiteral());
      case TableBlock t -> table(t);
      case ThematicBreak t -> "";
      case LinkReferenceDefinition d -> "";
      default -> fallback(node);
    };
  }

  private String inlines(Node parent) {
    StringBuilder out = new StringBuilder();
    for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
      out.append(inline(child));
    }
    return out.toString();
  }

  private String inline(Node node) {
    return switch (node) {
      case Text t -> t.getLiteral();
      case Code c -> code(c);
      case StrongEmphasis s -> delimited(BOLD, s);
      case Emphasis e -> delimited(emphasisMarker(e), e);
      case Strikethrough s -> delimited(STRIKE, s);
      case SoftLineBreak b -> "\n";
      case HardLineBreak b -> "\n";
      case Link l -> link(inlines(l), l.getDestination());
      case Image i -> link(inlines(i), i.getDestination());
      case HtmlInline h -> HtmlText.strip(h.getLiteral());
      default -> fallback(node);
    };
  }

  /**
   * CommonMark's emphasis is italic. In {@link TextFormat#AUTO} a single-asterisk span is WhatsApp's bold, except
   * inside bold or around nothing but bold ({@code ***x***}), where it can only be Markdown's italic.
   */
  private String emphasisMarker(Emphasis e) {
    boolean wrapsBold = e.getFirstChild() instanceof StrongEmphasis && e.getFirstChild() == e.getLastChild();
    boolean whatsAppBold = format == TextFormat.AUTO && "*".equals(e.getOpeningDelimiter()) && !wrapsBold
        && !open.contains(BOLD);
    return whatsAppBold ? BOLD : ITALIC;
  }

  /** An emphasis in {@code marker}s, or with its markers as typed where WhatsApp cannot show it: inside a word. */
  private String delimited(String marker, Node node) {
    if (node instanceof Delimited d && insideWord(node)) {
      return d.getOpeningDelimiter() + inlines(node) + d.getClosingDelimiter();
    }
    return marked(marker, node);
  }

  /** A letter or digit touches the node in the source (as in {@code 2*3*4} or {@code **Note**s}). */
  private boolean insideWord(Node node) {
    List<SourceSpan> spans = node.getSourceSpans();
    if (spans.isEmpty()) {
      return false;
    }
    int start = spans.getFirst().getInputIndex();
    int end = spans.getLast().getInputIndex() + spans.getLast().getLength();
    if (start < 0 || end > source.length()) {
      return false;
    }
    return start > 0 && Character.isLetterOrDigit(source.codePointBefore(start))
        || end < source.length() && Character.isLetterOrDigit(source.codePointAt(end));
  }

  /**
   * Inline code as typed when WhatsApp reads its backticks the same way (one, or three: its monospace), so
   * {@code ```x```} stays monospace; else the code in one pair of backticks, or bare when it holds a backtick.
   */
  private String code(Code c) {
    String typed = sourceOf(c);
    if (typed != null && (fencedBy(typed, 1) || fencedBy(typed, 3))) {
      return typed;
    }
    String literal = c.getLiteral();
    return literal.indexOf('`') >= 0 || literal.isBlank() ? literal : "`" + literal + "`";
  }

  /** {@code s} is exactly {@code count} backticks, something, and {@code count} backticks. */
  private static boolean fencedBy(String s, int count) {
    String run = "`".repeat(count);
    return s.length() > 2 * count && s.startsWith(run) && s.endsWith(run) && s.charAt(count) != '`'
        && s.charAt(s.length() - count - 1) != '`';
  }

  /** The node's text in the source (its lines joined by newlines), or null when the parser did not say. */
  private String sourceOf(Node node) {
    List<SourceSpan> spans = node.getSourceSpans();
    if (spans.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (SourceSpan span : spans) {
      int from = span.getInputIndex();
      if (from < 0 || from + span.getLength() > source.length()) {
        return null;
      }
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(source, from, from + span.getLength());
    }
    return out.toString();
  }

  /** The node's content between {@code marker}s, unless that style is already open around it. */
  private String marked(String marker, Node node) {
    if (open.contains(marker)) {
      return inlines(node);
    }
    open.add(marker);
    String inner;
    try {
      inner = inlines(node);
    } finally {
      open.remove(marker);
    }
    return hug(marker, inner);
  }

  /** Wraps the non-blank core of each line of {@code inner} in {@code marker}, leaving edge whitespace outside. */
  static String hug(String marker, String inner) {
    if (inner.indexOf('\n') < 0) {
      return hugLine(marker, inner);
    }
    StringBuilder out = new StringBuilder(inner.length() + 8);
    String[] lines = inner.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(i == 0 ? "" : "\n").append(hugLine(marker, lines[i]));
    }
    return out.toString();
  }

  private static String hugLine(String marker, String inner) {
    int start = 0;
    int end = inner.length();
    while (start < end && isSpace(inner.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(inner.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return inner;
    }
    return inner.substring(0, start) + marker + inner.substring(start, end) + marker + inner.substring(end);
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static String link(String text, String destination) {
    String url = destination == null ? "" : destination.strip();
    String label = text.strip();
    if (url.isEmpty()) {
      return text;
    }
    if (label.isEmpty() || label.equals(url)) {
      return url;
    }
    if (("mailto:" + label).equals(url) || ("tel:" + label).equals(url)) {
      return label;
    }
    return text + " (" + url + ")";
  }

  private static String quote(String inner) {
    StringBuilder out = new StringBuilder();
    for (String line : inner.split("\n", -1)) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(line.isEmpty() ? ">" : "> " + line);
    }
    return inner.isEmpty() ? "" : out.toString();
  }

  /**
   * Items one per line (or a blank line apart, as written), nested lists flattened in place; bullets become
   * "- ", numbers stay as written.
   */
  private String list(ListBlock list) {
    boolean ordered = list instanceof OrderedList;
    long number = 1;
    String delimiter = ".";
    if (list instanceof OrderedList o) {
      number = o.getMarkerStartNumber() == null ? 1 : o.getMarkerStartNumber();
      delimiter = o.getMarkerDelimiter() == null ? "." : o.getMarkerDelimiter();
    }
    StringBuilder out = new StringBuilder();
    for (Node item = list.getFirstChild(); item != null; item = item.getNext(), number++) {
      String marker = ordered ? writtenNumber(item, number) + delimiter + " " : "- ";
      String body = item instanceof ListItem ? blocks(item) : block(item);
      if (item.getPrevious() != null) {
        out.append(separator(item.getPrevious(), item));
      }
      out.append(body.isEmpty() ? marker.strip() : marker + body);
    }
    return out.toString();
  }

  /** The number as the source wrote it (so "1. 1. 1." stays, and so does "007."), else {@code counted}. */
  private String writtenNumber(Node item, long counted) {
    List<SourceSpan> spans = item.getSourceSpans();
    if (!spans.isEmpty()) {
      int start = Math.max(0, spans.getFirst().getInputIndex());
      while (start < source.length() && (source.charAt(start) == ' ' || source.charAt(start) == '\t')) {
        start++;
      }
      int end = start;
      while (end < source.length() && end - start < 9 && source.charAt(end) >= '0' && source.charAt(end) <= '9') {
        end++;
      }
      if (end > start) {
        return source.substring(start, end);
      }
    }
    return Long.toString(counted);
  }

  private static String codeBlock(String literal) {
    String body = literal == null ? "" : literal.replaceFirst("\\n+$", "");
    return body.isBlank() ? "" : FENCE + "\n" + body + "\n" + FENCE;
  }

  /** Strips the tags; what remains is Markdown again (e.g. inside a {@code <div>}), rendered one level deep. */
  private String htmlBlock(String literal) {
    String text = HtmlText.strip(literal);
    if (!reparseHtml || text.equals(literal)) {
      return HtmlText.tidy(text);
    }
    return new WhatsAppRenderer(parser, text, format, false).render();
  }

  /** One line per row (line breaks in a cell become spaces), cells joined by " | ", header cells bold. */
  private String table(TableBlock table) {
    StringBuilder out = new StringBuilder();
    for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
      if (section instanceof TableRow row) {
        appendRow(row, out);
      } else {
        for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
          appendRow(row, out);
        }
      }
    }
    return out.toString();
  }

  private void appendRow(Node row, StringBuilder out) {
    StringBuilder line = new StringBuilder();
    for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
      boolean header = cell instanceof TableCell c && c.isHeader();
      String text = (header ? marked(BOLD, cell) : inlines(cell)).strip().replaceAll("\\s*\\n\\s*", " ");
      if (cell != row.getFirstChild()) {
        line.append(" | ");
      }
      line.append(text);
    }
    String rendered = line.toString().strip();
    if (!rendered.isEmpty()) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(rendered);
    }
  }

  /** An unknown node: its children if it has any, else its plain text content. */
  private String fallback(Node node) {
    Node first = node.getFirstChild();
    if (first instanceof Block) {
      return blocks(node);
    }
    if (first != null) {
      return inlines(node);
    }
    try {
      return PLAIN.render(node);
    } catch (RuntimeException e) {
      return "";
    }
  }
}
