package dev.wabridge.conversation;

import dev.wabridge.Json;
import dev.wabridge.inbound.WebhookEvent.InboundMessage;
import dev.wabridge.store.Database;
import dev.wabridge.store.Dialect;
import dev.wabridge.store.Ids;
import dev.wabridge.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Conversations and their messages. Writes take a {@link Handle} so that callers put them in the same group
 * commit as the queue rows that go with them.
 */
public final class ConversationStore {
  private static final String CONV_COLUMNS = "id, workspace_id, agent_id, number_id, phone_number, customer_name, "
      + "last_inbound_at, last_message_at, handoff, created_at";
  private static final String MSG_COLUMNS = "seq, id, workspace_id, conversation_id, direction, type, text, content, "
      + "media, status, error_code, error_message, wamid, reply_to, created_at, updated_at";

  private final Database db;

  public ConversationStore(Database db) {
    this.db = db;
  }

  /** What recording an inbound message produced; empty when its wamid was seen before. */
  public record Recorded(Conversation conversation, String messageId) {
  }

  /**
   * Records a customer's message: finds or opens the conversation, stores the message unless its wamid is known
   * (the unique index decides, no lookup first), and moves the service window. Returns empty for a duplicate.
   */
  public Optional<Recorded> recordInbound(Handle h, String workspaceId, String agentId, String numberId,
                                          InboundMessage m, long now) {
    String phone = phoneOf(m.from());
    long sentAt = m.timestamp() == null ? now : Math.min(now, m.timestamp().toEpochMilli());
    String id = Ids.newId("msg");
    if (db.dialect() == Dialect.POSTGRESQL) {
      // The common case in one round trip: the conversation exists and the wamid is new.
      Optional<Conversation> known = Sql.one(h, RECORD_IN_KNOWN_CONVERSATION, rs -> mapConversation(rs, 0), id,
          workspaceId, m.type(), m.text(), Json.string(m.message()), m.wamid(), m.replyToWamid(), now, now, agentId,
          phone, sentAt, sentAt, now, m.customerName());
      if (known.isPresent()) {
        return Optional.of(new Recorded(known.get(), id));
      }
    }
    Conversation c = findOrOpen(h, workspaceId, agentId, numberId, phone, m.customerName(), now);
    int inserted = Sql.update(h, "INSERT INTO messages(id, workspace_id, conversation_id, direction, type, text, "
            + "content, media, status, status_rank, wamid, reply_to, created_at, updated_at) VALUES (?, ?, ?, "
            + "'inbound', ?, ?, ?, NULL, 'received', 0, ?, ?, ?, ?) ON CONFLICT (wamid) DO NOTHING",
        id, workspaceId, c.id(), m.type(), m.text(), Json.string(m.message()), m.wamid(), m.replyToWamid(), now, now);
    if (inserted == 0) {
      return Optional.empty();
    }
    long lastInbound = c.lastInboundAt() == null ? sentAt : Math.max(c.lastInboundAt(), sentAt);
    String name = m.customerName() != null ? m.customerName() : c.customerName();
    Sql.update(h, "UPDATE conversations SET last_inbound_at = ?, last_message_at = ?, customer_name = ? WHERE id = ?",
        lastInbound, now, name, c.id());
    Conversation updated = new Conversation(c.id(), workspaceId, agentId, numberId, phone, name, lastInbound, now,
        c.handoff(), c.createdAt());
    return Optional.of(new Recorded(updated, id));
  }

  /**
   * PostgreSQL: stores the message into the customer's existing conversation unless its wamid is known, and moves
   * the conversation's window (locking its row), returning the conversation as updated. No row: the conversation
   * is new or the message a duplicate, and {@link #recordInbound} takes the general path.
   */
  private static final String RECORD_IN_KNOWN_CONVERSATION = "WITH m AS (INSERT INTO messages(id, workspace_id, "
      + "conversation_id, direction, type, text, content, media, status, status_rank, wamid, reply_to, created_at, "
      + "updated_at) SELECT ?, ?, c.id, 'inbound', ?, ?, ?, NULL, 'received', 0, ?, ?, ?, ? FROM conversations c "
      + "WHERE c.agent_id = ? AND c.phone_number = ? ON CONFLICT (wamid) DO NOTHING RETURNING conversation_id) "
      + "UPDATE conversations SET last_inbound_at = GREATEST(COALESCE(last_inbound_at, ?), ?), last_message_at = ?, "
      + "customer_name = COALESCE(?, customer_name) WHERE id = (SELECT conversation_id FROM m) RETURNING "
      + CONV_COLUMNS;

