package dev.wabridge.outbound;

import dev.wabridge.media.OutboundMedia;
import dev.wabridge.support.Json;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.ConversationFollower;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.ConversationWrites;
import dev.wabridge.conversation.MessageToSend;
import dev.wabridge.conversation.MessageWrites;
import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.reply.Draft;
import dev.wabridge.reply.Draft.Invalid;
import dev.wabridge.reply.Draft.Outgoing;
import dev.wabridge.config.Tuning;
import dev.wabridge.db.Dialect;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.queue.LeasedQueue;
import static dev.wabridge.queue.QueueState.PENDING;
import static dev.wabridge.queue.QueueState.SENDING;
import dev.wabridge.db.Sql;
import dev.wabridge.whatsapp.Recipient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable send queue. A reply's messages are stored and queued in the caller's transaction, so an accepted
 * reply survives a crash. Rows leave the queue oldest first, one in flight per conversation ({@link SendWorker}); a
 * conversation's only row can be started by the transaction that queues it ({@link DirectStart}).
 */
public final class OutboundQueue implements LeasedQueue<OutboundQueue.Claim>, ConversationFollower {
  /** One queued or failed message, as the callback and send APIs report it. */
  public record Queued(String id, MessageStatus status) {
  }

  /**
   * A claimed send. {@code known} is what the sender needs, when the transaction that queued it had it at hand (a
   * send started directly); a send claimed from the queue has none and reads it ({@link ConversationStore#toSend}).
   */
  public record Claim(long seq, String messageId, String conversationId, String numberId, int attempts, long deadline,
                      MessageToSend known) {
    public Claim(long seq, String messageId, String conversationId, String numberId, int attempts, long deadline) {
      this(seq, messageId, conversationId, numberId, attempts, deadline, null);
    }
  }

  private final MessageWrites messages = new MessageWrites();
  private final ConversationWrites conversations = new ConversationWrites();
  private final Dialect dialect;
  private final Tuning.Queue settings;

  /** @param settings how the send worker works it ({@link Tuning#sends}) */
  public OutboundQueue(Dialect dialect, Tuning.Queue settings) {
    this.dialect = dialect;
    this.settings = settings;
  }

  @Override
  public Tuning.Queue settings() {
    return settings;
  }

  /**
   * Stores each draft as an outbound message and queues the valid ones, in order. Outside the 24-hour window
   * everything but templates fails at once with {@code window_closed}; invalid drafts fail with the reason. While
   * a person has the conversation (handoff), what the agent (or its fallback) wrote is stored as
   * {@code suppressed} and not sent.
   *
   * @param author who wrote the drafts
   * @param answeringWamid the customer's message being answered (a reaction without message_id targets it)
   */
  public List<Queued> enqueue(Sql.Later later, Conversation c, List<Draft> drafts, Author author,
                              String answeringWamid, long now, DirectStart<Claim> direct) {
    List<Queued> out = new ArrayList<>(drafts.size());
    if (drafts.isEmpty()) {
      return out;
    }
    // Lock the conversation's row (with whatever writes were held) before any of its sends is queued: another
    // node queueing to the same conversation waits here, so sends are queued in commit order and a send can be
    // started directly only when it really is the conversation's only one. (In one statement, PostgreSQL may run
    // the parts in any order, so the lock ends a statement; the next one, sent in the same round trip, runs after
    // it has the lock and sees what the other node committed.)
    conversations.touch(later, c, now);
    later.then();
    // Only the first send queued can be the conversation's only one; the ones after it wait behind it.
    DirectStart<Claim> first = direct;
    for (Draft d : drafts) {
      Queued q = enqueueOne(later, c, d, author, answeringWamid, now, first);
      out.add(q);
      if (q.status() == MessageStatus.QUEUED) {
        first = DirectStart.none();
      }
    }
    return out;
  }

