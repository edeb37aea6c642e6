package dev.wabridge.reply;

import dev.wabridge.reply.Draft.Invalid;
import java.util.List;
import java.util.function.Consumer;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The text in the answers of common agent frameworks and model APIs, for a reply object with neither {@code type} nor
 * {@code content} (those are wabridge's own fields and come first). The first of these that holds text is sent, and
 * the object's other fields (usage, ids, intermediate steps, the echoed input) are not:
 * <ol>
 *   <li>{@code choices[0].message.content}: an OpenAI chat completion (its {@code refusal} when content is null;
 *       {@code choices[0].text} for a legacy completion);</li>
 *   <li>the first of {@link #KEYS} whose value is a string: {@code reply}, {@code response} (Ollama's generate),
 *       {@code answer} (Dify), {@code output} (LangChain's AgentExecutor and LangServe, n8n's AI agent),
 *       {@code text} (Flowise, Rasa), {@code message}, {@code raw} (CrewAI's CrewOutput); {@code message} also as a
 *       chat message {@code {"role": …, "content": "…"}} (Ollama's chat).</li>
 * </ol>
 * The words that only mean "the answer" come first; {@code message} comes late because in wabridge's own call it is
 * the customer's text, so an agent that answers with the call's fields plus its answer does not echo the customer.
 */
final class FrameworkReply {
  static final List<String> KEYS = List.of("reply", "response", "answer", "output", "text", "message", "raw");
  /** The speakers of a chat transcript: OpenAI's roles and LangChain's message types. */
  private static final Set<String> TURNS = Set.of("user", "assistant", "system", "developer", "tool", "function",
      "human", "ai", "chat");

  private FrameworkReply() {
  }

  /** Adds the text of {@code item} (or an invalid draft) to {@code out}; false when no framework shape applies. */
  static boolean add(JsonNode item, String prefix, List<Draft> out, Consumer<String> addText) {
    JsonNode choices = item.get("choices");
    if (choices != null && choices.isArray()) {
      JsonNode first = choices.path(0);
      String text = first.path("text").isString() ? first.get("text").asString() : chatText(first.get("message"));
      if (text == null) {
        out.add(new Invalid("text", prefix + "choices[0].message.content", "holds no text (a completion that only "
            + "calls tools, or no choices at all, has nothing to send)"));
      } else {
        addText.accept(text);
      }
      return true;
    }
    for (String key : KEYS) {
      JsonNode v = item.get(key);
      String text = v == null ? null : v.isString() ? v.asString() : key.equals("message") ? chatText(v) : null;
      if (text != null) {
        addText.accept(text);
        return true;
      }
    }
    return false;
  }

  /**
   * A chat transcript rather than several messages: every item a turn ({@code role} user, assistant, system, tool,
   * … as OpenAI writes it; {@code type} human, ai, system, tool, … as LangChain serializes its messages, in LangGraph's
   * {@code {"messages": […]}} state), and at least one turn not the assistant's. Only the text of its last turn is
   * sent, which must be the assistant's: the customer is not sent their own words back, nor an earlier answer again.
   * Returns false, adding nothing, when {@code items} is not a transcript (a list of only assistant turns stays
   * several messages, as before).
   */
  static boolean addTranscript(JsonNode items, String path, List<Draft> out, Consumer<String> addText) {
    boolean others = false;
    String last = null;
    for (JsonNode turn : items.values()) {
      last = turn.path("role").isString() ? turn.get("role").asString()
          : turn.path("type").isString() ? turn.get("type").asString() : null;
      if (last == null || !TURNS.contains(last)) {
        return false;
      }
      others |= !last.equals("assistant") && !last.equals("ai");
    }
    if (!others) {
      return false;
    }
    int index = items.size() - 1;
    JsonNode content = items.get(index).get("content");
    String answer = content != null && content.isString() ? content.asString() : textBlocks(content);
    if (answer == null || !last.equals("assistant") && !last.equals("ai")) {
      out.add(new Invalid("text", path + "[" + index + "]", "is the last turn of a conversation and must be the "
          + "assistant's, with text: it is the answer sent to the customer"));
    } else {
      addText.accept(answer);
    }
    return true;
  }

  /** A chat message's text: its content (a string or text parts), else its refusal; null if neither holds text. */
  private static String chatText(JsonNode message) {
    if (message == null || !message.isObject() || !message.has("role")) {
      return null;
    }
    JsonNode content = message.get("content");
    if (content != null && content.isString()) {
      return content.asString();
    }
    String parts = textBlocks(content);
    if (parts != null) {
      return parts;
    }
    JsonNode refusal = message.get("refusal");
    return refusal != null && refusal.isString() ? refusal.asString() : null;
  }

  /**
   * The text of a list of content blocks, as Anthropic's Messages API and OpenAI's content parts give it
   * ({@code [{"type": "text", "text": "…"}, {"type": "tool_use", …}]}): the text blocks joined as they stand
   * (a citation splits one sentence into several blocks), the other kinds left out. Null when {@code content}
   * is not such a list or holds no text block.
   */
  static String textBlocks(JsonNode content) {
    if (content == null || !content.isArray() || content.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    boolean any = false;
    for (JsonNode block : content.values()) {
      if (!block.isObject() || !block.path("type").isString()) {
        return null;
      }
      if (block.get("type").asString().equals("text") && block.path("text").isString()) {
        text.append(block.get("text").asString());
        any = true;
      }
    }
    return any ? text.toString() : null;
  }
}
