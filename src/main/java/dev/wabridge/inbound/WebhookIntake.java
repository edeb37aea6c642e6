package dev.wabridge.inbound;

import dev.wabridge.support.LogSafe;
import dev.wabridge.whatsapp.WebhookEvent;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.agent.HeldMessages;
import dev.wabridge.agent.TurnQueue;
import dev.wabridge.agent.TurnDispatcher;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.InboundRecorder;
import dev.wabridge.whatsapp.Customer;
import dev.wabridge.conversation.Held;
import dev.wabridge.conversation.IdentityUpdates;
import dev.wabridge.whatsapp.WebhookEvent.IdentityChange;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.whatsapp.WebhookEvent.OutOfBandError;
import dev.wabridge.whatsapp.WebhookEvent.StatusUpdate;
import dev.wabridge.media.MediaPrefetcher;
import dev.wabridge.support.Meters;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.outbound.OutboundQueue;
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
  private final AgentRouter router;
  private final InboundRecorder conversations;
  private final TurnQueue turns;
  private final Supplier<DirectStart<TurnQueue.Claim>> directTurns;
  private final StatusApplier statuses;
  private final InstantSource clock;
  private final Meters meters;
  private final MediaPrefetcher media;
  private final HeldMessages held;
  private final AwayMessage away;
  private final IdentityUpdates identities = new IdentityUpdates();

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
   * @param held releases what waited in a conversation before the customer's next message goes to the agent
   * @param outbound queues a number's away message
   */
  public WebhookIntake(Database db, NumberStore numbers, AgentRouter router, InboundRecorder conversations,
                       TurnQueue turns, Supplier<DirectStart<TurnQueue.Claim>> directTurns, HeldMessages held,
                       OutboundQueue outbound, StatusApplier statuses, MediaPrefetcher media, InstantSource clock,
                       Meters meters) {
    this.held = held;
    this.away = new AwayMessage(outbound, db.dialect());
    this.directTurns = directTurns;
    this.meters = meters;
    this.media = media;
    this.db = db;
    this.numbers = numbers;
    this.router = router;
    this.conversations = conversations;
    this.turns = turns;
    this.statuses = statuses;
    this.clock = clock;
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
    private final List<Runnable> afterCommit = new java.util.ArrayList<>();
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
      future = writer.submit(h -> {
        afterCommit.clear();
        direct.reset();
        return record(h, events, afterCommit, direct, signedFor);
      });
      return this;
    }

    Outcome await() {
      Outcome outcome;
      try {
        outcome = future.join();
      } catch (java.util.concurrent.CompletionException e) {
        direct.cancel();
        throw e.getCause() instanceof RuntimeException re ? re : e;
      }
      direct.committed();
      for (Runnable r : afterCommit) {
        try {
          r.run();
        } catch (RuntimeException e) {
          // Committed already; the turn downloads the media itself if the prefetch could not start.
          LOG.warn("could not start a media download after a webhook committed", e);
        }
      }
      return outcome;
    }
  }

  private Outcome record(Handle h, List<WebhookEvent> events, List<Runnable> afterCommit,
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
          Optional<BusinessNumber> number = numbers.findByPhoneNumberId(m.phoneNumberId());
          Optional<Agent> agent = number.flatMap(n -> router.route(n, m));
          if (number.isEmpty() || !m.customer().known()
              || agent.isEmpty() && NumberStore.SANDBOX_ID.equals(number.get().id())) {
            // No number: its signature was checked, so it was deleted since. No customer: Meta always names one.
            // The sandbox's own number: every simulated customer writes to an agent.
            unrouted++;
            LOG.warn("message {} to phone_number_id {} {}; it was not stored", LogSafe.text(m.wamid(), 128),
                m.phoneNumberId(), number.isEmpty() ? "names no registered number"
                    : !m.customer().known() ? "names no customer (no from, from_user_id or group_id)"
                    : "came from a sandbox phone that has no agent");
            continue;
          }
          BusinessNumber n = number.get();
          String workspace = agent.map(Agent::workspaceId).orElse(n.workspaceId());
          boolean system = "system".equals(m.type());
          Held why = system ? null : agent.isEmpty() ? Held.NO_AGENT
              : !TurnDispatcher.answers(agent.get(), n.id()) ? Held.AGENT_PAUSED : null;
          var recorded = conversations.recordInbound(h, workspace, agent.map(Agent::id).orElse(null), n.id(), m, why,
              system ? Author.SYSTEM : Author.CUSTOMER, now);
          if (recorded.isEmpty()) {
            duplicates++;
            continue;
          }
          accepted++;
          String messageId = recorded.get().messageId();
          afterCommit.add(() -> media.prefetch(messageId, n, workspace, m.type(), m.message()));
          var conversation = recorded.get().conversation();
          if (system) {
            // WhatsApp's notice, not the customer's words: no agent turn, no away message; it may say who they are now.
            IdentityChange.of(m).ifPresent(c -> changeIdentity(h, workspace, c));
          } else if (recorded.get().held() == null) {
            if (recorded.get().heldBefore()) {
              held.releaseBefore(h, conversation, agent.get(), now);
            }
            turns.add(h, conversation.id(), messageId, agent.get().debounceMs(), now, direct);
          } else {
            away.queueIfDue(h, n, conversation, recorded.get().held(), m.wamid(), now);
          }
        }
        case IdentityChange c -> {
          if (c.phoneNumberId() != null) {
            numbers.findByPhoneNumberId(c.phoneNumberId()).filter(n -> !NumberStore.SANDBOX_ID.equals(n.id()))
                .ifPresent(n -> changeIdentity(h, n.workspaceId(), c));
          } else if (c.accountId() != null) {
            signedFor.apply(c.accountId()).forEach(ws -> changeIdentity(h, ws, c));
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

  private void changeIdentity(Handle h, String workspaceId, IdentityChange c) {
    identities.apply(h, workspaceId, new IdentityUpdates.Change(c.previousUserId(), c.previousPhone(), c.userId(),
        c.phone()));
  }
}
