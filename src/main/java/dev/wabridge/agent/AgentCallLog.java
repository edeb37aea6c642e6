package dev.wabridge.agent;

import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationFollower;
import dev.wabridge.db.Database;
import dev.wabridge.db.Sql;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Every attempt to call an agent, with its outcome and latency, newest first for the console. */
public final class AgentCallLog implements ConversationFollower {
  /** One attempt. {@code outcome} is "replied" or the failure code (agent_timeout, agent_http_500, …). */
  public record Call(long seq, String agentId, String conversationId, String messageId, String deliveryId,
                     int attempt, String outcome, long latencyMs, String errorMessage, long createdAt) {
  }

  private final Database db;

  public AgentCallLog(Database db) {
    this.db = db;
  }

  void record(Sql.Later later, String agentId, String conversationId, String messageId, String deliveryId,
              int attempt, String outcome, long latencyMs, String errorMessage, long now) {
    later.insert("agent_calls", "INSERT INTO agent_calls(agent_id, conversation_id, message_id, delivery_id, attempt, outcome, "
        + "latency_ms, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", agentId, conversationId,
        messageId, deliveryId, attempt, outcome, latencyMs, errorMessage, now);
  }

  /** A merged conversation's calls are listed with the conversation that has its messages now. */
  @Override
  public void move(Handle h, Conversation from, Conversation into) {
    Sql.update(h, "UPDATE agent_calls SET conversation_id = ? WHERE conversation_id = ?", into.id(), from.id());
  }

  /** Newest first; {@code beforeSeq} is the cursor of the previous page (0 for the first). */
  public List<Call> recent(String agentId, int limit, long beforeSeq) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT seq, agent_id, conversation_id, message_id, delivery_id, "
            + "attempt, outcome, latency_ms, error_message, created_at FROM agent_calls WHERE agent_id = :a "
            + "AND (:before = 0 OR seq < :before) ORDER BY seq DESC LIMIT :limit")
        .bind("a", agentId).bind("before", beforeSeq).bind("limit", limit)
        .map((rs, ctx) -> new Call(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getInt(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getLong(10)))
        .list());
  }
}
