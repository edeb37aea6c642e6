package dev.wabridge.reply;

import dev.wabridge.reply.WhatsAppMarkup.Span;
import dev.wabridge.reply.WhatsAppMarkup.Style;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * WhatsApp text as a phone shows it ({@link WhatsAppMarkup}'s reading): the characters a person sees, without
 * whitespace and without the markers that were taken as formatting, each with the styles it is shown in.
 */
final class PhoneReading {
  record Glyph(char c, Set<Style> styles) {
    @Override
    public String toString() {
      return c + (styles.isEmpty() ? "" : styles.toString());
    }
  }

  private PhoneReading() {
  }

  static List<Glyph> read(String text) {
    int n = text.length();
    boolean[] marker = new boolean[n];
    List<EnumSet<Style>> styles = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      styles.add(EnumSet.noneOf(Style.class));
    }
    for (Span span : WhatsAppMarkup.spans(text)) {
      for (int i = span.start(); i < span.end(); i++) {
        if (i < span.contentStart() || i >= span.contentEnd()) {
          marker[i] = true;
        } else {
          styles.get(i).add(span.style());
        }
      }
    }
    List<Glyph> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!marker[i] && !Character.isWhitespace(text.charAt(i))) {
        out.add(new Glyph(text.charAt(i), styles.get(i)));
      }
    }
    return out;
  }

  /** The letters and digits only, in order, with their styles. */
  static List<Glyph> lettersAndDigits(String text) {
    return read(text).stream().filter(g -> Character.isLetterOrDigit(g.c())).toList();
  }

  static String chars(List<Glyph> glyphs) {
    StringBuilder out = new StringBuilder(glyphs.size());
    glyphs.forEach(g -> out.append(g.c()));
    return out.toString();
  }
}
