package dev.wabridge.reply;

import dev.wabridge.support.Json;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an agent's answer (its HTTP response, or a reply_callback body) into the messages to send, in order
 * (docs/contract.md section 6, docs/replies.md). Each object of the answer is read as the first of these that fits:
 * <ol>
 *   <li>a message in Meta's own shape ({@link MetaMessage}): checked, and sent as given;</li>
 *   <li>wabridge's shapes: a {@code type} it knows, or {@code content} (the seed's {@code {"type": "message",
 *       "content": "…"}});</li>
 *   <li>the answer of a common agent framework or model API ({@link FrameworkReply}): its text;</li>
 *   <li>any other JSON, as readable text.</li>
 * </ol>
 * Text is put into WhatsApp's formatting as the parser's {@link TextFormat} says and split at WhatsApp's limit; every
 * rich type is checked against Meta's limits, and an invalid one becomes an {@link Invalid} draft that names the
 * field.
 */
public final class ReplyParser {
  public static final String NO_REPLY = "No CUSTOMER message reply";
  public static final int TEXT_LIMIT = 4096;
  /**
   * The most WhatsApp messages one reply body may become; a text longer than {@link #TEXT_LIMIT} counts once per
   * part. Past it the parser stops rendering items, so a huge array costs no more than its first few.
   */
  public static final int MAX_MESSAGES = 50;

  private final TextFormat format;

  /** A parser for text in {@link TextFormat#AUTO}. */
  public ReplyParser() {
    this(TextFormat.AUTO);
  }

  private ReplyParser(TextFormat format) {
    this.format = format;
  }

  /** A parser for text written in {@code format} (an agent's). */
  public ReplyParser writtenIn(TextFormat format) {
    return format == this.format || format == null ? this : new ReplyParser(format);
  }

  /** The body is not a reply at all (an HTML error page, say). */
  public static final class UnreadableReplyException extends RuntimeException {
    public UnreadableReplyException(String message) {
      super(message);
    }
  }

  /** An agent's HTTP response. */
  public List<Draft> parseResponse(int status, String contentType, byte[] body) {
    if (status == 204 || body == null || body.length == 0) {
      return List.of();
    }
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return List.of();
    }
    if (ct.startsWith("text/html")) {
      throw new UnreadableReplyException("the agent answered text/html; answer JSON ({\"type\": \"message\", "
          + "\"content\": \"…\"}) or text/plain");
    }
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (JacksonException e) {
      if (ct.contains("json")) {
        throw new UnreadableReplyException("the agent's response says JSON but is not valid JSON");
      }
      return textDrafts(text);
    }
    if (!node.isContainer() && (ct.startsWith("text/plain") || node.isNumber() || node.isBoolean())) {
      // a lone JSON scalar is text as written: "null" or "\"quoted\"" in a text/plain body is what the agent
      // said, and the number 1e2 or 1.50 must not come out as 100.0 or 1.5
      return textDrafts(text);
    }
    return parse(node);
  }

  /**
   * A parsed JSON reply body (also what reply_callback and the send-as-business API accept). More than
   * {@link #MAX_MESSAGES} drafts means the body is over the cap; the list then holds only its first items.
   */
  public List<Draft> parse(JsonNode node) {
    List<Draft> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      items(node, "", out);
    } else if (node.isObject() && node.get("messages") != null && node.get("messages").isArray()
        && !node.has("type")) {
      items(node.get("messages"), "messages", out);
    } else {
      item(node, "", out);
    }
    return out;
  }

  /** Several messages, in order; a chat transcript (LangGraph's state, say) is its last answer only. */
  private void items(JsonNode array, String path, List<Draft> out) {
    if (FrameworkReply.addTranscript(array, path, out, t -> addText(t, out))) {
      return;
    }
    int i = 0;
    for (JsonNode item : array.values()) {
      if (out.size() > MAX_MESSAGES) {
        break;
      }
      item(item, path + "[" + i++ + "]", out);
    }
  }

  private void item(JsonNode item, String path, List<Draft> out) {
    if (item.isString()) {
      addText(item.asString(), out);
      return;
    }
    if (!item.isObject()) {
      if (!item.isNull()) {
        addText(item.toString(), out);
      }
      return;
    }
    if (MetaMessage.isMeta(item)) {
      MetaMessage.add(item, prefix(path), out);
      return;
    }
    String type = Json.text(item, "type");
    JsonNode content = item.get("content");
    if (content != null && content.isString() && isNoReply(content.asString())) {
      return;
    }
    if (type == null && content == null && FrameworkReply.add(item, prefix(path), out, t -> addText(t, out))) {
      return;
    }
    String t = type == null ? (content != null ? "message" : "") : type.toLowerCase(Locale.ROOT);
    RichContent rich = new RichContent(prefix(path), format);
    switch (t) {
      case "none" -> {
        // the agent chose not to answer
      }
      case "message", "text" -> {
        JsonNode said = content == null || content.isNull() ? item.get("text") : content;
        if (said == null || said.isNull() || said != content && !said.isString()) {
          out.add(new Invalid("text", prefix(path) + "content", "is required for a text message"));
        } else {
          String blocks = FrameworkReply.textBlocks(said);
          addText(said.isString() ? said.asString() : blocks != null ? blocks : ReadableJson.render(said), out);
        }
      }
      case "image", "video", "audio", "document", "sticker" -> rich.media(t, item, out);
      case "contact", "contacts" -> out.add(rich.contacts(item));
      case "location" -> out.add(rich.location(item));
      case "buttons" -> out.add(rich.buttons(item));
      case "list" -> out.add(rich.list(item));
      case "template" -> out.add(rich.template(item));
      case "reaction" -> out.add(rich.reaction(item));
      default -> addText(ReadableJson.render(item), out);
    }
  }

  private static String prefix(String path) {
    return path.isEmpty() ? "" : path + ".";
  }

  static boolean isNoReply(String s) {
    return s.strip().equalsIgnoreCase(NO_REPLY);
  }

  private void addText(String s, List<Draft> out) {
    if (s == null || isNoReply(s)) {
      return;
    }
    addFormattedText(WhatsAppFormatter.format(s, format), out);
  }

  /** Text already put into WhatsApp's formatting: only split. */
  static void addFormattedText(String formatted, List<Draft> out) {
    for (String part : TextSplitter.split(formatted, TEXT_LIMIT)) {
      out.add(textMessage(part));
    }
  }

  /** A plain text reply (the fallback message): formatted, split at the limit. */
  public List<Draft> textDrafts(String text) {
    List<Draft> out = new ArrayList<>();
    addText(text, out);
    return out;
  }

  static Outgoing textMessage(String body) {
    ObjectNode m = Json.object();
    m.put("type", "text");
    ObjectNode text = m.putObject("text");
    text.put("body", body);
    text.put("preview_url", body.contains("http://") || body.contains("https://"));
    return new Outgoing("text", body, m);
  }
}
