package dev.wabridge.outbound;

import dev.wabridge.queue.Backoff;
import dev.wabridge.support.Json;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.MessageToSend;
import dev.wabridge.conversation.MessageWrites;
import dev.wabridge.support.LogSafe;
import dev.wabridge.media.OutboundMedia;
import dev.wabridge.support.Meters;
import dev.wabridge.support.Meters.SendOutcome;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.outbound.OutboundQueue.Claim;
import dev.wabridge.status.StatusApplier;
import dev.wabridge.db.Database;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.queue.QueueWorker;
import dev.wabridge.db.Sql;
import dev.wabridge.whatsapp.ErrorPolicy;
import dev.wabridge.whatsapp.GraphClient;
import dev.wabridge.whatsapp.GraphError;
import dev.wabridge.whatsapp.SendResult;
import java.time.InstantSource;
import tools.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes sends off the {@link OutboundQueue} and hands them to Meta: oldest first and one in flight per
 * conversation, many conversations in parallel. A retryable Graph error (by Meta's code) goes back in the queue
 * with backoff until the message's deadline; a permanent one fails the message with Meta's code and message.
 *
 * <p>Crash window: a send that Meta accepted but whose wamid was not yet committed is sent again after a crash.
 * The window is one Graph round trip plus one group commit (milliseconds).
 */
public final class SendWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SendWorker.class);
  /**
   * A pacing wait up to this long is slept in the send's slot (at 80 a second, a number's next token is 12.5 ms
   * away); a longer one, Meta's 6 s pair interval, gives the slot back. Not a knob: it only tells the pacer's two
   * kinds of wait apart.
   */
  private static final long SHORT_WAIT_MILLIS = 100;

  private final Database db;
  private final OutboundQueue queue;
  private final NumberStore numbers;
  private final ConversationStore conversations;
  private final MessageWrites messages = new MessageWrites();
  private final OutboundMedia media;
  private final SendPacer pacer;
  private final GraphClient graph;
  private final StatusApplier statuses;
  private final InstantSource clock;
  private final Meters meters;
  private final QueueWorker<Claim> worker;

  /** @param meta how a send reaches Meta: its pacing, its media and the Graph API */
  public SendWorker(Database db, OutboundQueue queue, NumberStore numbers, ConversationStore conversations,
                    MetaChannel meta, StatusApplier statuses, InstantSource clock, Meters meters) {
    this.db = db;
    this.pacer = meta.pacer();
    this.media = meta.media();
    this.graph = meta.graph();
    this.meters = meters;
    this.conversations = conversations;
    this.queue = queue;
    this.numbers = numbers;
    this.statuses = statuses;
    this.clock = clock;
    this.worker = new QueueWorker<>("send-worker", db, queue, "outbox", this::send,
        (c, e) -> fail(c, null, "internal_error", "wabridge could not send this message (" + e
            + "); it was logged", clock.millis()), clock);
  }

  public SendWorker start() {
    worker.start();
    return this;
  }

  /** A slot for a send that the transaction queueing it starts itself, if one is free. */
  public DirectStart<Claim> directStart() {
    return new DirectStart<>(worker);
  }

  /** New sends were committed. */
  public void wake() {
    worker.wake();
  }

  private void send(Claim c) {
    // A send started by the transaction that queued it carries its message: no read on the hot path. (If the
    // window it knew of has closed, the customer may have written since: the row says.)
    boolean carried = c.known() != null && Conversation.windowOpen(c.known().lastInboundAt(), clock.millis());
    Optional<MessageToSend> target = carried ? Optional.of(c.known()) : conversations.toSend(c.messageId());
    Optional<BusinessNumber> number = numbers.byId(c.numberId());
    long now = clock.millis();
    if (target.isEmpty() || number.isEmpty()) {
      fail(c, null, "number_removed", "the business number or conversation was deleted", now);
      return;
    }
    MessageToSend t = target.get();
    boolean template = "template".equals(t.type());
    if (!template && !Conversation.windowOpen(t.lastInboundAt(), now)) {
      fail(c, t.customerKey(), "window_closed", "the 24-hour service window closed before the message "
          + "could be sent; only a template can be sent now", now);
      return;
    }
    if (now > c.deadline()) {
      fail(c, t.customerKey(), "deadline_exceeded", "not delivered to Meta before its deadline", now);
      return;
    }
    if (!t.to().addressable()) {
      fail(c, t.customerKey(), "no_recipient", "Meta named no phone number, user id or group for this customer", now);
      return;
    }
    if (!paced(c, number.get(), t)) {
      return;
    }
    ObjectNode content = (ObjectNode) Json.parse(t.content());
    OutboundMedia.Prepared prepared = media.prepare(number.get(), t.workspaceId(), content);
    if (prepared instanceof OutboundMedia.Failed f) {
      onFailure(c, t.customerKey(), new SendResult.Failed(GraphError.network(f.code(), f.message()), f.retryable()), now);
      return;
    }
    OutboundMedia.Ready ready = (OutboundMedia.Ready) prepared;
    SendResult result = graph.send(number.get(), t.to(), ready.message(), c.messageId());
    long done = clock.millis();
    switch (result) {
      case SendResult.Accepted a -> finishAccepted(c, t.customerKey(), a,
          OutboundMedia.sent(content, ready), done);
      case SendResult.Failed f -> {
        if (ErrorPolicy.PAIR_RATE_LIMIT.equals(f.error().code())) {
          pacer.pairLimited(number.get().id(), t.customerKey());
        }
        onFailure(c, t.customerKey(), f, done);
      }
    }
  }

  /**
   * Meta has the message now: recording that must not fail into a retry that would send it again, so the write
   * is itself retried a few times before giving up to the lease (the documented at-least-once window).
   */
  private void finishAccepted(Claim c, String customer, SendResult.Accepted a, String media, long done) {
    meters.send(SendOutcome.ACCEPTED);
    for (int attempt = 1; ; attempt++) {
      try {
        recordAccepted(c, customer, a, media, done);
        return;
      } catch (RuntimeException e) {
        if (attempt == 3) {
          LOG.error("could not record that Meta accepted {} as {}; it may be sent again", c.messageId(), a.wamid(), e);
          return;
        }
      }
    }
  }

  /** @param media what the message's media was sent as ({@link OutboundMedia#sent}), or null */
  private void recordAccepted(Claim c, String customer, SendResult.Accepted a, String media, long done) {
    finish(c, customer, later -> {
      messages.markSent(later, c.messageId(), a.wamid(), media, done);
      if (a.wamid() != null) {
        statuses.applyEarly(later, a.wamid(), done);
      }
    });
  }

  /** Waits briefly for the number's and the pair's budget, or puts the send back until there is some. */
  private boolean paced(Claim c, BusinessNumber number, MessageToSend t) {
    for (int spins = 0; ; spins++) {
      long wait = pacer.reserve(number.id(), number.throughputMps(), t.customerKey());
      if (wait == 0) {
        return true;
      }
      if (wait > SHORT_WAIT_MILLIS || spins > 20) {
        meters.send(SendOutcome.PACED);
        long until = clock.millis() + wait;
        db.writer(t.customerKey()).execute(h -> {
          queue.delay(h, c.seq(), until);
          return null;
        });
        return false;
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private void onFailure(Claim c, String customer, SendResult.Failed f, long now) {
    GraphError e = f.error();
    if (f.retryable()) {
      long delay = ErrorPolicy.PAIR_RATE_LIMIT.equals(e.code())
          ? Backoff.pairRateMillis(c.attempts())
          : Backoff.delayMillis(c.attempts(), 1_000, 5 * 60_000);
      if (now + delay < c.deadline()) {
        meters.send(SendOutcome.RETRIED);
        LOG.info("send of {} got {} ({}); retry {} in {} ms", c.messageId(), e.code(),
            LogSafe.text(e.describe(), 300), c.attempts() + 1, delay);
        db.writer(customer).execute(h -> {
          noteAttempt(h, c, e, now);
          queue.retryLater(h, c, now + delay);
          return null;
        });
        return;
      }
    }
    meters.send(SendOutcome.FAILED);
    LOG.warn("send of {} failed: {} {}", c.messageId(), e.code(), LogSafe.text(e.describe(), 300));
    fail(c, customer, e.code(), e.describe(), now);
  }

  private void noteAttempt(org.jdbi.v3.core.Handle h, Claim c, GraphError e, long now) {
    messages.noteError(h, c.messageId(), e.code(), "retrying: " + e.describe(), now);
  }

  /** Fails the message for good (Meta's code, or ours) and retires its send. */
  private void fail(Claim c, String customer, String code, String message, long now) {
    finish(c, customer, later -> messages.fail(later.handle(), c.messageId(), code, message, now));
  }

  /** Retires the send with {@code work}, on the customer's writer (null when the conversation is gone). */
  private void finish(Claim c, String customer, java.util.function.Consumer<Sql.Later> work) {
    worker.finish(customer, c, work);
  }

  @Override
  public void close() {
    worker.close();
  }
}
