package dev.wabridge.sandbox;

import dev.wabridge.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The simulated customers' phones, durable: which agent each phone has joined and every bubble it shows, with
 * the status of each (sent &lt; delivered &lt; read, failed terminal; updates only move up). A restart of
 * wabridge keeps every chat. Reads never go through the writer, so they are safe inside another write.
 *
 * <p>Phones belong to a workspace: the same number in two workspaces is two phones, and every read names the
 * workspace (or a wamid, which names one bubble of one chat), so no workspace sees another's chats.
 */
final class PhoneStore {
  static final String INBOUND = "inbound";
  static final String OUTBOUND = "outbound";

  /** One bubble on a phone. {@code direction} is inbound for the customer's own messages, as in wabridge. */
  record Bubble(long seq, String wamid, String workspaceId, String phone, String agentId, String direction,
                String type, String text, String content, String mediaId, String status, String reaction,
                long createdAt) {
  }

  /**
   * A phone of a workspace that has joined an agent: the customer's number, name and BSUID ({@code userId}), their
   * username if they set one, and whether they withhold their number (webhooks then carry only the BSUID).
   */
  record Phone(String workspaceId, String phone, String name, String agentId, String userId, String username,
               boolean withholdPhone) {
    /** The number as Meta's {@code wa_id}: digits without the plus. */
    String waId() {
      return phone.substring(1);
    }
  }

  private static final String COLUMNS = "seq, wamid, workspace_id, phone, agent_id, direction, type, text, content, "
      + "media_id, status, reaction, created_at";
  private static final String PHONE_COLUMNS = "workspace_id, phone, name, agent_id, user_id, username, withhold_phone";

  private final Database db;
  private final ConcurrentHashMap<String, Optional<Phone>> phones = new ConcurrentHashMap<>();

  PhoneStore(Database db) {
    this.db = db;
  }

  static int rank(String status) {
    return switch (status) {
      case "sent" -> 1;
      case "delivered" -> 2;
      case "read" -> 3;
      case "failed" -> 10;
      default -> 0;
    };
  }

  /**
   * Joins the workspace's phone to the agent (a phone is joined to one agent at a time; joining again switches). A
   * new phone takes {@code userId} as its BSUID; a known one keeps its own.
   */
  void join(String workspaceId, String phone, String name, String agentId, String userId, long now) {
    db.writer().execute(h -> h.createUpdate("INSERT INTO sandbox_phones(workspace_id, phone, name, agent_id, "
            + "updated_at, user_id) VALUES (:w, :p, :n, :a, :now, :u) ON CONFLICT (workspace_id, phone) DO UPDATE SET "
            + "name = excluded.name, agent_id = excluded.agent_id, updated_at = excluded.updated_at, "
            + "user_id = COALESCE(sandbox_phones.user_id, excluded.user_id)")
        .bind("w", workspaceId).bind("p", phone).bind("n", name).bind("a", agentId).bind("now", now).bind("u", userId)
        .execute());
    phones.remove(key(workspaceId, phone));
  }

  /** Sets what the customer shows of themselves: a username (null: none) and whether the number is withheld. */
  void profile(String workspaceId, String phone, String username, boolean withholdPhone) {
    db.writer().execute(h -> h.createUpdate("UPDATE sandbox_phones SET username = :u, withhold_phone = :h "
            + "WHERE workspace_id = :w AND phone = :p")
        .bind("u", username).bind("h", withholdPhone ? 1 : 0).bind("w", workspaceId).bind("p", phone).execute());
    phones.remove(key(workspaceId, phone));
  }

  Optional<Phone> phone(String workspaceId, String phone) {
    return phones.computeIfAbsent(key(workspaceId, phone), k -> db.jdbi().withHandle(h -> h.createQuery(
            "SELECT " + PHONE_COLUMNS + " FROM sandbox_phones WHERE workspace_id = :w AND phone = :p")
        .bind("w", workspaceId).bind("p", phone).map(PhoneStore::mapPhone).findOne()));
  }

