package dev.wabridge.reply;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How an agent writes its text, and so how wabridge turns it into WhatsApp's formatting (an agent's
 * {@code format}; the rules are in {@link WhatsAppFormatter}).
 */
public enum TextFormat {
  /** Markdown as CommonMark reads it ({@code *x*} is italic), converted to WhatsApp's formatting. */
  MARKDOWN,
  /** Already WhatsApp's formatting: sent exactly as written, only split at the length limit. */
  WHATSAPP,
  /** WhatsApp's own markers kept as written, Markdown-only syntax converted (the default). */
  AUTO;

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named {@code wire} (case-insensitive), if it is one. */
  public static Optional<TextFormat> parse(String wire) {
    if (wire == null) {
      return Optional.empty();
    }
    for (TextFormat f : values()) {
      if (f.wire().equalsIgnoreCase(wire.strip())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The allowed names, for an error message: "markdown, whatsapp, auto". */
  public static String allowed() {
    return Arrays.stream(values()).map(TextFormat::wire).collect(Collectors.joining(", "));
  }
}
