package dev.wabridge.conversation;

import dev.wabridge.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * How conversations and messages come out of rows: the columns every read selects, and mappers that read them by
 * name (a statement may add columns, or select a message and its conversation side by side, without the mapper
 * counting positions). A conversation without an agent is stored with {@link #NO_AGENT}, read back as null. Also
 * the two lookups by key that the write paths share.
 */
final class ConversationRows {
  static final String CONV_COLUMNS = "id, workspace_id, agent_id, number_id, customer_key, phone_number, "
      + "user_id, username, group_id, customer_name, last_inbound_at, last_message_at, handoff, away_sent_at, created_at";
  static final String MSG_COLUMNS = "seq, id, workspace_id, conversation_id, direction, type, text, content, "
      + "media, status, error_code, error_message, wamid, reply_to, created_at, updated_at, author, held, sender";
  /** How a conversation without an agent (on a number no agent answers) is stored: agent_id is part of its key. */
  static final String NO_AGENT = "";
  /** Where a conversation's columns sit beside a message's ({@link #CONV_COLUMNS_AS_JOINED}): names prefixed. */
  static final String JOINED = "c_";
  /** The conversation's columns of a join with alias {@code c}, named {@code c_id}, {@code c_workspace_id}, ... */
  static final String CONV_COLUMNS_AS_JOINED = Arrays.stream(CONV_COLUMNS.split(", "))
      .map(col -> "c." + col + " AS " + JOINED + col).collect(Collectors.joining(", "));

  private ConversationRows() {
  }

  static Conversation conversation(ResultSet rs) throws SQLException {
    return conversation(rs, "");
  }

  /** The conversation whose columns are named {@code prefix} + the column. */
  static Conversation conversation(ResultSet rs, String prefix) throws SQLException {
    String agent = rs.getString(prefix + "agent_id");
    return new Conversation(rs.getString(prefix + "id"), rs.getString(prefix + "workspace_id"),
        NO_AGENT.equals(agent) ? null : agent, rs.getString(prefix + "number_id"),
        rs.getString(prefix + "customer_key"), rs.getString(prefix + "phone_number"), rs.getString(prefix + "user_id"),
        rs.getString(prefix + "username"), rs.getString(prefix + "group_id"), rs.getString(prefix + "customer_name"),
        nullableLong(rs, prefix + "last_inbound_at"), rs.getLong(prefix + "last_message_at"),
        rs.getInt(prefix + "handoff") == 1, nullableLong(rs, prefix + "away_sent_at"),
        rs.getLong(prefix + "created_at"));
  }

  static Message message(ResultSet rs) throws SQLException {
    return new Message(rs.getLong("seq"), rs.getString("id"), rs.getString("workspace_id"),
        rs.getString("conversation_id"), Direction.fromWire(rs.getString("direction")), rs.getString("type"),
        rs.getString("text"), rs.getString("content"), rs.getString("media"),
        MessageStatus.fromWire(rs.getString("status")), rs.getString("error_code"), rs.getString("error_message"),
        rs.getString("wamid"), rs.getString("reply_to"), rs.getLong("created_at"), rs.getLong("updated_at"),
        Author.fromWire(rs.getString("author")), Held.fromWire(rs.getString("held")), rs.getString("sender"));
  }

  static final String CONV_BY_ID = "SELECT " + CONV_COLUMNS + " FROM conversations WHERE id = ?";

  static Optional<Conversation> byId(Handle h, String id) {
    return Sql.one(h, CONV_BY_ID, ConversationRows::conversation, id);
  }

  /** The conversation of an agent ({@link #NO_AGENT} for none) with a customer on a number. */
  static Optional<Conversation> find(Handle h, String agentKey, String numberId, String customerKey) {
    return Sql.one(h, "SELECT " + CONV_COLUMNS + " FROM conversations WHERE agent_id = ? AND number_id = ? "
        + "AND customer_key = ?", ConversationRows::conversation, agentKey, numberId, customerKey);
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static String agentKey(String agentId) {
    return agentId == null ? NO_AGENT : agentId;
  }
}
