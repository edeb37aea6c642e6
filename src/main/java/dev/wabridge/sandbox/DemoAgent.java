package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentSignature;
import dev.wabridge.agent.AgentStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in demo agent, an ordinary agent webhook at {@code /sandbox/demo-agent}: it checks wabridge's
 * signature with the calling agent's secret, echoes text, answers a button or list choice by naming it, and sends
 * one of each rich reply on request ({@code help} lists them). Its files are served from {@code /sandbox/demo/}.
 */
final class DemoAgent {
  static final String PATH = "/sandbox/demo-agent";
  static final String HELP = """
      I'm the **wabridge demo agent**. Send one of these words and I'll answer with that kind of message:

      - **image** - a picture
      - **video** - a short clip
      - **audio** - a voice note
      - **document** - a PDF
      - **location** - a place on the map
      - **contact** - a contact card
      - **buttons** - reply buttons to tap
      - **list** - a list to pick from
      - **markdown** - a long formatted answer with code
      - **react** - a reaction to your message

      Anything else I echo back.""";

  private final AgentStore agents;
  private final String files;

  DemoAgent(AgentStore agents, String publicUrl) {
    this.agents = agents;
    this.files = publicUrl + "/sandbox/demo/";
  }

  void register(RoutesConfig r) {
    r.post(PATH, this::handle);
  }

  private void handle(Context ctx) {
    byte[] raw = ctx.bodyAsBytes();
    JsonNode payload;
    try {
      payload = Json.parse(raw);
    } catch (JacksonException e) {
      ctx.status(400).contentType("text/plain").result("expected wabridge's JSON agent payload");
      return;
    }
    Optional<Agent> agent = agents.byId(Optional.ofNullable(Json.text(payload, "agent_id")).orElse(""));
    if (agent.isEmpty() || !signed(ctx.header("X-Wabridge-Signature"), raw, agent.get().webhookSecret())) {
      ctx.status(401).contentType("text/plain")
          .result("X-Wabridge-Signature does not match the agent's webhook secret");
      return;
    }
    ctx.status(200).contentType("application/json").result(Json.bytes(reply(payload)));
  }

  static boolean signed(String header, byte[] body, String secret) {
    if (header == null || !header.startsWith("t=") || !header.contains(",v1=")) {
      return false;
    }
    long t;
    try {
      t = Long.parseLong(header.substring(2, header.indexOf(',')));
    } catch (NumberFormatException e) {
      return false;
    }
    return MessageDigest.isEqual(AgentSignature.header(secret, t, body).getBytes(StandardCharsets.UTF_8),
        header.getBytes(StandardCharsets.UTF_8));
  }

  ObjectNode reply(JsonNode payload) {
    JsonNode interactive = payload.get("interactive");
    if (interactive != null && interactive.isObject()) {
      return text("You chose **" + escape(Json.text(interactive, "title")) + "** (id `" + Json.text(interactive, "id")
          + "`).");
    }
    String type = Optional.ofNullable(Json.text(payload, "type")).orElse("text");
    if (type.equals("location")) {
      JsonNode loc = payload.path("location");
      return text("Thanks, I got your location: " + Json.text(loc, "latitude") + ", " + Json.text(loc, "longitude")
          + ".");
    }
    if (type.equals("image")) {
      return text("Nice picture! I can see it arrived as an image" + caption(payload) + ".");
    }
    String message = Optional.ofNullable(Json.text(payload, "message")).orElse("").strip();
    return switch (message.toLowerCase(Locale.ROOT).replaceFirst("^/", "")) {
      case "help", "menu", "commands" -> text(HELP);
      case "image", "photo", "picture" -> media("image", "photo.png", "A picture from the demo agent", null);
      case "video" -> media("video", "clip.mp4", "A three-second test clip", null);
      case "audio", "voice" -> media("audio", "voice.ogg", null, null);
      case "document", "pdf", "file" -> media("document", "guide.pdf", "Here is the guide", "wabridge-guide.pdf");
      case "location", "map" -> location();
      case "contact", "contacts" -> contact();
      case "buttons", "button" -> buttons();
      case "list", "menu list" -> list();
      case "markdown", "md" -> text(MARKDOWN);
      case "react", "reaction" -> reaction();
      case "" -> text("Send **help** to see what I can do.");
      default -> text("You said: **" + escape(message.replaceAll("\\s+", " ")) + "**");
    };
  }

