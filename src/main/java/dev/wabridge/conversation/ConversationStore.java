package dev.wabridge.conversation;

import dev.wabridge.whatsapp.Customer;
import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.db.Database;
import dev.wabridge.support.Ids;
import dev.wabridge.db.Sql;
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
  static final String CONV_COLUMNS = "id, workspace_id, agent_id, number_id, customer_key, phone_number, "
      + "user_id, username, group_id, customer_name, last_inbound_at, last_message_at, handoff, away_sent_at, created_at";
  private static final String MSG_COLUMNS = "seq, id, workspace_id, conversation_id, direction, type, text, content, "
      + "media, status, error_code, error_message, wamid, reply_to, created_at, updated_at, author, held, sender";
  /** How a conversation without an agent (on a number no agent answers) is stored: agent_id is part of its key. */
  static final String NO_AGENT = "";

  private final Database db;

  public ConversationStore(Database db) {
    this.db = db;
  }

  /**
   * What recording an inbound message produced (empty when its wamid was seen before): the conversation as updated,
   * the new message's id, and why it waits unanswered (null when an agent is to be called for it). {@code heldBefore}:
   * for a customer's message that is not held, whether earlier messages of the conversation, received within the last
   * 24 hours, wait for an agent (no_agent, agent_paused): they go to the agent first ({@code agent.HeldMessages}).
   */
  public record Recorded(Conversation conversation, String messageId, Held held, boolean heldBefore) {
  }

  /**
   * Records a customer's message: finds or opens the conversation (linking the customer's phone and user id when
   * both are seen), stores the message unless its wamid is known (the unique index decides, no lookup first), and
   * moves the service window (not for a system message: WhatsApp wrote it, not the customer). Returns empty for a
   * duplicate.
   *
   * @param agentId the agent the conversation is with, or null when no agent answers the number
   * @param held why no agent will be called for the message, or null; a handed-off conversation holds it for the
   *             person who has it ({@code handoff}), whatever the agent's state
   */
  public Optional<Recorded> recordInbound(Handle h, String workspaceId, String agentId, String numberId,
                                          InboundMessage m, Held held, Author author, long now) {
    Customer customer = m.customer();
    Customer writer = m.writer();
    String sender = m.groupId() == null ? null : senderJson(writer, m.customerName());
    // A group's conversation is the group's: its members' names and ids are kept on each message (sender).
    String name = m.groupId() == null ? m.customerName() : null;
    long sentAt = m.timestamp() == null ? now : Math.min(now, m.timestamp().toEpochMilli());
    String id = Ids.newId("msg");
    String agentKey = agentId == null ? NO_AGENT : agentId;
    String heldWire = held == null ? null : held.wire();
    boolean customerWrote = author == Author.CUSTOMER;
    // A system message does not open the service window: only what the customer writes does.
    Long windowFrom = customerWrote ? sentAt : null;
    long youngHeld = now - Conversation.WINDOW_MILLIS;
    if (db.dialect().combinesStatements()) {
      // The common case in one round trip: the conversation exists and the wamid is new.
      Optional<Recorded> known = Sql.one(h, RECORD_IN_KNOWN_CONVERSATION, rs -> {
            Held effective = Held.fromWire(rs.getString(CONV_COLUMN_COUNT + 1));
            return new Recorded(mapConversation(rs, 0), id, effective,
                customerWrote && effective == null && rs.getBoolean(CONV_COLUMN_COUNT + 2));
          },
          id, workspaceId, m.type(), m.text(), Json.string(m.message()), m.wamid(), m.replyToWamid(), now, now,
          author.wire(), author.wire(), heldWire, sender, agentKey, numberId, customer.key(), windowFrom,
          windowFrom, now, name, customer.phoneNumber(), customer.userId(), customer.username(), youngHeld);
      if (known.isPresent()) {
        return known;
      }
    }
    Conversation c = findOrOpen(h, workspaceId, agentKey, numberId, customer, name, now);
    // A person who has the conversation answers the customer, whatever the agent's state.
    Held effective = c.handoff() && customerWrote ? Held.HANDOFF : held;
    int inserted = Sql.update(h, "INSERT INTO messages(id, workspace_id, conversation_id, direction, type, text, "
            + "content, media, status, status_rank, wamid, reply_to, created_at, updated_at, author, held, sender) "
            + "VALUES (?, ?, ?, 'inbound', ?, ?, ?, NULL, 'received', 0, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (wamid) DO NOTHING",
        id, workspaceId, c.id(), m.type(), m.text(), Json.string(m.message()), m.wamid(), m.replyToWamid(), now, now,
        author.wire(), effective == null ? null : effective.wire(), sender);
    if (inserted == 0) {
      return Optional.empty();
    }
    Long lastInbound = windowFrom == null ? c.lastInboundAt() : latest(c.lastInboundAt(), windowFrom);
    String newName = name != null ? name : c.customerName();
    String phone = firstNonNull(customer.phoneNumber(), c.phoneNumber());
    String userId = firstNonNull(customer.userId(), c.userId());
    String username = firstNonNull(customer.username(), c.username());
    Sql.update(h, "UPDATE conversations SET last_inbound_at = ?, last_message_at = ?, customer_name = ?, "
            + "phone_number = ?, user_id = ?, username = ? WHERE id = ?",
        lastInbound, now, newName, phone, userId, username, c.id());
    Conversation updated = new Conversation(c.id(), c.workspaceId(), agentId, numberId, c.customerKey(), phone,
        userId, username, c.groupId(), newName, lastInbound, now, c.handoff(), c.awaySentAt(), c.createdAt());
    boolean heldBefore = customerWrote && effective == null && Sql.one(h, HELD_BEFORE, rs -> true, c.id(), id,
        youngHeld).isPresent();
    return Optional.of(new Recorded(updated, id, effective, heldBefore));
  }

  /** Whether a conversation has other messages, received since the time given, that wait for an agent. */
  private static final String HELD_BEFORE = "SELECT 1 FROM messages WHERE conversation_id = ? AND held IS NOT NULL "
      + "AND held <> 'handoff' AND id <> ? AND created_at > ? LIMIT 1";

  /**
   * PostgreSQL: stores the message into the customer's existing conversation unless its wamid is known, and moves
   * the conversation's window (locking its row), returning the conversation as updated and why the message is held.
   * No row: the conversation is new (or known by phone only) or the message a duplicate, and {@link #recordInbound}
   * takes the general path. The last column says whether earlier messages wait for an agent (the statement's
   * snapshot does not see the message it inserts); a window start of null (a system message) leaves the window.
   */
  private static final String RECORD_IN_KNOWN_CONVERSATION = "WITH m AS (INSERT INTO messages(id, workspace_id, "
      + "conversation_id, direction, type, text, content, media, status, status_rank, wamid, reply_to, created_at, "
      + "updated_at, author, held, sender) SELECT ?, ?, c.id, 'inbound', ?, ?, ?, NULL, 'received', 0, ?, ?, ?, ?, ?, "
      + "CASE WHEN c.handoff = 1 AND ? = 'customer' THEN 'handoff' ELSE ? END, ? FROM conversations c "
      + "WHERE c.agent_id = ? AND c.number_id = ? AND c.customer_key = ? ON CONFLICT (wamid) DO NOTHING "
      + "RETURNING conversation_id, held) "
      + "UPDATE conversations SET last_inbound_at = GREATEST(COALESCE(last_inbound_at, ?), ?), last_message_at = ?, "
      + "customer_name = COALESCE(?, customer_name), phone_number = COALESCE(?, phone_number), "
      + "user_id = COALESCE(?, user_id), username = COALESCE(?, username) "
      + "WHERE id = (SELECT conversation_id FROM m) RETURNING " + CONV_COLUMNS + ", (SELECT held FROM m), "
      + "EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = conversations.id AND p.held IS NOT NULL "
      + "AND p.held <> 'handoff' AND p.created_at > ?)";

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  private static String senderJson(Customer writer, String name) {
    var o = Json.object();
    o.put("phone_number", writer.phoneNumber());
    o.put("user_id", writer.userId());
    o.put("username", writer.username());
    o.put("name", name);
    return Json.string(o);
  }

  /**
   * The customer's conversation with the agent on the number: by key; else, for a person, the conversation that knows
   * their phone (opened before Meta sent user ids, or while the phone was all we had), which from now on is keyed by
   * the user id; else the conversation they had on the number while no agent answered it, which the agent adopts;
   * else a new one.
   */
  private Conversation findOrOpen(Handle h, String workspaceId, String agentKey, String numberId, Customer customer,
                                  String name, long now) {
    Optional<Conversation> existing = find(h, agentKey, numberId, customer.key());
    if (existing.isPresent()) {
      return existing.get();
    }
    if (customer.groupId() == null && customer.phoneNumber() != null) {
      Optional<Conversation> byPhone = Sql.one(h, "SELECT " + CONV_COLUMNS + " FROM conversations WHERE agent_id = ? "
          + "AND number_id = ? AND phone_number = ? AND group_id IS NULL ORDER BY last_message_at DESC LIMIT 1",
          rs -> mapConversation(rs, 0), agentKey, numberId, customer.phoneNumber());
      if (byPhone.isPresent()) {
        Conversation c = byPhone.get();
        if (customer.userId() == null || customer.userId().equals(c.userId())) {
          return c;
        }
        if (c.userId() == null) {
          Sql.update(h, "UPDATE conversations SET customer_key = ?, user_id = ? WHERE id = ?", customer.userId(),
              customer.userId(), c.id());
          return find(h, agentKey, numberId, customer.key()).orElseThrow();
        }
        // The phone now belongs to another user id (the number changed hands): a new conversation.
      }
    }
    if (!NO_AGENT.equals(agentKey)) {
      Optional<Conversation> withoutAgent = find(h, NO_AGENT, numberId, customer.key());
      if (withoutAgent.isPresent()) {
        return adopt(h, withoutAgent.get(), agentKey);
      }
    }
    Sql.update(h, "INSERT INTO conversations(id, workspace_id, agent_id, number_id, customer_key, phone_number, user_id, "
            + "username, group_id, customer_name, last_message_at, handoff, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (agent_id, number_id, customer_key) DO NOTHING",
        Ids.newId("conv"), workspaceId, agentKey, numberId, customer.key(), customer.phoneNumber(), customer.userId(),
        customer.username(), customer.groupId(), name, now, now);
    return find(h, agentKey, numberId, customer.key()).orElseThrow();
  }

  /** The conversation of an agent ({@link #NO_AGENT} for none) with a customer on a number. */
  static Optional<Conversation> find(Handle h, String agentKey, String numberId, String customerKey) {
    return Sql.one(h, "SELECT " + CONV_COLUMNS + " FROM conversations WHERE agent_id = ? AND number_id = ? "
        + "AND customer_key = ?", rs -> mapConversation(rs, 0), agentKey, numberId, customerKey);
  }

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

  private static Long latest(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  /**
   * Stores an outbound message as queued; the caller enqueues its send and moves the conversation's activity
   * ({@link #touch}) in the same transaction.
   */
  public String insertOutbound(Sql.Later later, Conversation c, Author author, String type, String text,
                               String content, long now) {
    return insertOutbound(later, c, author, type, text, content, MessageStatus.QUEUED, null, null, now);
  }

  /**
   * Stores an outbound message that was not queued: failed before it could be (invalid content, window closed), or
   * suppressed (an agent's reply after a person took over).
   */
  public String insertUnsentOutbound(Sql.Later later, Conversation c, Author author, String type, String text,
                                     String content, MessageStatus status, String errorCode, String errorMessage,
                                     long now) {
    return insertOutbound(later, c, author, type, text, content, status, errorCode, errorMessage, now);
  }

  /** Stores an outbound message that failed before it could be queued (invalid content, window closed). */
  public String insertFailedOutbound(Sql.Later later, Conversation c, Author author, String type, String text,
                                     String content, String errorCode, String errorMessage, long now) {
    return insertOutbound(later, c, author, type, text, content, MessageStatus.FAILED, errorCode, errorMessage, now);
  }

  private static String insertOutbound(Sql.Later later, Conversation c, Author author, String type, String text,
                                       String content, MessageStatus status, String errorCode, String errorMessage,
                                       long now) {
    String id = Ids.newId("msg");
    later.insert("messages", "INSERT INTO messages(id, workspace_id, conversation_id, direction, type, text, content, media, "
        + "status, status_rank, error_code, error_message, created_at, updated_at, author) VALUES (?, ?, ?, "
        + "'outbound', ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)", id, c.workspaceId(), c.id(), type, text, content,
        status.wire(), status.rank(), errorCode, errorMessage, now, now, author.wire());
    return id;
  }

  /**
   * Marks an agent's message just stored as suppressed if a person has taken over the conversation (its handoff
   * committed after the caller read the conversation).
   */
  public void suppressIfHandedOff(Sql.Later later, String messageId, String conversationId, long now) {
    later.update("UPDATE messages SET status = ?, status_rank = ?, error_code = 'handed_off', error_message = ?, "
        + "updated_at = ? WHERE id = ? AND EXISTS (SELECT 1 FROM conversations WHERE id = ? AND handoff = 1)",
        MessageStatus.SUPPRESSED.wire(), MessageStatus.SUPPRESSED.rank(), HANDED_OFF, now, messageId, conversationId);
  }

  /** Why an agent's reply was suppressed. */
  public static final String HANDED_OFF = "a person took over this conversation; the agent's reply was not sent";

  /** The conversation had activity now (an outbound message); this also locks its row until the commit. */
  public void touch(Sql.Later later, Conversation c, long now) {
    later.update("UPDATE conversations SET last_message_at = ? WHERE id = ?", now, c.id());
  }

  /** Marks a message failed (terminal), keeping the code and message for the Conversations API. */
  public void fail(Handle h, String messageId, String code, String message, long now) {
    h.createUpdate("UPDATE messages SET status = 'failed', status_rank = :rank, error_code = :code, "
            + "error_message = :msg, updated_at = :now WHERE id = :id")
        .bind("rank", MessageStatus.FAILED.rank()).bind("code", code).bind("msg", message).bind("now", now)
        .bind("id", messageId).execute();
  }

  /** Marks customer's messages as waiting unanswered: no agent was called for them, for the reason given. */
  public void hold(Handle h, List<String> messageIds, Held why, long now) {
    List<Object[]> rows = new java.util.ArrayList<>(messageIds.size());
    for (String id : messageIds) {
      rows.add(new Object[] {why.wire(), now, id});
    }
    Sql.batch(h, "UPDATE messages SET held = ?, updated_at = ? WHERE id = ?", rows);
  }

  /** Records an error on a message without changing its status (an inbound message whose agent call failed). */
  public void noteError(Handle h, String messageId, String code, String message, long now) {
    h.createUpdate("UPDATE messages SET error_code = :code, error_message = :msg, updated_at = :now WHERE id = :id")
        .bind("code", code).bind("msg", message).bind("now", now).bind("id", messageId).execute();
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

  /**
   * The conversation, its row locked until the commit (PostgreSQL): another node's intake for the customer waits,
   * so what the caller decides on what it read still holds when it writes.
   */
  public Optional<Conversation> lock(Handle h, String id) {
    return Sql.one(h, CONV_BY_ID + db.dialect().forUpdate(), rs -> mapConversation(rs, 0), id);
  }

  /** The conversations on a number that no agent answered, for the agent deployed on it to adopt. */
  public List<Conversation> withoutAgent(String numberId) {
    return db.read(c -> Sql.list(c, "SELECT " + CONV_COLUMNS + " FROM conversations WHERE agent_id = ? "
        + "AND number_id = ?", rs -> mapConversation(rs, 0), NO_AGENT, numberId));
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
      return q.map(ConversationStore::mapConversation).list();
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
  public java.util.Map<String, Unanswered> unanswered(java.util.Collection<String> conversationIds) {
    if (conversationIds.isEmpty()) {
      return java.util.Map.of();
    }
    // The partial index messages_held holds exactly the rows counted.
    return db.jdbi().withHandle(h -> h.createQuery("SELECT m.conversation_id, COUNT(*), (SELECT n.held FROM messages n "
            + "WHERE n.conversation_id = m.conversation_id AND n.held IS NOT NULL ORDER BY n.seq DESC LIMIT 1) "
            + "FROM messages m WHERE m.held IS NOT NULL AND m.conversation_id IN (<ids>) GROUP BY m.conversation_id")
        .bindList("ids", List.copyOf(conversationIds))
        .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), new Unanswered(rs.getInt(2),
            Held.fromWire(rs.getString(3)))))
        .collectToMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue));
  }

  /** Each message's status now, by id (ids not found are absent). */
  public java.util.Map<String, String> statuses(java.util.Collection<String> messageIds) {
    if (messageIds.isEmpty()) {
      return java.util.Map.of();
    }
    return db.jdbi().withHandle(h -> h.createQuery("SELECT id, status FROM messages WHERE id IN (<ids>)")
        .bindList("ids", List.copyOf(messageIds))
        .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
        .collectToMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue));
  }

  /** Whether the conversation's agent was deleted (a conversation without an agent has none to lose). */
  public boolean agentDeleted(Conversation c) {
    return c.agentId() != null && db.read(h -> Sql.one(h, "SELECT 1 FROM agents WHERE id = ?", rs -> 1, c.agentId()))
        .isEmpty();
  }

  /**
   * Where the customer of a deleted agent's conversation writes now: their newest other conversation on the same
   * number whose agent exists (or that waits for one), if they have one.
   */
  public Optional<Conversation> successor(Conversation c) {
    return db.read(h -> Sql.one(h, "SELECT " + CONV_COLUMNS + " FROM conversations c WHERE number_id = ? AND "
            + "customer_key = ? AND id <> ? AND (agent_id = ? OR EXISTS (SELECT 1 FROM agents a WHERE a.id = "
            + "c.agent_id)) ORDER BY last_message_at DESC, id DESC LIMIT 1", rs -> mapConversation(rs, 0),
        c.numberId(), c.customerKey(), c.id(), NO_AGENT));
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
    String agent = rs.getString(i + 3);
    long li = rs.getLong(i + 11);
    Long lastInbound = rs.wasNull() ? null : li;
    long away = rs.getLong(i + 14);
    Long awaySentAt = rs.wasNull() ? null : away;
    return new Conversation(rs.getString(i + 1), rs.getString(i + 2), NO_AGENT.equals(agent) ? null : agent,
        rs.getString(i + 4), rs.getString(i + 5), rs.getString(i + 6), rs.getString(i + 7), rs.getString(i + 8),
        rs.getString(i + 9), rs.getString(i + 10), lastInbound, rs.getLong(i + 12), rs.getInt(i + 13) == 1,
        awaySentAt, rs.getLong(i + 15));
  }

  private static final int CONV_COLUMN_COUNT = CONV_COLUMNS.split(", ").length;

  static Message mapMessage(ResultSet rs, StatementContext ctx) throws SQLException {
    return mapMessage(rs, 0);
  }

  private static final int MSG_COLUMN_COUNT = MSG_COLUMNS.split(", ").length;

  /** The message in columns {@code i + 1} onwards. */
  private static Message mapMessage(ResultSet rs, int i) throws SQLException {
    return new Message(rs.getLong(i + 1), rs.getString(i + 2), rs.getString(i + 3), rs.getString(i + 4),
        rs.getString(i + 5), rs.getString(i + 6), rs.getString(i + 7), rs.getString(i + 8), rs.getString(i + 9),
        rs.getString(i + 10), rs.getString(i + 11), rs.getString(i + 12), rs.getString(i + 13), rs.getString(i + 14),
        rs.getLong(i + 15), rs.getLong(i + 16), Author.fromWire(rs.getString(i + 17)),
        Held.fromWire(rs.getString(i + 18)), rs.getString(i + 19));
  }
}
