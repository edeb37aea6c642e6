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

  /** Which conversations a sweep asks for: those of these agents, or those without agent on these numbers. */
  public enum Whose {
    AGENTS("c.agent_id IN "),
    NO_AGENT_ON_NUMBERS("c.agent_id = '' AND c.number_id IN ");

    private final String condition;

    Whose(String condition) {
      this.condition = condition;
    }
  }

  /**
   * The conversations not handed off in which messages received since {@code since} wait, with their agent (null for
   * none) and number, among those of {@code ids} (at most {@link #MAX_IDS}) as {@code whose} says: the caller asks
   * only for deployed agents that replay and for numbers with a deployed agent, so that what waits for a paused
   * agent, or for no agent at all, is not read again at every sweep. The held messages are read first (their index
   * covers the last day only): {@code CROSS JOIN} keeps SQLite, which has no statistics, from starting at every
   * conversation ever held on the numbers instead.
   */
  public List<Waiting> waiting(Connection c, long since, Whose whose, List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    if (ids.size() > MAX_IDS) {
      throw new IllegalArgumentException("at most " + MAX_IDS + " ids at once");
    }
    List<Object> args = new java.util.ArrayList<>(ids.size() + 1);
    args.add(since);
    args.addAll(ids);
    return Sql.listWith(c, "SELECT DISTINCT c.id, c.agent_id, c.number_id FROM messages m CROSS JOIN conversations c "
            + "WHERE c.id = m.conversation_id AND " + RECENTLY_HELD + " AND c.handoff = 0 AND " + whose.condition + "("
            + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")",
        rs -> {
          String agent = rs.getString("agent_id");
          return new Waiting(rs.getString("id"), ConversationRows.NO_AGENT.equals(agent) ? null : agent,
              rs.getString("number_id"));
        }, args);
  }

  /** The most ids one {@link #waiting} reads (bound parameters stay far below every database's limit). */
  public static final int MAX_IDS = 500;

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
