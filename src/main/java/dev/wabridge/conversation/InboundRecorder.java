package dev.wabridge.conversation;

import static dev.wabridge.conversation.ConversationRows.CONV_COLUMNS;
import static dev.wabridge.conversation.ConversationRows.NO_AGENT;
import static dev.wabridge.conversation.ConversationRows.find;

import dev.wabridge.db.Dialect;
import dev.wabridge.db.Sql;
import dev.wabridge.support.Ids;
import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.Customer;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Records what customers write: each message into the conversation it belongs to, found by the customer's key (or
 * their phone, or the conversation their number had without an agent), or opened. Runs in the intake's transaction,
 * on the customer's writer, so that the queue rows that go with the message commit with it.
 */
public final class InboundRecorder {
  private final Dialect dialect;
  private final ConversationMerges merges;

  /** @param merges gives the customer's conversation without an agent to the agent that answers them now */
  public InboundRecorder(Dialect dialect, ConversationMerges merges) {
    this.dialect = dialect;
    this.merges = merges;
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
    String agentKey = ConversationRows.agentKey(agentId);
    String heldWire = held == null ? null : held.wire();
    boolean customerWrote = author == Author.CUSTOMER;
    // A system message does not open the service window: only what the customer writes does.
    Long windowFrom = customerWrote ? sentAt : null;
    long youngHeld = now - Conversation.WINDOW_MILLIS;
    if (dialect.combinesStatements()) {
      // The common case in one round trip: the conversation exists and the wamid is new.
      Optional<Recorded> known = Sql.one(h, RECORD_IN_KNOWN_CONVERSATION, rs -> {
            Held effective = Held.fromWire(rs.getString("held"));
            return new Recorded(ConversationRows.conversation(rs), id, effective,
                customerWrote && effective == null && rs.getBoolean("held_before"));
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
    Long lastInbound = windowFrom == null ? c.lastInboundAt() : ConversationWrites.latest(c.lastInboundAt(), windowFrom);
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
   * takes the general path. The column held_before says whether earlier messages wait for an agent (the statement's
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
      + "WHERE id = (SELECT conversation_id FROM m) RETURNING " + CONV_COLUMNS + ", (SELECT held FROM m) AS held, "
      + "EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = conversations.id AND p.held IS NOT NULL "
      + "AND p.held <> 'handoff' AND p.created_at > ?) AS held_before";

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
          ConversationRows::conversation, agentKey, numberId, customer.phoneNumber());
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
        return merges.adopt(h, withoutAgent.get(), agentKey);
      }
    }
    Sql.update(h, "INSERT INTO conversations(id, workspace_id, agent_id, number_id, customer_key, phone_number, user_id, "
            + "username, group_id, customer_name, last_message_at, handoff, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (agent_id, number_id, customer_key) DO NOTHING",
        Ids.newId("conv"), workspaceId, agentKey, numberId, customer.key(), customer.phoneNumber(), customer.userId(),
        customer.username(), customer.groupId(), name, now, now);
    return find(h, agentKey, numberId, customer.key()).orElseThrow();
  }
}