  /** The workspace's phone whose customer has this BSUID. */
  Optional<Phone> byUserId(String workspaceId, String userId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + PHONE_COLUMNS + " FROM sandbox_phones "
            + "WHERE workspace_id = :w AND user_id = :u")
        .bind("w", workspaceId).bind("u", userId).map(PhoneStore::mapPhone).findOne());
  }

  /** Gives every phone stored before BSUIDs existed its BSUID. */
  void backfillUserIds(java.util.function.BiFunction<String, String, String> userIdOf) {
    List<Phone> missing = db.jdbi().withHandle(h -> h.createQuery("SELECT " + PHONE_COLUMNS + " FROM sandbox_phones "
        + "WHERE user_id IS NULL").map(PhoneStore::mapPhone).list());
    for (Phone p : missing) {
      db.writer().execute(h -> h.createUpdate("UPDATE sandbox_phones SET user_id = :u WHERE workspace_id = :w "
              + "AND phone = :p AND user_id IS NULL")
          .bind("u", userIdOf.apply(p.workspaceId(), p.phone())).bind("w", p.workspaceId()).bind("p", p.phone())
          .execute());
      phones.remove(key(p.workspaceId(), p.phone()));
    }
  }

  private static Phone mapPhone(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Phone(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getInt(7) != 0);
  }

  private static String key(String workspaceId, String phone) {
    return workspaceId + ' ' + phone;
  }

  void insert(Bubble b) {
    db.writer().execute(h -> h.createUpdate("INSERT INTO sandbox_messages(wamid, workspace_id, phone, agent_id, "
            + "direction, type, text, content, media_id, status, status_rank, reaction, created_at, updated_at) "
            + "VALUES (:wamid, :w, :phone, :agent, :dir, :type, :text, :content, :media, :status, :rank, NULL, :now, "
            + ":now)")
        .bind("wamid", b.wamid()).bind("w", b.workspaceId()).bind("phone", b.phone()).bind("agent", b.agentId())
        .bind("dir", b.direction())
        .bind("type", b.type()).bind("text", b.text()).bind("content", b.content()).bind("media", b.mediaId())
        .bind("status", b.status()).bind("rank", rank(b.status())).bind("now", b.createdAt()).execute());
  }

  /** Moves a bubble up to {@code status}; false when it was already there or beyond (or is unknown). */
  boolean advance(String wamid, String status, long now) {
    return db.writer().execute(h -> h.createUpdate("UPDATE sandbox_messages SET status = :s, status_rank = :r, "
            + "updated_at = :now WHERE wamid = :w AND status_rank < :r")
        .bind("s", status).bind("r", rank(status)).bind("now", now).bind("w", wamid).execute()) > 0;
  }

  /**
   * The customer's messages in this bubble's chat up to and including {@code wamid} turn read (blue ticks); false
   * for an unknown id.
   */
  boolean markCustomerRead(String wamid, long now) {
    Optional<Bubble> target = byWamid(wamid).filter(b -> b.direction().equals(INBOUND));
    if (target.isEmpty()) {
      return false;
    }
    Bubble b = target.get();
    db.writer().execute(h -> h.createUpdate("UPDATE sandbox_messages SET status = 'read', status_rank = 3, "
            + "updated_at = :now WHERE workspace_id = :w AND phone = :p AND agent_id = :a AND direction = 'inbound' "
            + "AND seq <= :seq AND status_rank < 3")
        .bind("now", now).bind("w", b.workspaceId()).bind("p", b.phone()).bind("a", b.agentId())
        .bind("seq", b.seq()).execute());
    return true;
  }

  /** Marks the business's unread messages on this phone's chat with the agent read; returns the wamids it changed. */
  List<String> readBusinessMessages(String workspaceId, String phone, String agentId, long now) {
    return db.writer().execute(h -> {
      List<String> unread = h.createQuery("SELECT wamid FROM sandbox_messages WHERE workspace_id = :w "
              + "AND phone = :p AND agent_id = :a AND direction = 'outbound' AND status_rank < 3")
          .bind("w", workspaceId).bind("p", phone).bind("a", agentId).mapTo(String.class).list();
      List<String> changed = new ArrayList<>(unread.size());
      for (String w : unread) {
        if (h.createUpdate("UPDATE sandbox_messages SET status = 'read', status_rank = 3, updated_at = :now "
            + "WHERE wamid = :w AND status_rank < 3").bind("now", now).bind("w", w).execute() > 0) {
          changed.add(w);
        }
      }
      return changed;
    });
  }

  void react(String wamid, String emoji, long now) {
    db.writer().execute(h -> h.createUpdate("UPDATE sandbox_messages SET reaction = :e, updated_at = :now "
        + "WHERE wamid = :w").bind("e", emoji == null || emoji.isEmpty() ? null : emoji).bind("now", now)
        .bind("w", wamid).execute());
  }

  Optional<Bubble> byWamid(String wamid) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM sandbox_messages WHERE wamid = :w")
        .bind("w", wamid).map(PhoneStore::map).findOne());
  }

  /** What the workspace's phone shows in its chat with the agent, oldest first (the latest {@code limit}). */
  List<Bubble> chat(String workspaceId, String phone, String agentId, int limit) {
    List<Bubble> newestFirst = db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
            + " FROM sandbox_messages WHERE workspace_id = :w AND phone = :p AND agent_id = :a ORDER BY seq DESC "
            + "LIMIT :limit")
        .bind("w", workspaceId).bind("p", phone).bind("a", agentId).bind("limit", limit).map(PhoneStore::map).list());
    return newestFirst.reversed();
  }

  /** The business's latest interactive message in this chat, which a button or list reply answers. */
  Optional<String> latestInteractive(String workspaceId, String phone, String agentId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT wamid FROM sandbox_messages WHERE workspace_id = :w "
            + "AND phone = :p AND agent_id = :a AND direction = 'outbound' AND type = 'interactive' "
            + "ORDER BY seq DESC LIMIT 1")
        .bind("w", workspaceId).bind("p", phone).bind("a", agentId).mapTo(String.class).findOne());
  }

  /** Customer messages whose webhook never got through (still one tick), for re-emitting after a restart. */
  List<Bubble> undelivered(long since) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM sandbox_messages WHERE "
            + "direction = 'inbound' AND status = 'sent' AND created_at >= :since ORDER BY seq")
        .bind("since", since).map(PhoneStore::map).list());
  }

  private static Bubble map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Bubble(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
        rs.getString(12), rs.getLong(13));
  }
}
