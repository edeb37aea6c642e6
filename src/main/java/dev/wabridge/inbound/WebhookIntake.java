package dev.wabridge.inbound;

import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.agent.TurnQueue;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.inbound.WebhookEvent.InboundMessage;
import dev.wabridge.inbound.WebhookEvent.OutOfBandError;
import dev.wabridge.inbound.WebhookEvent.StatusUpdate;
import dev.wabridge.media.MediaPrefetcher;
import dev.wabridge.metrics.Meters;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.status.StatusApplier;
import dev.wabridge.store.Database;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a verified webhook's events durable in one group commit: each new customer message is stored with its
 * agent turn, duplicates (a wamid seen before) are dropped, statuses are applied. Returns once committed, so
 * the 200 that follows promises the work will be done.
 */
public final class WebhookIntake {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

  /** What a webhook's events came to. */
  public record Outcome(int accepted, int duplicates, int statuses, int unrouted) {
  }

  private final Database db;
  private final NumberStore numbers;
  private final AgentRouter router;
  private final ConversationStore conversations;
  private final TurnQueue turns;
  private final StatusApplier statuses;
  private final InstantSource clock;
  private final Meters meters;
  private final MediaPrefetcher media;

  /** Chooses the agent that answers a customer on a number. */
  @FunctionalInterface
  public interface AgentRouter {
    Optional<Agent> route(BusinessNumber number, InboundMessage message);

    static AgentRouter deployedAgent(AgentStore agents) {
      return (number, message) -> agents.deployedFor(number.id());
    }
  }

  public WebhookIntake(Database db, NumberStore numbers, AgentRouter router, ConversationStore conversations,
                       TurnQueue turns, StatusApplier statuses, MediaPrefetcher media, InstantSource clock,
                       Meters meters) {
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

  public Outcome accept(List<WebhookEvent> events) {
    List<Runnable> afterCommit = new java.util.ArrayList<>();
    Outcome outcome = db.writer().execute(h -> {
      afterCommit.clear();
      long now = clock.millis();
      int accepted = 0;
      int duplicates = 0;
      int statusCount = 0;
      int unrouted = 0;
      for (WebhookEvent e : events) {
        switch (e) {
          case InboundMessage m -> {
            Optional<BusinessNumber> number = numbers.findByPhoneNumberId(m.phoneNumberId());
            Optional<Agent> agent = number.flatMap(n -> router.route(n, m));
            if (agent.isEmpty()) {
              unrouted++;
              LOG.warn("message {} to phone_number_id {} has no deployed agent; deploy one to answer it",
                  m.wamid(), m.phoneNumberId());
              continue;
            }
            var recorded = conversations.recordInbound(h, agent.get().workspaceId(), agent.get().id(),
                number.get().id(), m, now);
            if (recorded.isEmpty()) {
              duplicates++;
              continue;
            }
            accepted++;
            String messageId = recorded.get().messageId();
            BusinessNumber n = number.get();
            String workspace = agent.get().workspaceId();
            afterCommit.add(() -> media.prefetch(messageId, n, workspace, m.type(), m.message()));
            if (!recorded.get().conversation().handoff()) {
              turns.add(h, recorded.get().conversation().id(), recorded.get().messageId(), agent.get().debounceMs(),
                  now);
            }
          }
          case StatusUpdate s -> {
            statuses.apply(h, s, now);
            statusCount++;
          }
          case OutOfBandError err -> LOG.warn("Meta reported error {} for phone_number_id {}: {} {}", err.code(),
              err.phoneNumberId(), err.title(), err.message());
          case WebhookEvent.IgnoredChange ignored -> {
            // account, template and call notifications are not ours to act on
          }
        }
      }
      return new Outcome(accepted, duplicates, statusCount, unrouted);
    });
    afterCommit.forEach(Runnable::run);
    meters.inbound(outcome.accepted(), outcome.duplicates(), outcome.unrouted(), outcome.statuses());
    return outcome;
  }
}
