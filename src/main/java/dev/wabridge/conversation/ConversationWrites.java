package dev.wabridge.conversation;

import dev.wabridge.db.Sql;
import org.jdbi.v3.core.Handle;

/**
 * Writes on a conversation's row outside the recording of a customer's message: who has it (a person who takes it
 * over; an agent adopts it through {@link ConversationMerges}), its activity, and its away message. Each runs in the
 * caller's transaction; those whose outcome nothing reads take the caller's {@link Sql.Later}, so they go in its group
 * commit.
 */
public final class ConversationWrites {
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