  private Queued enqueueOne(Sql.Later later, Conversation c, Draft d, Author author, String answeringWamid, long now,
                            DirectStart<Claim> direct) {
    if (d instanceof Invalid inv) {
      String id = messages.insertUnsentOutbound(later, c, author, inv.type(), null, null, MessageStatus.FAILED,
          "invalid_content", inv.message(), now);
      return new Queued(id, MessageStatus.FAILED);
    }
    Outgoing o = (Outgoing) d;
    if (c.handoff() && (author == Author.AGENT || author == Author.FALLBACK)) {
      String id = messages.insertUnsentOutbound(later, c, author, o.type(), o.text(), Json.string(o.message()),
          MessageStatus.SUPPRESSED, "handed_off", MessageWrites.HANDED_OFF, now);
      return new Queued(id, MessageStatus.SUPPRESSED);
    }
    String refusal = refusal(c, o);
    if (refusal != null) {
      String id = messages.insertUnsentOutbound(later, c, author, o.type(), o.text(), Json.string(o.message()),
          MessageStatus.FAILED, "invalid_content", refusal, now);
      return new Queued(id, MessageStatus.FAILED);
    }
    ObjectNode message = o.message();
    if (o.type().equals("reaction")) {
      ObjectNode r = message.withObject("reaction");
      if (!r.has("message_id")) {
        if (answeringWamid == null) {
          String id = messages.insertUnsentOutbound(later, c, author, "reaction", o.text(), Json.string(message),
              MessageStatus.FAILED, "invalid_content",
              "message_id: is required (there is no customer message to react to)", now);
          return new Queued(id, MessageStatus.FAILED);
        }
        r.put("message_id", answeringWamid);
      }
    }
    String content = Json.string(message);
    boolean template = o.type().equals("template");
    if (!template && !c.windowOpen(now)) {
      String id = messages.insertUnsentOutbound(later, c, author, o.type(), o.text(), content, MessageStatus.FAILED,
          "window_closed", "the customer last wrote more than 24 hours ago; outside the service window only a template can be sent",
          now);
      return new Queued(id, MessageStatus.FAILED);
    }
    // The window is checked again before each attempt (it moves when the customer writes again), so the
    // deadline only bounds retries: a day, as for templates.
    long deadline = now + Conversation.WINDOW_MILLIS;
    String id = messages.insertOutbound(later, c, author, o.type(), o.text(), content, now);
    // The agent's words wait on a person who took over since the conversation was read (the handoff committed
    // before this transaction locked the conversation's row, so the statements below see it).
    boolean guarded = author == Author.AGENT || author == Author.FALLBACK;
    String notHandedOff = guarded ? MessageWrites.NOT_HANDED_OFF : "";
    if (guarded) {
      later.then();
      messages.suppressIfHandedOff(later, id, c.id(), now);
    }
    if (direct.available()) {
      // The message's INSERT goes along; the conversation is locked already (enqueue).
      List<Object> args = new ArrayList<>(List.of(id, c.id(), c.workspaceId(), c.numberId(), now, direct.leaseUntil(),
          deadline, now, c.id()));
      if (guarded) {
        args.add(c.id());
      }
      Optional<Long> seq = later.insertReturningWith("outbox", "INSERT INTO outbox(message_id, conversation_id, "
          + "workspace_id, number_id, state, attempts, not_before, lease_until, deadline, created_at) SELECT ?, ?, ?, ?, "
          + SENDING.sql() + ", 0, ?, ?, ?, ? "
          + "WHERE " + LeasedQueue.conversationIsEmpty("outbox") + notHandedOff + " RETURNING seq",
          rs -> rs.getLong("seq"), args).stream().findFirst();
      if (seq.isPresent()) {
        direct.take(new Claim(seq.get(), id, c.id(), c.numberId(), 0, deadline,
            new MessageToSend(o.type(), content, c.customerKey(), Recipient.of(c.customer()), c.lastInboundAt(),
                c.workspaceId(), c.agentId())));
        return new Queued(id, MessageStatus.QUEUED);
      }
    }
    if (guarded) {
      later.insert("outbox", "INSERT INTO outbox(message_id, conversation_id, workspace_id, number_id, state, attempts, "
          + "not_before, deadline, created_at) SELECT ?, ?, ?, ?, " + PENDING.sql() + ", 0, ?, ?, ? WHERE 1 = 1"
          + notHandedOff, id, c.id(), c.workspaceId(), c.numberId(), now, deadline, now, c.id());
    } else {
      later.insert("outbox", "INSERT INTO outbox(message_id, conversation_id, workspace_id, number_id, state, attempts, "
          + "not_before, deadline, created_at) VALUES (?, ?, ?, ?, " + PENDING.sql() + ", 0, ?, ?, ?)", id, c.id(),
          c.workspaceId(), c.numberId(), now, deadline, now);
    }
    return new Queued(id, MessageStatus.QUEUED);
  }

