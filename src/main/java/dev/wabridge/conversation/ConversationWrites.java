package dev.wabridge.conversation;

import static dev.wabridge.conversation.ConversationRows.NO_AGENT;
import static dev.wabridge.conversation.ConversationRows.byId;
import static dev.wabridge.conversation.ConversationRows.find;

import dev.wabridge.db.Sql;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Writes on a conversation's row outside the recording of a customer's message: who has it (the agent that adopts it,
 * a person who takes it over), its activity, and its away message. Each runs in the caller's transaction; those whose
 * outcome nothing reads take the caller's {@link Sql.Later}, so they go in its group commit.
 */
public final class ConversationWrites {
  /**
   * Gives a conversation that had no agent (a customer wrote to a number no agent answered) to the agent now on its
   * number: it becomes the agent's, or, when the agent already has a conversation with the customer there, its
   * messages (and anything queued for it) move into that one, which keeps the order (seq is global), and it is
   * deleted. Returns the conversation the messages are in now. The caller holds the customer's writer.
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
    for (String table : List.of("messages", "outbox", "turns", "agent_calls")) {
      Sql.update(h, "UPDATE " + table + " SET conversation_id = ? WHERE conversation_id = ?", into.id(),
          withoutAgent.id());
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

  /** The later of two times, either of which may be unknown. */
  static Long latest(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  /**
   * Hands a conversation to a person ({@code handoff}) or back to its agent. Handing back says the person handled
   * it: the messages that waited unanswered while they had it (and any that waited before) are no longer held, so
   * no replay answers them again; the agent is called for what the customer writes from then on.
   */
  public void setHandoff(Handle h, String conversationId, boolean handoff, long now) {
    if (!handoff) {
      Sql.update(h, "UPDATE messages SET held = NULL, updated_at = ? WHERE conversation_id = ? AND held IS NOT NULL "
          + "AND EXISTS (SELECT 1 FROM conversations WHERE id = ? AND handoff = 1)", now, conversationId,
          conversationId);
    }
    Sql.update(h, "UPDATE conversations SET handoff = ? WHERE id = ?", handoff ? 1 : 0, conversationId);
  }

  /** The conversation had activity now (an outbound message); this also locks its row until the commit. */
  public void touch(Sql.Later later, Conversation c, long now) {
    later.update("UPDATE conversations SET last_message_at = ? WHERE id = ?", now, c.id());
  }

  /** The number's away message was queued to the conversation now: not again for 24 hours. */
  public void awaySent(Sql.Later later, Conversation c, long now) {
    later.update("UPDATE conversations SET away_sent_at = ? WHERE id = ?", now, c.id());
  }
}
