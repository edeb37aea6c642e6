package dev.wabridge.conversation;

import dev.wabridge.whatsapp.Customer;
import dev.wabridge.db.Sql;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Meta's word that a customer's identity changed (a new phone, a new business-scoped user id) to their
 * conversations in a workspace, so that their next message finds the conversation and replies go to who they are now.
 * Meta regenerates the user id when a user changes their phone, and the old one stops working.
 */
public final class IdentityUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityUpdates.class);

  /**
   * Who a customer was and is now: user ids as Meta sends them, phones as Meta's digits; a null "now" value is
   * unchanged.
   */
  public record Change(String previousUserId, String previousPhone, String userId, String phone) {
  }

  /**
   * Rewrites the workspace's one-to-one conversations with the customer (those with the previous user id; without a
   * user id, those with the previous phone): the new user id and phone are stored, and a conversation keyed by the
   * old identity is keyed by the new one, unless its agent already has a conversation on that number keyed by the new
   * identity: then the conversation keeps its key (and its history) and a WARN line says so. Returns how many
   * conversations changed. The caller holds the customer's writer.
   */
  public int apply(Handle h, String workspaceId, Change change) {
    String previousPhone = Customer.phone(change.previousPhone());
    String newPhone = Customer.phone(change.phone());
    List<Conversation> theirs = Sql.list(h, "SELECT " + ConversationRows.CONV_COLUMNS + " FROM conversations "
            + "WHERE workspace_id = ? AND group_id IS NULL AND (user_id = ? OR user_id IS NULL AND phone_number = ?)",
        ConversationRows::conversation, workspaceId, change.previousUserId(), previousPhone);
    int changed = 0;
    for (Conversation c : theirs) {
      String userId = change.userId() != null ? change.userId() : c.userId();
      String phone = newPhone != null ? newPhone : c.phoneNumber();
      boolean keyedByIdentity = c.customerKey().equals(c.userId()) || c.customerKey().equals(c.phoneNumber());
      String key = keyedByIdentity ? new Customer(phone, userId, c.username(), null).key() : c.customerKey();
      String agentKey = ConversationRows.agentKey(c.agentId());
      if (!key.equals(c.customerKey()) && ConversationRows.find(h, agentKey, c.numberId(), key).isPresent()) {
        LOG.warn("conversation {} keeps its customer key: its agent already has a conversation with the customer's new "
            + "identity on the same number, and the two are not merged", c.id());
        key = c.customerKey();
      }
      changed += Sql.update(h, "UPDATE conversations SET user_id = ?, phone_number = ?, customer_key = ? WHERE id = ?",
          userId, phone, key, c.id());
    }
    if (changed > 0) {
      LOG.info("a customer's identity changed (Meta's system message or user_id_update): {} conversation(s) updated",
          changed);
    }
    return changed;
  }
}
