package dev.wabridge.agent;

import dev.wabridge.support.Json;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.Message;
import dev.wabridge.media.InboundMedia;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body POSTed to an agent (docs/contract.md section 5): the seed's four fields, then the additions an agent may
 * ignore. {@code message} is always a string.
 */
public final class AgentPayload {
  private AgentPayload() {
  }

  /**
   * @param answered the customer's messages this call answers, oldest first: one, or several merged by debounce
   *                 (then {@code message} joins their texts with newlines, the other fields describe the last one,
   *                 and {@code merged} lists each, so no media is lost)
   */
  public static byte[] build(Agent agent, Conversation c, List<Message> answered, String replyCallback,
                             Function<String, String> mediaLinks) {
    return build(agent, c, answered, replyCallback, mediaLinks, false);
  }

  /**
   * @param replayed the message waited for the agent (it was paused, or not yet deployed) and is delivered now that
   *                 it is deployed: {@code timestamp} says when the customer wrote it
   */
  public static byte[] build(Agent agent, Conversation c, List<Message> answered, String replyCallback,
                             Function<String, String> mediaLinks, boolean replayed) {
    Message m = answered.getLast();
    JsonNode raw = Json.parseOrNull(m.content());
    ObjectNode media = InboundMedia.view(Json.parseOrNull(m.media()), mediaLinks);
    ObjectNode p = Json.object();
    p.put("message", answered.size() == 1 ? text(m) : String.join("\n", answered.stream()
        .map(AgentPayload::text).filter(t -> !t.isEmpty()).toList()));
    p.put("image", "image".equals(m.type()) && media != null ? Json.text(media, "url") : null);
    // In a group, the customer fields name the member who wrote; group names the group (replies go to it).
    JsonNode sender = Json.parseOrNull(m.sender());
    p.put("phone_number", sender != null ? Json.text(sender, "phone_number") : c.phoneNumber());
    p.put("reply_callback", replyCallback);
    p.put("type", m.type());
    p.put("message_id", m.id());
    p.put("conversation_id", c.id());
    p.put("agent_id", agent.id());
    p.put("customer_name", sender != null ? Json.text(sender, "name") : c.customerName());
    p.put("user_id", sender != null ? Json.text(sender, "user_id") : c.userId());
    p.put("username", sender != null ? Json.text(sender, "username") : c.username());
    if (c.groupId() != null) {
      p.putObject("group").put("id", c.groupId());
    } else {
      p.putNull("group");
    }
    p.put("timestamp", sentAt(raw, m).toString());
    Long expires = c.windowExpiresAt();
    p.put("window_expires_at", expires == null ? null : Instant.ofEpochMilli(expires).toString());
    p.set("media", media);
    p.set("location", location(m, raw));
    p.set("contacts", "contacts".equals(m.type()) && raw != null && raw.get("contacts") != null
        ? raw.get("contacts") : null);
    p.set("interactive", interactive(m, raw));
    p.set("reply_to", replyTo(m));
    p.set("referral", raw == null ? null : Json.obj(raw, "referral"));
    p.set("reaction", "reaction".equals(m.type()) ? Json.obj(raw, "reaction") : null);
    p.set("order", "order".equals(m.type()) ? Json.obj(raw, "order") : null);
    p.set("errors", errors(raw));
    p.put("replayed", replayed);
    if (answered.size() > 1) {
      ArrayNode merged = p.putArray("merged");
      for (Message each : answered) {
        ObjectNode e = merged.addObject();
        ObjectNode eachMedia = InboundMedia.view(Json.parseOrNull(each.media()), mediaLinks);
        e.put("message_id", each.id());
        e.put("type", each.type());
        e.put("message", text(each));
        e.put("image", "image".equals(each.type()) && eachMedia != null ? Json.text(eachMedia, "url") : null);
        e.set("media", eachMedia);
      }
    }
    return Json.bytes(p);
  }

  /**
   * Meta's reasons for a message it could not deliver as such ({@code unsupported}, {@code unknown}), as
   * {@code [{code, title, message, details}]}; null when there are none.
   */
  private static JsonNode errors(JsonNode raw) {
    if (raw == null || !raw.path("errors").isArray() || raw.path("errors").isEmpty()) {
      return null;
    }
    ArrayNode out = Json.array();
    for (JsonNode e : raw.path("errors").values()) {
      if (out.size() == MAX_ERRORS) {
        break;
      }
      ObjectNode o = out.addObject();
      JsonNode code = e.get("code");
      o.set("code", code != null && (code.isNumber() || code.isString()) ? code : null);
      o.put("title", capped(Json.text(e, "title")));
      o.put("message", capped(Json.text(e, "message")));
      o.put("details", capped(Json.text(Json.obj(e, "error_data"), "details")));
    }
    return out;
  }

  /** Meta sends one error, sometimes a few; a body that claims more is cut here, each text to a sentence's size. */
  private static final int MAX_ERRORS = 10;
  private static final int MAX_ERROR_TEXT = 1024;

  private static String capped(String s) {
    return s == null || s.length() <= MAX_ERROR_TEXT ? s : s.substring(0, MAX_ERROR_TEXT);
  }

  private static String text(Message m) {
    return m.text() == null ? "" : m.text();
  }

  private static Instant sentAt(JsonNode raw, Message m) {
    String ts = Json.text(raw, "timestamp");
    if (ts != null) {
      try {
        return Instant.ofEpochSecond(Long.parseLong(ts));
      } catch (NumberFormatException ignored) {
        // fall back to when we received it
      }
    }
    return Instant.ofEpochMilli(m.createdAt());
  }

  private static JsonNode location(Message m, JsonNode raw) {
    JsonNode loc = "location".equals(m.type()) ? Json.obj(raw, "location") : null;
    if (loc == null) {
      return null;
    }
    ObjectNode o = Json.object();
    o.set("latitude", loc.get("latitude"));
    o.set("longitude", loc.get("longitude"));
    o.put("name", Json.text(loc, "name"));
    o.put("address", Json.text(loc, "address"));
    o.put("url", Json.text(loc, "url"));
    return o;
  }

  private static JsonNode interactive(Message m, JsonNode raw) {
    if ("button".equals(m.type())) {
      JsonNode b = Json.obj(raw, "button");
      ObjectNode o = Json.object();
      o.put("type", "quick_reply");
      o.put("id", Json.text(b, "payload"));
      o.put("title", Json.text(b, "text"));
      o.putNull("description");
      return o;
    }
    JsonNode i = "interactive".equals(m.type()) ? Json.obj(raw, "interactive") : null;
    if (i == null) {
      return null;
    }
    String kind = Json.text(i, "type");
    JsonNode reply = kind == null ? null : Json.obj(i, kind);
    ObjectNode o = Json.object();
    o.put("type", kind);
    o.put("id", Json.text(reply, "id"));
    o.put("title", Json.text(reply, "title"));
    o.put("description", Json.text(reply, "description"));
    if (reply != null && reply.has("response_json")) {
      o.put("response_json", Json.text(reply, "response_json"));
    }
    return o;
  }

  private static JsonNode replyTo(Message m) {
    if (m.replyTo() == null) {
      return null;
    }
    ObjectNode o = Json.object();
    o.put("wamid", m.replyTo());
    return o;
  }
}
