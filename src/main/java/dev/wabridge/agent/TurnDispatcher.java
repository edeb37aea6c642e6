package dev.wabridge.agent;

import dev.wabridge.support.Json;
import dev.wabridge.agent.AgentResult.Failed;
import dev.wabridge.agent.AgentResult.Replied;
import dev.wabridge.agent.TurnQueue.Claim;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.MessageWrites;
import dev.wabridge.conversation.Held;
import dev.wabridge.conversation.Message;
import dev.wabridge.support.LogSafe;
import dev.wabridge.media.MediaPrefetcher;
import dev.wabridge.support.Meters;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.queue.Backoff;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.outbound.SendWorker;
import dev.wabridge.reply.CallbackTokens;
import dev.wabridge.reply.Draft;
import dev.wabridge.outbound.ReplyLimits;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.db.Database;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.queue.QueueWorker;
import dev.wabridge.db.Sql;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs agent turns: for each inbound message, in the order the customer sent them and one at a time per
 * conversation, marks it read with "typing…" (refreshed before Meta's 25 s expiry), calls the agent, and
 * queues its reply in the same transaction that retires the turn. Unreachable agents (refused, 502/503/504) are
 * retried under the same delivery id; a timeout or a final failure sends {@code fallback_message} and records
 * the failure on the customer's message.
 */
public final class TurnDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TurnDispatcher.class);
  private static final int MAX_ATTEMPTS = 5;

  private final Database db;
  private final TurnQueue turns;
  private final ConversationStore conversations;
  private final MessageWrites messageWrites = new MessageWrites();
  private final AgentStore agents;
  private final NumberStore numbers;
  private final AgentClient client;
  private final ReplyParser replies;
  private final ReplyLimits limits;
  private final OutboundQueue outbound;
  private final SendWorker sender;
  private final CallbackTokens tokens;
  private final String publicUrl;
  private final InstantSource clock;
  private final Meters meters;
  private final AgentCallLog calls;
  private final MediaPrefetcher media;
  private final Function<String, String> mediaLinks;
  private final QueueWorker<Claim> worker;
  private final TypingIndicator typing;

  public TurnDispatcher(Database db, TurnQueue turns, ConversationStore conversations, AgentStore agents,
                        NumberStore numbers, AgentClient client, ReplyParser replies, ReplyLimits limits,
                        OutboundQueue outbound, SendWorker sender, CallbackTokens tokens, String publicUrl,
                        AgentCallLog calls, MediaPrefetcher media, Function<String, String> mediaLinks,
                        TypingIndicator typing, InstantSource clock, Meters meters) {
    this.db = db;
    this.typing = typing;
    this.media = media;
    this.mediaLinks = mediaLinks;
    this.calls = calls;
    this.meters = meters;
    this.turns = turns;
    this.conversations = conversations;
    this.agents = agents;
    this.numbers = numbers;
    this.client = client;
    this.replies = replies;
    this.limits = limits;
    this.outbound = outbound;
    this.sender = sender;
    this.tokens = tokens;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.worker = new QueueWorker<>("turn-dispatcher", db, turns, "turns", this::run, this::giveUp, 512, clock);
  }

  public TurnDispatcher start() {
    worker.start();
    return this;
  }

  /** A slot for a turn that its intake transaction starts itself, if one is free. */
  public DirectStart<Claim> directStart() {
    return new DirectStart<>(worker);
  }

  /** New turns were committed. */
  public void wake() {
    worker.wake();
  }

  private void run(Claim c) {
    Optional<ConversationStore.MessageIn> read = conversations.messageIn(c.lastMessageId());
    Optional<Message> message = read.map(ConversationStore.MessageIn::message);
    Optional<Conversation> conversation = read.map(ConversationStore.MessageIn::conversation);
    Optional<Agent> agent = conversation.flatMap(conv -> agents.byId(conv.agentId()));
    Optional<BusinessNumber> number = conversation.flatMap(conv -> numbers.byId(conv.numberId()));
    if (message.isEmpty() || conversation.isEmpty() || agent.isEmpty() || number.isEmpty()) {
      finish(c, null, h -> { });
      return;
    }
    Conversation conv = conversation.get();
    Agent a = agent.get();
    Message m = message.get();
    if (conv.handoff() || !answers(a, conv.numberId())) {
      // Queued before a person took over or the agent was paused: the messages wait, unanswered, like those
      // that came after.
      Held why = conv.handoff() ? Held.HANDOFF : Held.AGENT_PAUSED;
      finish(c, conv, h -> messageWrites.hold(h, c.messageIds(), why, clock.millis()));
      return;
    }
    // Meta supports neither read receipts nor "typing…" in groups.
    TypingIndicator.Shown shown = conv.groupId() != null ? TypingIndicator.NONE
        : typing.show(number.get(), m.wamid(), a.timeoutSeconds() * 1000L);
    AgentResult result;
    try {
      List<Message> answered = new java.util.ArrayList<>();
      for (String id : c.messageIds()) {
        Message each = id.equals(m.id()) ? m : conversations.message(id).orElse(null);
        if (each != null) {
          answered.add(fetchMedia(number.get(), conv, each));
        }
      }
      byte[] payload = AgentPayload.build(a, conv, answered, publicUrl + "/api/callback/" + tokens.tokenFor(m.id()),
          mediaLinks, c.replayed());
      result = client.call(a, c.id(), payload);
    } finally {
      shown.stop();
    }
    switch (result) {
      case Replied r -> meters.agentCall("replied", r.millis());
      case Failed f -> meters.agentCall(f.code(), f.millis());
    }
    switch (result) {
      case Replied r -> onReply(c, conv, m, a, r);
      case Failed f -> onFailure(c, conv, m, a, f);
    }
  }

  /** A turn that kept failing inside wabridge: recorded on the customer's message, and the conversation moves on. */
  private void giveUp(Claim c, RuntimeException e) {
    finish(c, null, h -> {
      for (String id : c.messageIds()) {
        messageWrites.noteError(h, id, "internal_error", "wabridge could not process this message (" + e
            + "); it was logged", clock.millis());
      }
    });
  }

  /** The customer's media, downloaded at intake (or now, after a restart), as the message carries it. */
  private Message fetchMedia(BusinessNumber number, Conversation conv, Message m) {
    if (m.media() != null || m.content() == null) {
      return m;
    }
    String json = media.mediaFor(m.id(), number, conv.workspaceId(), m.type(), Json.parse(m.content()));
    if (json == null) {
      return m;
    }
    return m.withMedia(json);
  }

  /**
   * The conversation as read before the call serves unless its window looks closed: the window only ever moves
   * later, so only then is it read again (inside the writer, where every read costs the hot path).
   */
  private Conversation current(org.jdbi.v3.core.Handle h, Conversation conv, long now) {
    return conv.windowOpen(now) ? conv : conversations.byId(h, conv.id()).orElse(conv);
  }

  /** A deployed agent answers; on the shared sandbox number a draft agent does too, so it can be tried first. */
  public static boolean answers(Agent a, String numberId) {
    return a.deployed() || NumberStore.SANDBOX_ID.equals(numberId) && Agent.DRAFT.equals(a.status());
  }

  private void onReply(Claim c, Conversation conv, Message m, Agent a, Replied r) {
    List<Draft> drafts;
    try {
      drafts = replies.writtenIn(a.format()).parseResponse(r.status(), r.contentType(), r.body());
    } catch (ReplyParser.UnreadableReplyException e) {
      onFailure(c, conv, m, a, new Failed("agent_bad_reply", e.getMessage(), false, r.millis()));
      return;
    }
    // Over the message cap or the workspace's queue quota, what does not go is recorded on the conversation.
    ReplyLimits.AgentReply reply = limits.forAgent(conv.workspaceId(), drafts);
    finish(c, conv, (later, sends) -> {
      long now = clock.millis();
      calls.record(later, a.id(), conv.id(), m.id(), c.id(), c.attempts() + 1, reply.outcome(), r.millis(),
          reply.problem(), now);
      Conversation current = current(later.handle(), conv, now);
      outbound.enqueue(later, current, reply.send(), Author.AGENT, m.wamid(), now, sends);
      limits.recordRefused(later, current, reply, now);
    });
  }

  private void onFailure(Claim c, Conversation conv, Message m, Agent a, Failed f) {
    long now = clock.millis();
    if (f.retryable() && c.attempts() + 1 < MAX_ATTEMPTS) {
      long delay = Backoff.delayMillis(c.attempts(), 1_000, 60_000);
      LOG.info("agent {} call {} failed ({}); retry {} in {} ms", a.id(), c.id(), f.code(), c.attempts() + 1, delay);
      db.writer(conv.customerKey()).execute(h -> {
        Sql.Later later = Sql.later(h, db.dialect());
        calls.record(later, a.id(), conv.id(), m.id(), c.id(), c.attempts() + 1, f.code(), f.millis(), f.message(),
            now);
        later.run();
        messageWrites.noteError(h, m.id(), f.code(), "retrying: " + f.message(), now);
        turns.retryLater(h, c, now + delay);
        return null;
      });
      worker.wake();
      return;
    }
    // The message may quote the agent's answer: a broken agent must not write log lines of its own.
    LOG.warn("agent {} call {} failed: {} {}", a.id(), c.id(), f.code(), LogSafe.text(f.message(), 300));
    finish(c, conv, (later, sends) -> {
      calls.record(later, a.id(), conv.id(), m.id(), c.id(), c.attempts() + 1, f.code(), f.millis(), f.message(),
          now);
      messageWrites.noteError(later.handle(), m.id(), f.code(), f.message(), now);
      if (a.fallbackMessage() != null && !a.fallbackMessage().isBlank()) {
        outbound.enqueue(later, current(later.handle(), conv, now), replies.textDrafts(a.fallbackMessage()),
            Author.FALLBACK, m.wamid(), now, sends);
      }
    });
  }

  private void finish(Claim c, Conversation conv, java.util.function.Consumer<org.jdbi.v3.core.Handle> work) {
    finish(c, conv, (later, sends) -> work.accept(later.handle()));
  }

  /** What retiring a turn writes besides; writes whose outcome nothing reads go in {@code later}. */
  @FunctionalInterface
  private interface Finish {
    void run(Sql.Later later, DirectStart<OutboundQueue.Claim> sends);
  }

  /**
   * Retires the turn with {@code work} in one commit, on the customer's writer ({@code conv} null when it is
   * gone); a reply the work queues may start sending directly.
   */
  private void finish(Claim c, Conversation conv, Finish work) {
    DirectStart<OutboundQueue.Claim> sends = sender.directStart();
    try {
      db.writer(conv == null ? null : conv.customerKey()).execute(h -> {
        sends.reset();
        Sql.Later later = Sql.later(h, db.dialect());
        turns.done(later, c);
        work.run(later, sends);
        later.run();
        return null;
      });
    } catch (RuntimeException e) {
      sends.cancel();
      throw e;
    }
    sends.committed();
    sender.wake();
    worker.wake();
  }

  @Override
  public void close() {
    worker.close();
    typing.close();
  }
}
