package dev.wabridge.conversation;

import dev.wabridge.db.Sql;
import java.sql.Connection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The customers' messages that wait for an agent ({@link Held#NO_AGENT}, {@link Held#AGENT_PAUSED}), as their
 * release ({@code agent.HeldMessages}) finds and clears them. Only those received within the last 24 hours are read
 * (the partial index messages_held_since serves it); those a person has ({@link Held#HANDOFF}) are never released
 * here. Reads take a pooled connection or the release's handle; the release runs in the caller's transaction.
 */
public final class HeldMessageStore {
  /** Held messages (not for a person) received since a time: the partial index messages_held_since serves it. */
  private static final String RECENTLY_HELD = "m.held IS NOT NULL AND m.held <> 'handoff' AND m.created_at > ?";

  /** A held message as its replay needs it: the raw message (Meta's timestamp is in it) and when it arrived. */
  public record HeldMessage(String id, String content, long createdAt) {
  }

  /** A conversation, not handed off, in which messages received since the time asked wait: whose it is and where. */
  public record Waiting(String conversationId, String agentId, String numberId) {
  }

  /** The agent's conversations on the number in which messages received since {@code since} wait. */
  public List<String> conversationsHeldFor(Connection c, String agentId, String numberId, long since) {
    return Sql.list(c, "SELECT DISTINCT m.conversation_id FROM messages m "
            + "JOIN conversations c ON c.id = m.conversation_id WHERE " + RECENTLY_HELD
            + " AND c.agent_id = ? AND c.number_id = ?", rs -> rs.getString("conversation_id"), since, agentId,
        numberId);
  }

  /**
   * Every conversation on one of {@code numberIds} (at most {@link #MAX_NUMBERS}) not handed off, in which messages
   * received since {@code since} wait, with its agent (null for none) and number: the caller keeps those an agent
   * answers now. Only numbers with a deployed agent are asked for, so that messages waiting for a paused agent, or
   * on a number no agent answers, are not read again at every sweep.
   */
  public List<Waiting> waiting(Connection c, long since, List<String> numberIds) {
    if (numberIds.isEmpty()) {
      return List.of();
    }
    if (numberIds.size() > MAX_NUMBERS) {
      throw new IllegalArgumentException("at most " + MAX_NUMBERS + " numbers at once");
    }
    List<Object> args = new java.util.ArrayList<>(numberIds.size() + 1);
    args.add(since);
    args.addAll(numberIds);
    return Sql.listWith(c, "SELECT DISTINCT c.id, c.agent_id, c.number_id FROM messages m JOIN conversations c "
            + "ON c.id = m.conversation_id WHERE " + RECENTLY_HELD + " AND c.handoff = 0 AND c.number_id IN ("
            + String.join(", ", java.util.Collections.nCopies(numberIds.size(), "?")) + ")",
        rs -> {
          String agent = rs.getString("agent_id");
          return new Waiting(rs.getString("id"), ConversationRows.NO_AGENT.equals(agent) ? null : agent,
              rs.getString("number_id"));
        }, args);
  }

  /** The most numbers one {@link #waiting} reads (bound parameters stay far below every database's limit). */
  public static final int MAX_NUMBERS = 500;

  /** The conversation's held messages that its customer wrote, received since {@code since}, oldest first. */
  public List<HeldMessage> heldSince(Handle h, String conversationId, long since) {
    return Sql.list(h, "SELECT m.id, m.content, m.created_at FROM messages m "
            + "WHERE m.conversation_id = ? AND " + RECENTLY_HELD + " AND m.author = 'customer' ORDER BY m.seq",
        rs -> new HeldMessage(rs.getString("id"), rs.getString("content"), rs.getLong("created_at")), conversationId,
        since);
  }

  /** The messages no longer wait: their turns were queued in the same transaction. */
  public void release(Handle h, List<String> messageIds, long now) {
    Sql.batch(h, "UPDATE messages SET held = NULL, updated_at = ? WHERE id = ?", messageIds,
        id -> List.of(now, id));
  }
}
