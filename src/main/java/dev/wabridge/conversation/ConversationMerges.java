package dev.wabridge.conversation;

import static dev.wabridge.conversation.ConversationRows.NO_AGENT;
import static dev.wabridge.conversation.ConversationRows.byId;
import static dev.wabridge.conversation.ConversationRows.find;
import static dev.wabridge.conversation.ConversationWrites.latest;

import dev.wabridge.db.Sql;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Gives the conversations that had no agent to the agent that now answers their number, merging them into the
 * agent's own where it has one. Apart from {@link ConversationWrites} because a merge also moves the rows other
 * packages keep for the conversation: their owners ({@link ConversationFollower}s, given by the composition root) move
 * them, and one of them, the send queue, writes through {@link ConversationWrites} itself.
 */
public final class ConversationMerges {
  private final List<ConversationFollower> followers;

  /** @param followers the tables whose rows follow a merged conversation, moved in this order */
  public ConversationMerges(List<ConversationFollower> followers) {
    this.followers = List.copyOf(followers);
  }

  /**
   * Gives a conversation that had no agent (a customer wrote to a number no agent answered) to the agent now on its
   * number: it becomes the agent's, or, when the agent already has a conversation with the customer there, its
   * messages (and what the followers keep for it: queued sends, turns, calls) move into that one, which keeps the
   * order (seq is global), and it is deleted. Returns the conversation the messages are in now. The caller holds the
   * customer's writer; everything runs in its transaction.
   */
  public Conversation adopt(Handle h, Conversation orphan, String agentId) {
    Conversation withoutAgent = byId(h, orphan.id()).orElse(orphan);
    Optional<Conversation> target = find(h, agentId, withoutAgent.numberId(), withoutAgent.customerKey());
    if (target.isEmpty()) {
      Sql.update(h, "UPDATE conversations SET agent_id = ? WHERE id = ? AND agent_id = ?", agentId, withoutAgent.id(),
          NO_AGENT);
      return byId(h, withoutAgent.id()).orElseThrow();
    }
    Conversation into = target.get();
    Sql.update(h, "UPDATE messages SET conversation_id = ? WHERE conversation_id = ?", into.id(), withoutAgent.id());
    for (ConversationFollower f : followers) {
      f.move(h, withoutAgent, into);
    }
    // A person who took over either conversation keeps the merged one: its handoff-held messages stay theirs.
    Sql.update(h, "UPDATE conversations SET last_inbound_at = ?, last_message_at = ?, away_sent_at = ?, "
            + "customer_name = COALESCE(customer_name, ?), phone_number = COALESCE(phone_number, ?), "
            + "user_id = COALESCE(user_id, ?), username = COALESCE(username, ?), handoff = ? WHERE id = ?",
        latest(into.lastInboundAt(), withoutAgent.lastInboundAt()),
        Math.max(into.lastMessageAt(), withoutAgent.lastMessageAt()),
        latest(into.awaySentAt(), withoutAgent.awaySentAt()), withoutAgent.customerName(), withoutAgent.phoneNumber(),
        withoutAgent.userId(), withoutAgent.username(), into.handoff() || withoutAgent.handoff() ? 1 : 0, into.id());
    Sql.update(h, "DELETE FROM conversations WHERE id = ?", withoutAgent.id());
    return byId(h, into.id()).orElseThrow();
  }
}
