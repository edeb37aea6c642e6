package dev.wabridge.web;

import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.ConversationWrites;
import dev.wabridge.conversation.Direction;
import dev.wabridge.conversation.Message;
import dev.wabridge.support.Json;
import dev.wabridge.web.Api;
import dev.wabridge.web.ApiException;
import dev.wabridge.web.Page;
import dev.wabridge.media.InboundMedia;
import dev.wabridge.media.OutboundMedia;
import dev.wabridge.outbound.ReplySubmission;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.db.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The Conversations API: history with statuses and errors, sending as the business, handoff and resume. */
public final class ConversationRoutes {
  private final Database db;
  private final ConversationStore conversations;
  private final ConversationWrites handoffs = new ConversationWrites();
  private final ReplySubmission submissions;
  private final Runnable wakeSender;
  private final InstantSource clock;
  private final Function<String, String> mediaLinks;

  public ConversationRoutes(Database db, ConversationStore conversations, ReplySubmission submissions,
                            Runnable wakeSender, Function<String, String> mediaLinks, InstantSource clock) {
    this.db = db;
    this.mediaLinks = mediaLinks;
    this.conversations = conversations;
    this.submissions = submissions;
    this.wakeSender = wakeSender;
    this.clock = clock;
  }

  public void register(RoutesConfig r) {
    r.get("/api/conversations", this::list);
    r.get("/api/conversations/{id}", ctx -> Api.json(ctx, 200, view(find(ctx))));
    r.get("/api/conversations/{id}/messages", this::messages);
    r.post("/api/conversations/{id}/messages", this::send);
    r.post("/api/conversations/{id}/handoff", ctx -> setHandoff(ctx, true));
    r.post("/api/conversations/{id}/resume", ctx -> setHandoff(ctx, false));
  }

  private void list(Context ctx) {
    Page page = Page.of(ctx);
    var filter = new ConversationStore.Filter(blankToNull(ctx.queryParam("agent_id")),
        phoneDigits(ctx.queryParam("phone_number")), capped("user_id", ctx.queryParam("user_id"), 200),
        capped("username", username(ctx.queryParam("username")), 64),
        capped("group_id", ctx.queryParam("group_id"), 200),
        bool("unanswered", ctx.queryParam("unanswered")));
    var rows = conversations.list(Api.workspace(ctx), filter, page.limit(), page.cursor());
    var unanswered = conversations.unanswered(rows.stream().map(Conversation::id).toList());
    Api.json(ctx, 200, Api.list(rows, page.limit(),
        c -> view(c, unanswered.getOrDefault(c.id(), ConversationStore.Unanswered.NONE)), Conversation::id));
  }

  /** Fewer digits match too many customers to be a search. */
  static final int MIN_PHONE_DIGITS = 3;

  /**
   * The digits a phone search looks for anywhere in the number: "+1 (555) 010-99" is 155501099. Spaces, dashes,
   * dots, brackets and a leading plus are how people write numbers; anything else is refused.
   */
  static String phoneDigits(String query) {
    if (query == null || query.isBlank()) {
      return null;
    }
    String q = query.strip();
    String digits = (q.startsWith("+") ? q.substring(1) : q).replaceAll("[\\s\\-().]", "");
    if (!digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      throw ApiException.badRequest("invalid_phone_number", "phone_number: search by digits of the phone number "
          + "(spaces, dashes, brackets and a leading + are ignored), e.g. 1555 or +1 555 010 0199");
    }
    if (digits.length() < MIN_PHONE_DIGITS) {
      throw ApiException.badRequest("invalid_phone_number", "phone_number: give at least " + MIN_PHONE_DIGITS
          + " digits; any part of the number matches");
    }
    return digits;
  }

  /** A username as people write it: with or without the leading @. */
  private static String username(String q) {
    String u = blankToNull(q);
    return u != null && u.startsWith("@") ? blankToNull(u.substring(1)) : u;
  }