  /**
   * Why Meta would refuse this message to this conversation's customer (an interactive message to a group), as an
   * {@code invalid_content} reason naming the field; null when it may go.
   */
  public static String refusal(Conversation c, Outgoing o) {
    String why = Recipient.of(c.customer()).refusal(Json.text(o.message(), "type"));
    return why != null ? "type: " + why : OutboundMedia.tooManyLinks(o.message());
  }

  /** Claims up to {@code limit} conversation heads that are due, leasing them until {@code leaseUntil}. */
  @Override
  public List<Claim> claim(org.jdbi.v3.core.Handle h, long now, long leaseUntil, int limit) {
    List<Claim> claims = Sql.list(h, "SELECT o.seq, o.message_id, o.conversation_id, o.number_id, o.attempts, "
            + "o.deadline FROM outbox o WHERE o.state = " + PENDING.sql() + " AND o.not_before <= ? "
            + "AND " + LeasedQueue.oldestOfItsConversation("outbox", "o") + " "
            + "ORDER BY o.seq LIMIT ?" + dialect.skipLocked(),
        rs -> new Claim(rs.getLong("seq"), rs.getString("message_id"), rs.getString("conversation_id"),
            rs.getString("number_id"), rs.getInt("attempts"), rs.getLong("deadline")),
        now, limit);
    Sql.batch(h, "UPDATE outbox SET state = " + SENDING.sql() + ", lease_until = ? WHERE seq = ?", claims,
        c -> List.of(leaseUntil, c.seq()));
    return claims;
  }

  @Override
  public void done(Sql.Later later, Claim c) {
    later.update("DELETE FROM outbox WHERE seq = ?", c.seq());
  }

  @Override
  public int attempts(Claim c) {
    return c.attempts();
  }

  @Override
  public List<Long> rows(Claim c) {
    return List.of(c.seq());
  }

  @Override
  public void retryLater(org.jdbi.v3.core.Handle h, Claim c, long notBefore) {
    h.createUpdate("UPDATE outbox SET state = " + PENDING.sql() + ", attempts = attempts + 1, not_before = :nb, lease_until = NULL "
        + "WHERE seq = :seq").bind("nb", notBefore).bind("seq", c.seq()).execute();
  }

  /** Puts a send back for later without counting an attempt (pacing). */
  void delay(org.jdbi.v3.core.Handle h, long seq, long notBefore) {
    h.createUpdate("UPDATE outbox SET state = " + PENDING.sql() + ", not_before = :nb, lease_until = NULL WHERE seq = :seq")
        .bind("nb", notBefore).bind("seq", seq).execute();
  }

  /** Puts sends whose lease ran out (their node died mid-send) back in the queue. */
  @Override
  public int releaseExpired(org.jdbi.v3.core.Handle h, long now) {
    // As for turns: a row another transaction holds is skipped, not waited for.
    return h.createUpdate("UPDATE outbox SET state = " + PENDING.sql() + ", lease_until = NULL WHERE seq IN (SELECT seq FROM outbox "
        + "WHERE state = " + SENDING.sql() + " AND lease_until < :now" + dialect.skipLocked() + ")").bind("now", now).execute();
  }

  /** A merged conversation's sends go with it, into the conversation (and workspace) that has them now. */
  @Override
  public void move(org.jdbi.v3.core.Handle h, Conversation from, Conversation into) {
    Sql.update(h, "UPDATE outbox SET conversation_id = ?, workspace_id = ? WHERE conversation_id = ?", into.id(),
        into.workspaceId(), from.id());
  }

  /** At start on SQLite (one node by definition) every lease belongs to the previous, dead process. */
  @Override
  public int releaseAll(org.jdbi.v3.core.Handle h) {
    return h.createUpdate("UPDATE outbox SET state = " + PENDING.sql() + ", lease_until = NULL WHERE state = " + SENDING.sql()).execute();
  }

}
