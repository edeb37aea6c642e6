package dev.wabridge.reply;

import tools.jackson.databind.node.ObjectNode;

/** One message an agent asked for: ready to queue, or invalid with a reason that names the field. */
public sealed interface Draft {
  /** Our type name ("text", "image", "buttons", …). */
  String type();

  /**
   * A message in Meta's shape: {@code message} holds {@code "type"} and the type object, without the envelope.
   * {@code text} is what the history shows (the text, caption or body).
   */
  record Outgoing(String type, String text, ObjectNode message) implements Draft {
  }

  record Invalid(String type, String field, String reason) implements Draft {
    public String message() {
      return field + ": " + reason;
    }
  }
}