  /** An exact-match filter; longer than any id Meta sends, it can match nothing and is refused. */
  private static String capped(String name, String value, int max) {
    String v = blankToNull(value);
    if (v != null && v.length() > max) {
      throw ApiException.badRequest("invalid_" + name, name + ": at most " + max + " characters");
    }
    return v;
  }

  private static Boolean bool(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiException.badRequest("invalid_" + name, name + ": must be true or false");
    };
  }

  private void messages(Context ctx) {
    Conversation c = find(ctx);
    Page page = Page.of(ctx);
    long after;
    try {
      after = page.cursor() == null ? 0 : Long.parseLong(page.cursor());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid_cursor", "cursor must be a next_cursor value from a previous page");
    }
    var rows = conversations.messages(c.id(), page.limit(), after);
    Api.json(ctx, 200, Api.list(rows, page.limit(), m -> messageView(m, mediaLinks), m -> Long.toString(m.seq())));
  }

  private void send(Context ctx) {
    Conversation c = find(ctx);
    var queued = submissions.submit(c, Author.BUSINESS, ctx.contentType(), ctx.bodyAsBytes(), TextFormat.AUTO, null,
            null);
    wakeSender.run();
    Api.json(ctx, 202, ReplySubmission.view(queued));
  }

  private void setHandoff(Context ctx, boolean handoff) {
    Conversation c = find(ctx);
    db.writer(c.customerKey()).execute(h -> {
      handoffs.setHandoff(h, c.id(), handoff, clock.millis());
      return null;
    });
    Api.json(ctx, 200, view(conversations.byId(c.id()).orElseThrow()));
  }

  private Conversation find(Context ctx) {
    String id = ctx.pathParam("id");
    return conversations.get(Api.workspace(ctx), id).orElseThrow(() -> ApiException.notFound("conversation", id));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private ObjectNode view(Conversation c) {
    return view(c, conversations.unanswered(List.of(c.id())).getOrDefault(c.id(),
        ConversationStore.Unanswered.NONE));
  }

  static ObjectNode view(Conversation c, ConversationStore.Unanswered unanswered) {
    ObjectNode o = Json.object();
    o.put("id", c.id());
    o.put("agent_id", c.agentId());
    o.put("number_id", c.numberId());
    o.put("phone_number", c.phoneNumber());
    o.put("user_id", c.userId());
    o.put("username", c.username());
    o.put("group_id", c.groupId());
    o.put("customer_name", c.customerName());
    o.put("last_message_at", Api.time(c.lastMessageAt()));
    o.put("window_expires_at", Api.time(c.windowExpiresAt()));
    o.put("handoff", c.handoff());
    o.put("unanswered", unanswered.count());
    o.put("held", unanswered.newest() == null ? null : unanswered.newest().wire());
    o.put("created_at", Api.time(c.createdAt()));
    return o;
  }

  public static ObjectNode messageView(Message m, Function<String, String> mediaLinks) {
    ObjectNode o = Json.object();
    o.put("id", m.id());
    o.put("direction", m.direction().wire());
    o.put("author", m.author().wire());
    o.put("type", m.type());
    o.put("text", m.text());
    JsonNode content = Json.parseOrNull(m.content());
    o.set("media", m.direction() == Direction.OUTBOUND
        ? OutboundMedia.view(content, Json.parseOrNull(m.media()))
        : InboundMedia.view(Json.parseOrNull(m.media()), mediaLinks));
    o.set("content", content);
    o.put("status", m.status().wire());
    if (m.errorCode() != null) {
      ObjectNode e = o.putObject("error");
      e.put("code", m.errorCode());
      e.put("message", m.errorMessage());
    } else {
      o.putNull("error");
    }
    o.put("unanswered", m.held() != null);
    o.put("held", m.held() == null ? null : m.held().wire());
    o.set("sender", Json.parseOrNull(m.sender()));
    o.put("wamid", m.wamid());
    o.put("created_at", Api.time(m.createdAt()));
    o.put("updated_at", Api.time(m.updatedAt()));
    return o;
  }
}
