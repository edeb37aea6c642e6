package dev.wabridge.whatsapp;

/**
 * Who a conversation is with, as Meta names them: a person by business-scoped user id ({@code userId}, Meta's
 * BSUID, sent for every user since 2026) and by phone ({@code phoneNumber}, E.164 with a plus; null while Meta
 * withholds it for a user with a username), or a group ({@code groupId}), whose members write in one conversation.
 */
public record Customer(String phoneNumber, String userId, String username, String groupId) {

  /** Whether there is anyone to answer: a phone, a user id or a group. */
  public boolean known() {
    return phoneNumber != null || userId != null || groupId != null;
  }

  /**
   * What makes the conversation unique for its agent: the group, else the user id (a phone number may be withheld
   * later, a user id is always sent), else the phone.
   */
  public String key() {
    if (groupId != null) {
      return "group:" + groupId;
    }
    return userId != null ? userId : phoneNumber;
  }

  /** WhatsApp ids are digits; we show them as E.164 with a plus. Null stays null. */
  public static String phone(String waId) {
    if (waId == null || waId.isBlank()) {
      return null;
    }
    return waId.chars().allMatch(Character::isDigit) ? "+" + waId : waId;
  }
}
