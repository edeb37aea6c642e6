package dev.wabridge.inbound;

import dev.wabridge.db.WriteBatcher;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.HeldMessages;
import dev.wabridge.agent.TurnQueue;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.InboundRecorder;
import dev.wabridge.conversation.Held;
import dev.wabridge.conversation.IdentityUpdates;
import dev.wabridge.media.MediaPrefetcher;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.support.LogSafe;
import dev.wabridge.whatsapp.WebhookEvent.IdentityChange;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a customer's message in its agent's conversation, inside the webhook's commit: a new one gets the agent's
 * turn (behind what waited in the conversation), one nobody answers now is held with the number's away message, and
 * WhatsApp's own notices may say who the customer is now. A wamid seen before is a duplicate and stored once.
 */
public final class InboundMessages {
  private static final Logger LOG = LoggerFactory.getLogger(InboundMessages.class);

  /** What became of one message. */
  enum Stored { ACCEPTED, DUPLICATE, UNROUTED }

  private final NumberStore numbers;
  private final WebhookIntake.AgentRouter router;
  private final InboundRecorder conversations;
  private final TurnQueue turns;
  private final HeldMessages held;
  private final AwayMessage away;
  private final MediaPrefetcher media;
  private final IdentityUpdates identities = new IdentityUpdates();

  /**
   * @param held releases what waited in a conversation before the customer's next message goes to the agent
   * @param media downloads a message's media once it is committed
   */
  public InboundMessages(NumberStore numbers, WebhookIntake.AgentRouter router, InboundRecorder conversations,
                         TurnQueue turns, HeldMessages held, AwayMessage away, MediaPrefetcher media) {
    this.numbers = numbers;
    this.router = router;
    this.conversations = conversations;
    this.turns = turns;
    this.held = held;
    this.away = away;
    this.media = media;
  }

  /**
   * Stores {@code m}; what may start only once it is committed goes to {@code attempt}'s after-commit hooks, and its turn may be
   * started directly through {@code direct}.
   */
  Stored record(Handle h, InboundMessage m, WriteBatcher.Attempt attempt, DirectStart<TurnQueue.Claim> direct,
                long now) {
    Optional<BusinessNumber> number = numbers.findByPhoneNumberId(m.phoneNumberId());
    Optional<Agent> agent = number.flatMap(n -> router.route(n, m));
    if (number.isEmpty() || !m.customer().known()
        || agent.isEmpty() && number.get().shared()) {
      // No number: its signature was checked, so it was deleted since. No customer: Meta always names one.
      // The shared test number: every simulated customer writes to an agent.
      LOG.warn("message {} to phone_number_id {} {}; it was not stored", LogSafe.text(m.wamid(), 128),
          m.phoneNumberId(), number.isEmpty() ? "names no registered number"
              : !m.customer().known() ? "names no customer (no from, from_user_id or group_id)"
              : "came from a sandbox phone that has no agent");
      return Stored.UNROUTED;
    }
    BusinessNumber n = number.get();
    String workspace = agent.map(Agent::workspaceId).orElse(n.workspaceId());
    boolean system = "system".equals(m.type());
    Held why = system ? null : agent.isEmpty() ? Held.NO_AGENT
        : !agent.get().answersOn(n) ? Held.AGENT_PAUSED : null;
    var recorded = conversations.recordInbound(h, workspace, agent.map(Agent::id).orElse(null), n.id(), m, why,
        system ? Author.SYSTEM : Author.CUSTOMER, now);
    if (recorded.isEmpty()) {
      return Stored.DUPLICATE;
    }
    String messageId = recorded.get().messageId();
    attempt.afterCommit(() -> media.prefetch(messageId, n, workspace, m.type(), m.message()));
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
    return Stored.ACCEPTED;
  }

  /** A customer's new identity (user id, phone), in every conversation of {@code workspaceId} that knew the old. */
  void changeIdentity(Handle h, String workspaceId, IdentityChange c) {
    identities.apply(h, workspaceId, new IdentityUpdates.Change(c.previousUserId(), c.previousPhone(), c.userId(),
        c.phone()));
  }
}
