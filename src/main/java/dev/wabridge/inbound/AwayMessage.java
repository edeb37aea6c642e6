package dev.wabridge.inbound;

import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationWrites;
import dev.wabridge.conversation.Held;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.db.Dialect;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.db.Sql;
import org.jdbi.v3.core.Handle;

/**
 * A number's {@code away_message}: the answer a customer gets when their message waits because no agent answers the
 * number or its agent is paused. Not while a person has the conversation (handoff): they answer. At most once per
 * 24 hours per conversation ({@code conversations.away_sent_at}), so a customer who writes five times hears it once;
 * queued in the transaction that stores the customer's message, formatted like an agent's text (as
 * {@code fallback_message} is), and sent to a group like any reply.
 */
public final class AwayMessage {
  private final OutboundQueue outbound;
  private final Dialect dialect;
  /** The away message is the business's own text, read as {@code auto} like a person's. */
  private final ReplyParser texts = new ReplyParser();
  private final ConversationWrites conversations = new ConversationWrites();

  public AwayMessage(OutboundQueue outbound, Dialect dialect) {
    this.outbound = outbound;
    this.dialect = dialect;
  }

  /**
   * Queues the number's away message for the customer's message just stored (its wamid {@code answering}) if it waits
   * for an agent and the conversation has not had one in the last 24 hours. The caller wakes the sender after the
   * commit.
   */
  void queueIfDue(Handle h, BusinessNumber number, Conversation c, Held held, String answering, long now) {
    String text = number.awayMessage();
    if (text == null || text.isBlank() || held != Held.NO_AGENT && held != Held.AGENT_PAUSED || !c.windowOpen(now)
        || c.awaySentAt() != null && now - c.awaySentAt() < Conversation.WINDOW_MILLIS) {
      return;
    }
    Sql.Later later = Sql.later(h, dialect);
    conversations.awaySent(later, c, now);
    outbound.enqueue(later, c, texts.textDrafts(text), Author.AWAY, answering, now, DirectStart.none());
    later.run();
  }
}