  /** WhatsApp ids are digits; we show them as E.164 with a plus. Business-scoped user ids stay as they are. */
  public static String phoneOf(String from) {
    if (from == null) {
      return "unknown";
    }
    return from.chars().allMatch(Character::isDigit) ? "+" + from : from;
  }

  private Conversation findOrOpen(Handle h, String workspaceId, String agentId, String numberId, String phone,
                                  String name, long now) {
    Optional<Conversation> existing = find(h, agentId, phone);
    if (existing.isPresent()) {
      return existing.get();
    }
    h.createUpdate("INSERT INTO conversations(id, workspace_id, agent_id, number_id, phone_number, customer_name, "
            + "last_message_at, handoff, created_at) VALUES (:id, :w, :a, :n, :p, :name, :now, 0, :now) "
            + "ON CONFLICT (agent_id, phone_number) DO NOTHING")
        .bind("id", Ids.newId("conv")).bind("w", workspaceId).bind("a", agentId).bind("n", numberId)
        .bind("p", phone).bind("name", name).bind("now", now).execute();
    return find(h, agentId, phone).orElseThrow();
  }

  private Optional<Conversation> find(Handle h, String agentId, String phone) {
    try (var ps = h.getConnection().prepareStatement("SELECT " + CONV_COLUMNS
        + " FROM conversations WHERE agent_id = ? AND phone_number = ?")) {
      ps.setString(1, agentId);
      ps.setString(2, phone);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(mapConversation(rs, 0)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read conversation", e);
    }
  }

  /**
   * Stores an outbound message as queued; the caller enqueues its send and moves the conversation's activity
   * ({@link #touch}) in the same transaction.
   */
  public String insertOutbound(Sql.Later later, Conversation c, String type, String text, String content,
                               long now) {
    return insertOutbound(later, c, type, text, content, MessageStatus.QUEUED, null, null, now);
  }

  /** Stores an outbound message that failed before it could be queued (invalid content, window closed). */
  public String insertFailedOutbound(Sql.Later later, Conversation c, String type, String text, String content,
                                     String errorCode, String errorMessage, long now) {
    return insertOutbound(later, c, type, text, content, MessageStatus.FAILED, errorCode, errorMessage, now);
  }

  private static String insertOutbound(Sql.Later later, Conversation c, String type, String text, String content,
                                       MessageStatus status, String errorCode, String errorMessage, long now) {
    String id = Ids.newId("msg");
    later.add("INSERT INTO messages(id, workspace_id, conversation_id, direction, type, text, content, media, "
        + "status, status_rank, error_code, error_message, created_at, updated_at) VALUES (?, ?, ?, 'outbound', ?, ?, "
        + "?, NULL, ?, ?, ?, ?, ?, ?)", id, c.workspaceId(), c.id(), type, text, content, status.wire(),
        status.rank(), errorCode, errorMessage, now, now);
    return id;
  }

  /** The conversation had activity now (an outbound message); this also locks its row until the commit. */
  public void touch(Sql.Later later, Conversation c, long now) {
    later.add("UPDATE conversations SET last_message_at = ? WHERE id = ?", now, c.id());
  }

  /** Marks a message failed (terminal), keeping the code and message for the Conversations API. */
  public void fail(Handle h, String messageId, String code, String message, long now) {
    h.createUpdate("UPDATE messages SET status = 'failed', status_rank = :rank, error_code = :code, "
            + "error_message = :msg, updated_at = :now WHERE id = :id")
        .bind("rank", MessageStatus.FAILED.rank()).bind("code", code).bind("msg", message).bind("now", now)
        .bind("id", messageId).execute();
  }

  /** Records an error on a message without changing its status (an inbound message whose agent call failed). */
  public void noteError(Handle h, String messageId, String code, String message, long now) {
    h.createUpdate("UPDATE messages SET error_code = :code, error_message = :msg, updated_at = :now WHERE id = :id")
        .bind("code", code).bind("msg", message).bind("now", now).bind("id", messageId).execute();
  }

  public void setHandoff(Handle h, String conversationId, boolean handoff) {
    h.createUpdate("UPDATE conversations SET handoff = :h WHERE id = :id")
        .bind("h", handoff ? 1 : 0).bind("id", conversationId).execute();
  }

  public Optional<Conversation> get(String workspaceId, String id) {
    return byId(id).filter(c -> c.workspaceId().equals(workspaceId));
  }

  private static final String CONV_BY_ID = "SELECT " + CONV_COLUMNS + " FROM conversations WHERE id = ?";
  private static final String MSG_BY_ID = "SELECT " + MSG_COLUMNS + " FROM messages WHERE id = ?";

  public Optional<Conversation> byId(String id) {
    return db.read(c -> Sql.one(c, CONV_BY_ID, rs -> mapConversation(rs, 0), id));
  }

  public Optional<Conversation> byId(Handle h, String id) {
    return Sql.one(h, CONV_BY_ID, rs -> mapConversation(rs, 0), id);
  }

  /** Newest activity first; the cursor is the id of the last row of the previous page. */
  public List<Conversation> list(String workspaceId, String agentId, String phone, int limit, String afterId) {
    StringBuilder sql = new StringBuilder("SELECT " + CONV_COLUMNS + " FROM conversations WHERE workspace_id = :w");
    if (agentId != null) {
      sql.append(" AND agent_id = :a");
    }
    if (phone != null) {
      sql.append(" AND phone_number = :p");
    }
    if (afterId != null) {
      sql.append(" AND (last_message_at < (SELECT last_message_at FROM conversations WHERE id = :after) OR "
          + "(last_message_at = (SELECT last_message_at FROM conversations WHERE id = :after) AND id < :after))");
    }
    sql.append(" ORDER BY last_message_at DESC, id DESC LIMIT :limit");
    return db.jdbi().withHandle(h -> {
      var q = h.createQuery(sql.toString()).bind("w", workspaceId).bind("limit", limit);
      if (agentId != null) {
        q.bind("a", agentId);
      }
      if (phone != null) {
        q.bind("p", phone);
      }
      if (afterId != null) {
        q.bind("after", afterId);
      }
      return q.map(ConversationStore::mapConversation).list();
    });
  }

  /** Oldest first; the cursor is the seq of the last row of the previous page. */
  public List<Message> messages(String conversationId, int limit, long afterSeq) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + MSG_COLUMNS + " FROM messages WHERE conversation_id = :c "
            + "AND seq > :after ORDER BY seq LIMIT :limit")
        .bind("c", conversationId).bind("after", afterSeq).bind("limit", limit)
        .map(ConversationStore::mapMessage).list());
  }

  /** A message and the conversation it belongs to. */
  public record MessageIn(Message message, Conversation conversation) {
  }

  private static final String MSG_IN_CONVERSATION = "SELECT m." + MSG_COLUMNS.replace(", ", ", m.") + ", c."
      + CONV_COLUMNS.replace(", ", ", c.") + " FROM messages m JOIN conversations c ON c.id = m.conversation_id "
      + "WHERE m.id = ?";

  /** One read for what an agent turn needs to start. */
  public Optional<MessageIn> messageIn(String messageId) {
    return db.read(c -> Sql.one(c, MSG_IN_CONVERSATION,
        rs -> new MessageIn(mapMessage(rs, 0), mapConversation(rs, MSG_COLUMN_COUNT)), messageId));
  }

  public Optional<Message> message(String id) {
    return db.read(c -> Sql.one(c, MSG_BY_ID, rs -> mapMessage(rs, 0), id));
  }

  public Optional<Message> message(Handle h, String id) {
    return Sql.one(h, MSG_BY_ID, rs -> mapMessage(rs, 0), id);
  }

  static Conversation mapConversation(ResultSet rs, StatementContext ctx) throws SQLException {
    return mapConversation(rs, 0);
  }

  /** The conversation in columns {@code i + 1} onwards. */
  private static Conversation mapConversation(ResultSet rs, int i) throws SQLException {
    long li = rs.getLong(i + 7);
    Long lastInbound = rs.wasNull() ? null : li;
    return new Conversation(rs.getString(i + 1), rs.getString(i + 2), rs.getString(i + 3), rs.getString(i + 4),
        rs.getString(i + 5), rs.getString(i + 6), lastInbound, rs.getLong(i + 8), rs.getInt(i + 9) == 1,
        rs.getLong(i + 10));
  }

  static Message mapMessage(ResultSet rs, StatementContext ctx) throws SQLException {
    return mapMessage(rs, 0);
  }

  private static final int MSG_COLUMN_COUNT = MSG_COLUMNS.split(", ").length;

  /** The message in columns {@code i + 1} onwards. */
  private static Message mapMessage(ResultSet rs, int i) throws SQLException {
    return new Message(rs.getLong(i + 1), rs.getString(i + 2), rs.getString(i + 3), rs.getString(i + 4),
        rs.getString(i + 5), rs.getString(i + 6), rs.getString(i + 7), rs.getString(i + 8), rs.getString(i + 9),
        rs.getString(i + 10), rs.getString(i + 11), rs.getString(i + 12), rs.getString(i + 13), rs.getString(i + 14),
        rs.getLong(i + 15), rs.getLong(i + 16));
  }
}
