package dev.wabridge.outbound;

import dev.wabridge.reply.Draft;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.support.Json;
import dev.wabridge.support.Refused;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.outbound.OutboundQueue.Queued;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.db.Database;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.db.Sql;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A reply body sent through the API (reply_callback, or a person sending as the business): validated whole
 * (any invalid message rejects the request with 422 naming the field, so the caller can fix and retry), checked
 * against the caps ({@link ReplyLimits}: at most 50 messages, the workspace's queue quota), then queued in one
 * transaction. With an idempotency key, a retried request returns the first answer and sends
 * nothing twice.
 */
public final class ReplySubmission {
  private static final long DAY_MILLIS = 24L * 3600 * 1000;
  private final Database db;
  private final ConversationStore conversations;
  private final ReplyParser parser;
  private final OutboundQueue queue;
  private final ReplyLimits limits;
  private final InstantSource clock;

  public ReplySubmission(Database db, ConversationStore conversations, ReplyParser parser, OutboundQueue queue,
                         ReplyLimits limits, InstantSource clock) {
    this.db = db;
    this.limits = limits;
    this.conversations = conversations;
    this.parser = parser;
    this.queue = queue;
    this.clock = clock;
  }

  /**
   * @param format how the body's text is written: the agent's format for its reply_callback, else auto
   * @param answeringWamid the customer message a reaction without message_id targets, or null
   * @param key an Idempotency-Key and the resource it is unique within, or null
   */
  public List<Queued> submit(Conversation c, Author author, String contentType, byte[] body, TextFormat format,
                             String answeringWamid, IdempotencyKey key) {
    List<Draft> drafts = drafts(contentType, body, parser.writtenIn(format));
    for (Draft d : drafts) {
      if (d instanceof Invalid inv) {
        throw new Refused(Refused.Reason.INVALID, "invalid_content", inv.message());
      }
      String refusal = d instanceof Draft.Outgoing o ? OutboundQueue.refusal(c, o) : null;
      if (refusal != null) {
        throw new Refused(Refused.Reason.INVALID, "invalid_content", refusal);
      }
    }
    if (drafts.isEmpty()) {
      return List.of();
    }
    if (key != null) {
      // A retry of an accepted request gets its first answer, even when the caps would refuse it now.
      Optional<String> previous = db.jdbi().withHandle(h -> previous(h, key));
      if (previous.isPresent()) {
        return current(fromJson(previous.get()));
      }
    }
    if (conversations.agentDeleted(c)) {
      throw AgentDeleted.of(c, author, conversations.successor(c).orElse(null));
    }
    limits.check(c.workspaceId(), drafts);
    return db.writer(c.customerKey()).execute(h -> {
      if (key != null) {
        Optional<String> previous = previous(h, key);
        if (previous.isPresent()) {
          return current(fromJson(previous.get()), h);
        }
      }
      long now = clock.millis();
      Conversation fresh = conversations.byId(h, c.id()).orElse(c);
      Sql.Later later = Sql.later(h, db.dialect());
      if (author == Author.AGENT && fresh.handoff()) {
        throw new HandedOff();
      }
      List<Queued> queued = queue.enqueue(later, fresh, drafts, author, answeringWamid, now, DirectStart.none());
      later.run();
      if (key != null) {
        h.createUpdate("INSERT INTO idempotency_keys(scope, idem_key, response, created_at) VALUES (:s, :k, :r, :now) "
                + "ON CONFLICT (scope, idem_key) DO NOTHING")
            .bind("s", key.scope()).bind("k", key.key()).bind("r", Json.string(view(queued))).bind("now", now)
            .execute();
      }
      return queued;
    });
  }

  /** For the housekeeper: idempotency keys are kept two days, past the 24 h a reply_callback lives. */
  public static void purgeIdempotencyKeys(org.jdbi.v3.core.Handle h, long now) {
    h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :t").bind("t", now - 2 * DAY_MILLIS).execute();
  }

  private static Optional<String> previous(org.jdbi.v3.core.Handle h, IdempotencyKey key) {
    return h.createQuery("SELECT response FROM idempotency_keys WHERE scope = :s AND idem_key = :k")
        .bind("s", key.scope()).bind("k", key.key()).mapTo(String.class).findOne();
  }

  /** The agent wrote through its reply_callback while a person has the conversation: nothing was stored or sent. */
  public static final class HandedOff extends Refused {
    public HandedOff() {
      super(Reason.CONFLICT, "handed_off", "a person took over this conversation, so the agent's reply was not sent; the "
          + "agent is called again once the conversation is resumed (POST /api/conversations/{id}/resume)");
    }
  }

  /**
   * A replayed answer with each message's status as it is now (the first answer said "queued" for what has been
   * read since); a message that no longer exists keeps the status it was answered with.
   */
  private List<Queued> current(List<Queued> first) {
    Map<String, MessageStatus> now = conversations.statuses(first.stream().map(Queued::id).toList());
    return first.stream().map(q -> new Queued(q.id(), now.getOrDefault(q.id(), q.status()))).toList();
  }

  private List<Queued> current(List<Queued> first, org.jdbi.v3.core.Handle h) {
    return first.stream().map(q -> new Queued(q.id(), conversations.status(h, q.id()).orElse(q.status()))).toList();
  }

  /**
   * The conversation's agent was deleted: nothing is sent. The conversation stays as history, but the customer's
   * next messages go to the agent now on the number (or wait for one), in another conversation; a reply sent here
   * would leave the customer answering a thread nobody reads. An agent's reply_callback stops with it.
   */
  public static final class AgentDeleted extends Refused {
    private AgentDeleted(String message) {
      super(Reason.CONFLICT, "agent_deleted", message);
    }

    static AgentDeleted of(Conversation c, Author author, Conversation successor) {
      String gone = "agent " + c.agentId() + " of this conversation was deleted";
      if (author == Author.AGENT) {
        return new AgentDeleted(gone + ", so its reply_callback URLs send nothing any more");
      }
      String where = successor != null
          ? "the customer's messages now arrive in conversation " + successor.id() + ": send there (POST "
              + "/api/conversations/" + successor.id() + "/messages)"
          : "the customer's next message opens a new conversation on this number (with the agent deployed on it, "
              + "or waiting for one): answer there";
      return new AgentDeleted(gone + "; the conversation is kept as history and sends nothing, because the "
          + "customer's replies would not come back to it. " + Character.toUpperCase(where.charAt(0))
          + where.substring(1));
    }
  }

  /** An {@code Idempotency-Key} header and the resource it is unique within. */
  public record IdempotencyKey(String scope, String key) {
    public static IdempotencyKey of(String scope, String header) {
      if (header == null || header.isBlank()) {
        return null;
      }
      if (header.length() > 255) {
        throw new Refused(Refused.Reason.MALFORMED, "invalid_idempotency_key", "Idempotency-Key must be at most 255 characters");
      }
      return new IdempotencyKey(scope, header.trim());
    }
  }

  private static List<Draft> drafts(String contentType, byte[] body, ReplyParser parser) {
    if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
      return List.of();
    }
    String ct = contentType == null ? "" : contentType.toLowerCase();
    if (ct.startsWith("text/plain")) {
      return parser.parseResponse(200, ct, body);
    }
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (JacksonException e) {
      throw new Refused(Refused.Reason.MALFORMED, "invalid_json", "body is not valid JSON; send JSON, or text/plain for plain text");
    }
    return parser.parse(node);
  }

  public static ObjectNode view(List<Queued> queued) {
    ObjectNode o = Json.object();
    ArrayNode arr = o.putArray("messages");
    for (Queued q : queued) {
      ObjectNode m = arr.addObject();
      m.put("id", q.id());
      m.put("status", q.status().wire());
    }
    return o;
  }

  private static List<Queued> fromJson(String json) {
    JsonNode root = Json.parse(json);
    return root.get("messages").values().stream()
        .map(m -> new Queued(Json.text(m, "id"), MessageStatus.fromWire(Json.text(m, "status")))).toList();
  }
}
