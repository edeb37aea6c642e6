package dev.wabridge.conversation;

import static dev.wabridge.conversation.ConversationRows.CONV_BY_ID;
import static dev.wabridge.conversation.ConversationRows.CONV_COLUMNS;
import static dev.wabridge.conversation.ConversationRows.CONV_COLUMNS_AS_JOINED;
import static dev.wabridge.conversation.ConversationRows.JOINED;
import static dev.wabridge.conversation.ConversationRows.MSG_COLUMNS;
import static dev.wabridge.conversation.ConversationRows.NO_AGENT;

import dev.wabridge.db.Database;
import dev.wabridge.db.Sql;
import dev.wabridge.whatsapp.Recipient;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * Reads conversations and their messages: by id, listed for the Conversations API, and what a turn or a send needs
 * to start. The writes are {@link InboundRecorder} (what customers write), {@link MessageWrites} and
 * {@link ConversationWrites} (the rest), {@link HeldMessageStore} and {@link StatusWrites}.
 *
 * <p>Agents are the {@code agent} package's: whether one still exists is asked of {@code agentExists}, which the
 * composition root backs with the agents' store.
 */
public final class ConversationStore {
  private static final String MSG_BY_ID = "SELECT " + MSG_COLUMNS + " FROM messages WHERE id = ?";

  private final Database db;
  private final Predicate<String> agentExists;

  /** @param agentExists whether the agent with an id exists now (not cached: a deleted agent stops its replies) */
  public ConversationStore(Database db, Predicate<String> agentExists) {
    this.db = db;
    this.agentExists = agentExists;
  }

  public Optional<Conversation> get(String workspaceId, String id) {
    return byId(id).filter(c -> c.workspaceId().equals(workspaceId));
  }

  public Optional<Conversation> byId(String id) {
    return db.read(c -> Sql.one(c, CONV_BY_ID, ConversationRows::conversation, id));
  }

  public Optional<Conversation> byId(Handle h, String id) {
    return ConversationRows.byId(h, id);
  }

  /**
   * The conversation, its row locked until the commit (PostgreSQL): another node's intake for the customer waits,
   * so what the caller decides on what it read still holds when it writes.
   */
  public Optional<Conversation> lock(Handle h, String id) {
    return Sql.one(h, CONV_BY_ID + db.dialect().forUpdate(), ConversationRows::conversation, id);
  }

  /** The conversations on a number that no agent answered, for the agent deployed on it to adopt. */
  public List<Conversation> withoutAgent(String numberId) {
    return db.read(c -> Sql.list(c, "SELECT " + CONV_COLUMNS + " FROM conversations WHERE agent_id = ? "
        + "AND number_id = ?", ConversationRows::conversation, NO_AGENT, numberId));
  }

