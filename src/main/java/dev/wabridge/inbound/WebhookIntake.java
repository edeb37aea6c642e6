package dev.wabridge.inbound;

import dev.wabridge.support.LogSafe;
import dev.wabridge.whatsapp.WebhookEvent;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.agent.TurnQueue;
import dev.wabridge.whatsapp.Customer;
import dev.wabridge.whatsapp.WebhookEvent.IdentityChange;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.whatsapp.WebhookEvent.OutOfBandError;
import dev.wabridge.whatsapp.WebhookEvent.StatusUpdate;
import dev.wabridge.support.Meters;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.status.StatusApplier;
import dev.wabridge.db.Database;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.db.WriteBatcher;
import org.jdbi.v3.core.Handle;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a verified webhook's events durable in group commits: each new customer message is stored with its
 * agent turn, duplicates (a wamid seen before) are dropped, statuses are applied. Returns once committed, so
 * the 200 that follows promises the work will be done.
 */
public final class WebhookIntake {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

  /** What a webhook's events came to. */
  public record Outcome(int accepted, int duplicates, int statuses, int unrouted) {
    Outcome plus(Outcome o) {
      return new Outcome(accepted + o.accepted, duplicates + o.duplicates, statuses + o.statuses,
          unrouted + o.unrouted);
    }
  }

  private final Database db;
  private final NumberStore numbers;
  private final InboundMessages messages;
  private final Supplier<DirectStart<TurnQueue.Claim>> directTurns;
  private final StatusApplier statuses;
  private final InstantSource clock;
  private final Meters meters;

  /**
   * Chooses the agent whose conversation a customer's message on a number belongs to: the one answering it, or one
   * that is paused (the message then waits for it); empty when no agent is attached to the number.
   */
  @FunctionalInterface
  public interface AgentRouter {
    Optional<Agent> route(BusinessNumber number, InboundMessage message);

    static AgentRouter numberOwner(AgentStore agents) {
      return (number, message) -> agents.ownerFor(number.id());
    }
  }

  /**
   * @param messages stores each customer's message
   * @param directTurns a slot to start a message's turn directly after the commit, if one is free
   */
  public WebhookIntake(Database db, NumberStore numbers, InboundMessages messages,
                       Supplier<DirectStart<TurnQueue.Claim>> directTurns, StatusApplier statuses, InstantSource clock,
                       Meters meters) {
    this.db = db;
    this.numbers = numbers;
    this.messages = messages;
    this.directTurns = directTurns;
    this.statuses = statuses;
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * Commits the events; on PostgreSQL each customer's events go to their own writer ({@link Database#writer(String)})
   * and every part must commit before the webhook is acknowledged. If a part fails the webhook is answered with an
   * error and Meta sends it again: what did commit is then recognised by wamid, and statuses apply idempotently.
   */
  public Outcome accept(List<WebhookEvent> events) {
    return accept(events, account -> java.util.Set.of());
  }

  /**
   * As {@link #accept(List)}, where an account-level change about a customer (one that names no number) applies in
   * the workspaces {@code signedFor} gives for its account: those whose number for the account has the app secret
   * that signed the body.
   */
  public Outcome accept(List<WebhookEvent> events,
                        java.util.function.Function<String, java.util.Set<String>> signedFor) {
    java.util.Map<WriteBatcher, List<WebhookEvent>> parts = new java.util.LinkedHashMap<>();
    for (WebhookEvent e : events) {
      String customer = switch (e) {
        case InboundMessage m -> m.customer().key();
        case StatusUpdate s -> s.recipientId() != null ? Customer.phone(s.recipientId()) : s.recipientUserId();
        case IdentityChange c -> c.customerKey();
        default -> null;
      };
      parts.computeIfAbsent(db.writer(customer), w -> new java.util.ArrayList<>()).add(e);
    }
    List<Part> submitted = new java.util.ArrayList<>(parts.size());
    parts.forEach((writer, part) -> submitted.add(new Part(part, signedFor).submit(writer)));
    Outcome outcome = new Outcome(0, 0, 0, 0);
    RuntimeException failure = null;
    for (Part p : submitted) {
      try {
        outcome = outcome.plus(p.await());
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    meters.inbound(outcome.accepted(), outcome.duplicates(), outcome.unrouted(), outcome.statuses());
    return outcome;
  }

  /** One writer's share of a webhook, with the work its commit lets start. */
  private final class Part {
    private final List<WebhookEvent> events;
    private final DirectStart<TurnQueue.Claim> direct;
    private final java.util.function.Function<String, java.util.Set<String>> signedFor;
    private java.util.concurrent.CompletableFuture<Outcome> future;

    Part(List<WebhookEvent> events, java.util.function.Function<String, java.util.Set<String>> signedFor) {
      this.events = events;
      this.signedFor = signedFor;
      // A turn slot only where there is a customer's message to answer (status webhooks are most webhooks).
      this.direct = events.stream().anyMatch(e -> e instanceof InboundMessage) ? directTurns.get() : DirectStart.none();
    }

    Part submit(WriteBatcher writer) {
      future = direct.submit(writer, (h, attempt) -> record(h, events, attempt, direct, signedFor));
      return this;
    }

    Outcome await() {
      return WriteBatcher.join(future);
    }
  }

  private Outcome record(Handle h, List<WebhookEvent> events, WriteBatcher.Attempt attempt,
                         DirectStart<TurnQueue.Claim> direct,
                         java.util.function.Function<String, java.util.Set<String>> signedFor) {
    long now = clock.millis();
    int accepted = 0;
    int duplicates = 0;
    int statusCount = 0;
    int unrouted = 0;
    List<StatusUpdate> statusUpdates = new java.util.ArrayList<>();
    for (WebhookEvent e : events) {
      switch (e) {
        case InboundMessage m -> {
          switch (messages.record(h, m, attempt, direct, now)) {
            case ACCEPTED -> accepted++;
            case DUPLICATE -> duplicates++;
            case UNROUTED -> unrouted++;
          }
        }
        case IdentityChange c -> {
          if (c.phoneNumberId() != null) {
            numbers.findByPhoneNumberId(c.phoneNumberId()).filter(n -> !n.shared())
                .ifPresent(n -> messages.changeIdentity(h, n.workspaceId(), c));
          } else if (c.accountId() != null) {
            signedFor.apply(c.accountId()).forEach(ws -> messages.changeIdentity(h, ws, c));
          }
        }
        case StatusUpdate s -> {
          statusUpdates.add(s);
          statusCount++;
        }
        case OutOfBandError err -> LOG.warn("Meta reported error {} for phone_number_id {}: {} {}",
            LogSafe.text(err.code(), 16), err.phoneNumberId(), LogSafe.text(err.title(), 200),
            LogSafe.text(err.message(), 500));
        case WebhookEvent.IgnoredChange ignored -> {
          // account, template and call notifications are not ours to act on
        }
      }
    }
    if (!statusUpdates.isEmpty()) {
      // Numbers were looked up (and cached) when the signature was checked; a status applies only to its number's.
      statuses.applyAll(h, statusUpdates, pnid -> numbers.findByPhoneNumberId(pnid).map(BusinessNumber::id)
          .orElse(null), now);
    }
    return new Outcome(accepted, duplicates, statusCount, unrouted);
  }
}
