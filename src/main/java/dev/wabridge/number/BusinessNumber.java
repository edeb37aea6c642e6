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
   * Whether a draft agent answers on this number: only on the shared test number (the sandbox's), so that an agent
   * can be tried before it is deployed. Everywhere else only a deployed agent answers.
   */
  public boolean answersDrafts() {
    return answersDrafts(id);
  }

  /** As {@link #answersDrafts()}, for a number known only by its id. */
  public static boolean answersDrafts(String numberId) {
    return NumberStore.SANDBOX_ID.equals(numberId);
  }

  @Override
  public String toString() {
    return "BusinessNumber[" + id + ", phone_number_id=" + phoneNumberId + ", " + displayPhoneNumber + "]";
  }
}
