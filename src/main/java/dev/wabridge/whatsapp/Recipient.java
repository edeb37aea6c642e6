package dev.wabridge.whatsapp;

import dev.wabridge.whatsapp.Customer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whom a send goes to, addressed as Meta expects: a group by {@code recipient_type: group} and its id in {@code to};
 * a person by phone in {@code to} when the phone is known (Meta advises it: phones keep coming back, and
 * authentication templates need one), else by business-scoped user id in {@code recipient}.
 */
public record Recipient(String phone, String userId, String groupId) {

  public static Recipient of(Customer c) {
    return new Recipient(c.phoneNumber(), c.userId(), c.groupId());
  }

  /** Whether Meta can be told whom to send to. */
  public boolean addressable() {
    return groupId != null || phone != null || userId != null;
  }

  /** Whether this is a group: Meta supports neither read receipts nor the typing indicator there. */
  public boolean group() {
    return groupId != null;
  }

  /**
   * Why Meta would refuse a message of this Meta {@code type} ("text", "interactive", …) to this recipient, or null
   * when it may go. Groups receive text, media and templates, never interactive messages (buttons, lists, flows,
   * products, carousels).
   */
  public String refusal(String type) {
    if (groupId != null && "interactive".equals(type)) {
      return "WhatsApp groups cannot receive interactive messages (buttons, lists, flows, products, carousels); "
          + "send text, media or a template to a group";
    }
    return null;
  }

  /** Puts {@code recipient_type} and {@code to} or {@code recipient} into a send's body. */
  public void address(ObjectNode body) {
    if (groupId != null) {
      body.put("recipient_type", "group");
      body.put("to", groupId);
    } else if (phone != null) {
      body.put("recipient_type", "individual");
      body.put("to", phone);
    } else {
      body.put("recipient_type", "individual");
      body.put("recipient", userId);
    }
  }

  /** Without the phone number or user id: sends are logged. */
  @Override
  public String toString() {
    return groupId != null ? "Recipient[group]" : phone != null ? "Recipient[phone]" : "Recipient[user_id]";
  }
}