  private static String caption(JsonNode payload) {
    String c = Json.text(payload, "message");
    return c == null || c.isBlank() ? "" : " with the caption \"" + c + "\"";
  }

  private static String escape(String s) {
    return s == null ? "" : s.replaceAll("([\\\\`*_~\\[\\]<>#])", "\\\\$1");
  }

  private static ObjectNode text(String content) {
    ObjectNode o = Json.object();
    o.put("type", "message");
    o.put("content", content);
    return o;
  }

  private ObjectNode media(String type, String file, String caption, String filename) {
    ObjectNode o = Json.object();
    o.put("type", type);
    o.put("url", files + file);
    if (caption != null) {
      o.put("caption", caption);
    }
    if (filename != null) {
      o.put("filename", filename);
    }
    return o;
  }

  private static ObjectNode location() {
    ObjectNode o = Json.object();
    o.put("type", "location");
    o.put("latitude", 52.3791);
    o.put("longitude", 4.9003);
    o.put("name", "Amsterdam Centraal");
    o.put("address", "Stationsplein, 1012 AB Amsterdam");
    return o;
  }

  private static ObjectNode contact() {
    ObjectNode o = Json.object();
    o.put("type", "contact");
    o.put("name", "Wabridge Support");
    o.put("phone", "+15550100001");
    return o;
  }

  private static ObjectNode buttons() {
    ObjectNode o = Json.object();
    o.put("type", "buttons");
    o.put("content", "Did the sandbox work for you?");
    ArrayNode b = o.putArray("buttons");
    b.addObject().put("id", "yes").put("title", "Yes, it did");
    b.addObject().put("id", "no").put("title", "Not quite");
    b.addObject().put("id", "later").put("title", "Ask me later");
    return o;
  }

  private static ObjectNode list() {
    ObjectNode o = Json.object();
    o.put("type", "list");
    o.put("content", "Which pizza would you like?");
    o.put("button", "See the menu");
    ArrayNode sections = o.putArray("sections");
    ObjectNode classics = sections.addObject();
    classics.put("title", "Classics");
    ArrayNode rows = classics.putArray("rows");
    rows.addObject().put("id", "margherita").put("title", "Margherita").put("description", "Tomato, mozzarella, basil");
    rows.addObject().put("id", "marinara").put("title", "Marinara").put("description", "Tomato, garlic, oregano");
    ObjectNode specials = sections.addObject();
    specials.put("title", "Specials");
    ArrayNode more = specials.putArray("rows");
    more.addObject().put("id", "quattro").put("title", "Quattro formaggi").put("description", "Four cheeses");
    more.addObject().put("id", "diavola").put("title", "Diavola").put("description", "Spicy salami");
    return o;
  }

  private static ObjectNode reaction() {
    ObjectNode o = Json.object();
    o.put("type", "reaction");
    o.put("emoji", "\uD83D\uDC4D");
    return o;
  }

  static final String MARKDOWN = """
      # What wabridge does with Markdown

      Agents usually answer in **Markdown**. WhatsApp has its own formatting, so wabridge converts it (and keeps
      WhatsApp's own, like *this bold*, as written):

      1. **Bold** stays bold, _italic_ stays italic and ~~strikethrough~~ is struck through.
      2. Headings become bold lines; [links](https://wabridge.dev) become text with the URL after it.
      3. Lists, quotes and `inline code` keep their shape.

      > A reply longer than 4096 characters is split at paragraph, line, sentence and word boundaries,
      > never inside a code block or a URL.

      Here is a code block, sent as WhatsApp monospace:

      ```python
      def greet(name: str) -> str:
          return f"Hello, {name}!"

      print(greet("WhatsApp"))
      ```

      | feature | status |
      | --- | --- |
      | text | done |
      | rich replies | done |

      That's all: try **buttons** or **list** next.""";
}
