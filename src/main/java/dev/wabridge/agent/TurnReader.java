package dev.wabridge.agent;

import dev.wabridge.agent.TurnQueue.Claim;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.Message;
import dev.wabridge.media.MediaPrefetcher;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.number.NumberStore;
import dev.wabridge.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prepares a turn's call: reads the turn (its messages, conversation, agent and number; all but the messages come
 * from caches) and writes the payload the agent is sent, with the customer's media as the message carries it.
 */
public final class TurnReader {
  private final ConversationStore conversations;
  private final AgentStore agents;
  private final NumberStore numbers;
  private final MediaPrefetcher media;
  private final PayloadLinks links;

  public TurnReader(ConversationStore conversations, AgentStore agents, NumberStore numbers, MediaPrefetcher media,
                    PayloadLinks links) {
    this.conversations = conversations;
    this.agents = agents;
    this.numbers = numbers;
    this.media = media;
    this.links = links;
  }

  /** The turn, or empty when its message, conversation, agent or number was deleted since it was queued. */
  Optional<Turn> read(Claim c) {
    Optional<ConversationStore.MessageIn> read = conversations.messageIn(c.lastMessageId());
    Optional<Message> message = read.map(ConversationStore.MessageIn::message);
    Optional<Conversation> conversation = read.map(ConversationStore.MessageIn::conversation);
    Optional<Agent> agent = conversation.flatMap(conv -> agents.byId(conv.agentId()));
    Optional<BusinessNumber> number = conversation.flatMap(conv -> numbers.byId(conv.numberId()));
    if (message.isEmpty() || conversation.isEmpty() || agent.isEmpty() || number.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Turn(c, conversation.get(), agent.get(), number.get(), message.get()));
  }

  /** What the agent is sent: every message of the turn, in order, with its media. */
  byte[] payload(Turn t) {
    Message last = t.message();
    List<Message> answered = new ArrayList<>();
    for (String id : t.claim().messageIds()) {
      Message each = id.equals(last.id()) ? last : conversations.message(id).orElse(null);
      if (each != null) {
        answered.add(withMedia(t, each));
      }
    }
    return AgentPayload.build(t.agent(), t.conversation(), answered, links.callbackFor(last.id()), links.media(),
        t.claim().replayed());
  }

  /** The customer's media, downloaded at intake (or now, after a restart), as the message carries it. */
  private Message withMedia(Turn t, Message m) {
    if (m.media() != null || m.content() == null) {
      return m;
    }
    String json = media.mediaFor(m.id(), t.number(), t.conversation().workspaceId(), m.type(),
        Json.parse(m.content()));
    return json == null ? m : m.withMedia(json);
  }
}
