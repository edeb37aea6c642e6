package dev.wabridge.conversation;

import dev.wabridge.Json;
import dev.wabridge.api.Api;
import dev.wabridge.api.ApiException;
import dev.wabridge.api.Page;
import dev.wabridge.media.InboundMedia;
import dev.wabridge.reply.ReplySubmission;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.store.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/** The Conversations API: history with statuses and errors, sending as the business, handoff and resume. */
public final class ConversationRoutes {
  private final Database db;
  private final ConversationStore conversations;
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
    String phone = ctx.queryParam("phone_number");
    if (phone != null) {
      phone = phone.trim();
      if (!phone.isEmpty() && Character.isDigit(phone.charAt(0))) {
        phone = "+" + phone;
      }
    }
    var rows = conversations.list(Api.workspace(ctx), blankToNull(ctx.queryParam("agent_id")), blankToNull(phone),
        page.limit(), page.cursor());
    Api.json(ctx, 200, Api.list(rows, page.limit(), ConversationRoutes::view, Conversation::id));
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
    var queued = ReplySubmission.retryAfterWhenFull(ctx,
        () -> submissions.submit(c, Author.BUSINESS, ctx.contentType(), ctx.bodyAsBytes(), TextFormat.AUTO, null,
            null));
    wakeSender.run();
    Api.json(ctx, 202, ReplySubmission.view(queued));
  }

  private void setHandoff(Context ctx, boolean handoff) {
    Conversation c = find(ctx);
    db.writer(c.customerKey()).execute(h -> {
      conversations.setHandoff(h, c.id(), handoff, clock.millis());
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

  static ObjectNode view(Conversation c) {
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
    o.put("created_at", Api.time(c.createdAt()));
    return o;
  }

  public static ObjectNode messageView(Message m, Function<String, String> mediaLinks) {
    ObjectNode o = Json.object();
    o.put("id", m.id());
    o.put("direction", m.direction());
    o.put("author", m.author().wire());
    o.put("type", m.type());
    o.put("text", m.text());
    o.set("media", InboundMedia.view(Json.parseOrNull(m.media()), mediaLinks));
    o.set("content", Json.parseOrNull(m.content()));
    o.put("status", m.status());
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
