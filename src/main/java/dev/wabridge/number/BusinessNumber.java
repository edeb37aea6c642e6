package dev.wabridge.number;

/**
 * A WhatsApp Business phone number and the credentials to use it. Secrets never appear in toString.
 * {@code awayMessage}: sent (at most once a day per conversation) to a customer whose message waits because no agent
 * answers the number or its agent is paused; null for none.
 */
public record BusinessNumber(
    String id,
    String workspaceId,
    String phoneNumberId,
    String displayPhoneNumber,
    String wabaId,
    String accessToken,
    String appSecret,
    int throughputMps,
    long createdAt,
    long updatedAt,
    String awayMessage) {

  /** A number without an away message. */
  public BusinessNumber(String id, String workspaceId, String phoneNumberId, String displayPhoneNumber, String wabaId,
                        String accessToken, String appSecret, int throughputMps, long createdAt, long updatedAt) {
    this(id, workspaceId, phoneNumberId, displayPhoneNumber, wabaId, accessToken, appSecret, throughputMps, createdAt,
        updatedAt, null);
  }

  /**
   * Whether this is the shared test number (the sandbox's), usable from every workspace, whose customers are
   * simulated phones: a draft agent answers on it (so an agent can be tried before it is deployed), a message that
   * no agent takes is not stored, and WhatsApp's identity changes do not apply to it.
   */
  public boolean shared() {
    return shared(id);
  }

  /** As {@link #shared()}, for a number known only by its id (a conversation's). */
  public static boolean shared(String numberId) {
    return NumberStore.SANDBOX_ID.equals(numberId);
  }

  @Override
  public String toString() {
    return "BusinessNumber[" + id + ", phone_number_id=" + phoneNumberId + ", " + displayPhoneNumber + "]";
  }
}
