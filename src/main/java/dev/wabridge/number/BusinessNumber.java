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
    String awayMessage,
    boolean shared) {

  /**
   * A number of one workspace, not shared.
   *
   * @param shared whether this is a shared test number, usable from every workspace (the sandbox's), whose customers
   *               are simulated phones: a draft agent answers on it (so an agent can be tried before it is deployed),
   *               a message that no agent takes is not stored, and WhatsApp's identity changes do not apply to it
   */
  public BusinessNumber(String id, String workspaceId, String phoneNumberId, String displayPhoneNumber, String wabaId,
                        String accessToken, String appSecret, int throughputMps, long createdAt, long updatedAt,
                        String awayMessage) {
    this(id, workspaceId, phoneNumberId, displayPhoneNumber, wabaId, accessToken, appSecret, throughputMps, createdAt,
        updatedAt, awayMessage, false);
  }

  /** A number without an away message. */
  public BusinessNumber(String id, String workspaceId, String phoneNumberId, String displayPhoneNumber, String wabaId,
                        String accessToken, String appSecret, int throughputMps, long createdAt, long updatedAt) {
    this(id, workspaceId, phoneNumberId, displayPhoneNumber, wabaId, accessToken, appSecret, throughputMps, createdAt,
        updatedAt, null);
  }

  @Override
  public String toString() {
    return "BusinessNumber[" + id + ", phone_number_id=" + phoneNumberId + ", " + displayPhoneNumber + "]";
  }
}
