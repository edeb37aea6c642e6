package dev.wabridge.agent;

import dev.wabridge.agent.AgentResult.Failed;
import dev.wabridge.agent.AgentResult.Replied;
import dev.wabridge.agent.TurnQueue.Claim;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.MessageWrites;
import dev.wabridge.conversation.Held;
import dev.wabridge.db.Database;
import dev.wabridge.db.Sql;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.outbound.ReplyLimits;
import dev.wabridge.outbound.SendWorker;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.queue.QueueWorker;
import dev.wabridge.reply.Draft;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.support.LogSafe;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what came of a turn and retires it in the same commit: the agent's reply queued (its first send may start
 * directly after the commit), or the failure recorded on the customer's message with the agent's fallback message
 * queued, or the messages held; a failure to be retried puts the turn back instead. Every call is logged in
 * {@code agent_calls}.
 */
public final class TurnOutcomes {
  private static final Logger LOG = LoggerFactory.getLogger(TurnOutcomes.class);

  private final Database db;
  private final TurnQueue turns;
  private final ConversationStore conversations;
  private final MessageWrites messageWrites = new MessageWrites();
  private final AgentCallLog calls;
  private final AgentReplies replies;
  private final OutboundQueue outbound;
  private final SendWorker sender;
  private final InstantSource clock;
  private QueueWorker<Claim> worker;

  public TurnOutcomes(Database db, TurnQueue turns, ConversationStore conversations, AgentCallLog calls,
                      AgentReplies replies, OutboundQueue outbound, SendWorker sender, InstantSource clock) {
    this.db = db;
    this.turns = turns;
    this.conversations = conversations;
    this.calls = calls;
    this.replies = replies;
    this.outbound = outbound;
    this.sender = sender;
    this.clock = clock;
  }

  /**
   * The worker that hands out turns to {@code run}. It is made here, once, because every turn ends here: this writer
   * retires each turn through it (and settles those that keep failing inside wabridge).
   */
  QueueWorker<Claim> worker(Consumer<Claim> run) {
    if (worker != null) {
      throw new IllegalStateException("the turn worker exists already");
    }
    worker = new QueueWorker<>("turn-dispatcher", db, turns, "turns", run, this::gaveUp, clock);
    return worker;
  }

  /** Its message, conversation, agent or number was deleted since the turn was queued. */
  void gone(Claim c) {
    worker.finish(null, c, later -> { });
  }

  /**
   * Queued before a person took over or the agent was paused: the messages wait, unanswered, like those that came
   * after.
   */
  void hold(Turn t, Held why) {
    worker.finish(t.conversation().customerKey(), t.claim(),
        later -> messageWrites.hold(later.handle(), t.claim().messageIds(), why, clock.millis()));
  }

  /** The agent answered: its reply is queued, within the limits; an unreadable one fails the turn. */
  void replied(Turn t, Replied r) {
    ReplyLimits.AgentReply reply;
    try {
      // Over the message cap or the workspace's queue quota, what does not go is recorded on the conversation.
      reply = replies.read(t.agent(), t.conversation(), r);
    } catch (ReplyParser.UnreadableReplyException e) {
      failed(t, new Failed("agent_bad_reply", e.getMessage(), false, r.millis()));
      return;
    }
    finishSending(t, (later, sends) -> {
      long now = clock.millis();
      log(later, t, reply.outcome(), r.millis(), reply.problem(), now);
      Conversation current = current(later, t.conversation(), now);
      outbound.enqueue(later, current, reply.send(), Author.AGENT, t.message().wamid(), now, sends);
      replies.recordRefused(later, current, reply, now);
    });
  }

  /** The call failed for good: recorded on the customer's message, and the agent's fallback message queued. */
  void failed(Turn t, Failed f) {
    long now = clock.millis();
    // The message may quote the agent's answer: a broken agent must not write log lines of its own.
    LOG.warn("agent {} call {} failed: {} {}", t.agent().id(), t.claim().id(), f.code(), LogSafe.text(f.message(), 300));
    List<Draft> fallback = replies.fallback(t.agent());
    finishSending(t, (later, sends) -> {
      log(later, t, f.code(), f.millis(), f.message(), now);
      for (String id : t.claim().messageIds()) {
        messageWrites.noteError(later.handle(), id, f.code(), f.message(), now);
      }
      if (!fallback.isEmpty()) {
        outbound.enqueue(later, current(later, t.conversation(), now), fallback, Author.FALLBACK,
            t.message().wamid(), now, sends);
      }
    });
  }

  /** The call failed and is tried again in {@code delayMillis}, under the same delivery id. */
  void retry(Turn t, Failed f, long delayMillis) {
    long now = clock.millis();
    Claim c = t.claim();
    LOG.info("agent {} call {} failed ({}); retry {} in {} ms", t.agent().id(), c.id(), f.code(), c.attempts() + 1,
        delayMillis);
    db.writer(t.conversation().customerKey()).execute(h -> {
      Sql.Later later = Sql.later(h, db.dialect());
      log(later, t, f.code(), f.millis(), f.message(), now);
      later.run();
      for (String id : c.messageIds()) {
        messageWrites.noteError(h, id, f.code(), "retrying: " + f.message(), now);
      }
      turns.retryLater(h, c, now + delayMillis);
      return null;
    });
    worker.wake();
  }

  /** A turn that kept failing inside wabridge: recorded on the customer's message, and the conversation moves on. */
  private void gaveUp(Claim c, RuntimeException e) {
    worker.finish(null, c, later -> {
      for (String id : c.messageIds()) {
        messageWrites.noteError(later.handle(), id, "internal_error", "wabridge could not process this message ("
            + e + "); it was logged", clock.millis());
      }
    });
  }

  private void log(Sql.Later later, Turn t, String outcome, long millis, String problem, long now) {
    calls.record(later, t.agent().id(), t.conversation().id(), t.message().id(), t.claim().id(),
        t.claim().attempts() + 1, outcome, millis, problem, now);
  }

  /**
   * The conversation as read before the call serves unless its window looks closed: the window only ever moves
   * later, so only then is it read again (inside the writer, where every read costs the hot path).
   */
  private Conversation current(Sql.Later later, Conversation conv, long now) {
    return conv.windowOpen(now) ? conv : conversations.byId(later.handle(), conv.id()).orElse(conv);
  }

  /** What retiring a turn writes besides; a reply it queues may start sending through {@code sends}. */
  @FunctionalInterface
  private interface Sending {
    void write(Sql.Later later, DirectStart<OutboundQueue.Claim> sends);
  }

  /** Retires the turn with {@code work} in one commit on the customer's writer, then lets the sender go. */
  private void finishSending(Turn t, Sending work) {
    DirectStart<OutboundQueue.Claim> sends = sender.directStart();
    worker.finish(t.conversation().customerKey(), t.claim(), sends, later -> work.write(later, sends));
    sender.wake();
  }
}