  /**
   * What to list conversations by; every field null means all of them. {@code phoneDigits} matches any part of the
   * phone (digits only); {@code username} matches whole, ignoring case; {@code unanswered} keeps those with (true) or
   * without (false) messages that wait unanswered.
   */
  public record Filter(String agentId, String phoneDigits, String userId, String username, String groupId,
                       Boolean unanswered) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null);
  }

  /** Newest activity first; the cursor is the id of the last row of the previous page. */
  public List<Conversation> list(String workspaceId, Filter f, int limit, String afterId) {
    StringBuilder sql = new StringBuilder("SELECT " + CONV_COLUMNS + " FROM conversations c WHERE workspace_id = :w");
    if (f.agentId() != null) {
      sql.append(" AND agent_id = :a");
    }
    if (f.phoneDigits() != null) {
      sql.append(" AND phone_number LIKE :p ESCAPE '!'");
    }
    if (f.userId() != null) {
      sql.append(" AND user_id = :u");
    }
    if (f.username() != null) {
      sql.append(" AND LOWER(username) = LOWER(:n)");
    }
    if (f.groupId() != null) {
      sql.append(" AND group_id = :g");
    }
    if (f.unanswered() != null) {
      sql.append(f.unanswered() ? " AND EXISTS" : " AND NOT EXISTS").append(" (SELECT 1 FROM messages m WHERE "
          + "m.conversation_id = c.id AND m.held IS NOT NULL)");
    }
    if (afterId != null) {
      sql.append(" AND (last_message_at < (SELECT last_message_at FROM conversations WHERE id = :after) OR "
          + "(last_message_at = (SELECT last_message_at FROM conversations WHERE id = :after) AND id < :after))");
    }
    sql.append(" ORDER BY last_message_at DESC, id DESC LIMIT :limit");
    return db.jdbi().withHandle(h -> {
      var q = h.createQuery(sql.toString()).bind("w", workspaceId).bind("limit", limit);
      if (f.agentId() != null) {
        q.bind("a", f.agentId());
      }
      if (f.phoneDigits() != null) {
        q.bind("p", "%" + likeLiteral(f.phoneDigits()) + "%");
      }
      if (f.userId() != null) {
        q.bind("u", f.userId());
      }
      if (f.username() != null) {
        q.bind("n", f.username());
      }
      if (f.groupId() != null) {
        q.bind("g", f.groupId());
      }
      if (afterId != null) {
        q.bind("after", afterId);
      }
      return q.map((rs, ctx) -> ConversationRows.conversation(rs)).list();
    });
  }

  /** {@code s} matched literally by LIKE ... ESCAPE '!': its wildcards and the escape character escaped. */
  static String likeLiteral(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /** How many of a conversation's customer messages wait unanswered, and why the newest of them waits. */
  public record Unanswered(int count, Held newest) {
    public static final Unanswered NONE = new Unanswered(0, null);
  }

  /** For each conversation id that has unanswered messages, how many and why; the others are absent. */
  public Map<String, Unanswered> unanswered(Collection<String> conversationIds) {
    if (conversationIds.isEmpty()) {
      return Map.of();
    }
    // The partial index messages_held holds exactly the rows counted.
    return db.jdbi().withHandle(h -> h.createQuery("SELECT m.conversation_id, COUNT(*) AS held_count, (SELECT n.held "
            + "FROM messages n WHERE n.conversation_id = m.conversation_id AND n.held IS NOT NULL ORDER BY n.seq DESC "
            + "LIMIT 1) AS newest FROM messages m WHERE m.held IS NOT NULL AND m.conversation_id IN (<ids>) "
            + "GROUP BY m.conversation_id")
        .bindList("ids", List.copyOf(conversationIds))
        .map((rs, ctx) -> Map.entry(rs.getString("conversation_id"), new Unanswered(rs.getInt("held_count"),
            Held.fromWire(rs.getString("newest")))))
        .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** Each message's status now, by id (ids not found are absent). */
  public Map<String, MessageStatus> statuses(Collection<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Map.of();
    }
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, status FROM messages WHERE id IN (<ids>)")
        .bindList("ids", List.copyOf(messageIds))
        .map((rs, ctx) -> Map.entry(rs.getString("id"), MessageStatus.fromWire(rs.getString("status"))))
        .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** A message's status now, read in the caller's transaction; empty when there is no such message. */
  public Optional<MessageStatus> status(Handle h, String messageId) {
    return h.createQuery("SELECT status FROM messages WHERE id = :id").bind("id", messageId).mapTo(String.class)
        .findOne().map(MessageStatus::fromWire);
  }

  /** Whether the conversation's agent was deleted (a conversation without an agent has none to lose). */
  public boolean agentDeleted(Conversation c) {
    return c.agentId() != null && !agentExists.test(c.agentId());
  }

  /**
   * Where the customer of a deleted agent's conversation writes now: their newest other conversation on the same
   * number, in the same workspace (a shared number has every workspace's conversations with the same customer),
   * whose agent exists (or that waits for one), if they have one. The customer has one conversation a number per
   * agent that had it, so the candidates are few.
   */
  public Optional<Conversation> successor(Conversation c) {
    List<Conversation> others = db.read(h -> Sql.list(h, "SELECT " + CONV_COLUMNS + " FROM conversations WHERE "
            + "number_id = ? AND customer_key = ? AND workspace_id = ? AND id <> ? "
            + "ORDER BY last_message_at DESC, id DESC",
        ConversationRows::conversation, c.numberId(), c.customerKey(), c.workspaceId(), c.id()));
    return others.stream().filter(o -> o.agentId() == null || agentExists.test(o.agentId())).findFirst();
  }

  /** Oldest first; the cursor is the seq of the last row of the previous page. */
  public List<Message> messages(String conversationId, int limit, long afterSeq) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + MSG_COLUMNS + " FROM messages WHERE conversation_id = :c "
            + "AND seq > :after ORDER BY seq LIMIT :limit")
        .bind("c", conversationId).bind("after", afterSeq).bind("limit", limit)
        .map((rs, ctx) -> ConversationRows.message(rs)).list());
  }

  /** A message and the conversation it belongs to. */
  public record MessageIn(Message message, Conversation conversation) {
  }

  private static final String MSG_IN_CONVERSATION = "SELECT m." + MSG_COLUMNS.replace(", ", ", m.") + ", "
      + CONV_COLUMNS_AS_JOINED + " FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?";

  /** One read for what an agent turn needs to start. */
  public Optional<MessageIn> messageIn(String messageId) {
    return db.read(c -> Sql.one(c, MSG_IN_CONVERSATION,
        rs -> new MessageIn(ConversationRows.message(rs), ConversationRows.conversation(rs, JOINED)), messageId));
  }

  public Optional<Message> message(String id) {
    return db.read(c -> Sql.one(c, MSG_BY_ID, ConversationRows::message, id));
  }

  public Optional<Message> message(Handle h, String id) {
    return Sql.one(h, MSG_BY_ID, ConversationRows::message, id);
  }

  /**
   * What the send of a message claimed from the queue needs, read on a pooled connection; empty when the message or
   * its conversation is gone.
   */
  public Optional<MessageToSend> toSend(String messageId) {
    return db.read(conn -> Sql.one(conn, "SELECT m.type, m.content, c.customer_key, c.phone_number, c.user_id, "
        + "c.group_id, c.last_inbound_at, c.workspace_id, c.agent_id FROM messages m "
        + "JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?", rs -> {
          String agent = rs.getString("agent_id");
          return new MessageToSend(rs.getString("type"), rs.getString("content"), rs.getString("customer_key"),
              new Recipient(rs.getString("phone_number"), rs.getString("user_id"), rs.getString("group_id")),
              ConversationRows.nullableLong(rs, "last_inbound_at"), rs.getString("workspace_id"), agent);
        }, messageId));
  }
}
