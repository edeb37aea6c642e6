package dev.wabridge.number;

/** A WhatsApp Business phone number and the credentials to use it. Secrets never appear in toString. */
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
    long updatedAt) {

  @Override
  public String toString() {
    return "BusinessNumber[" + id + ", phone_number_id=" + phoneNumberId + ", " + displayPhoneNumber + "]";
  }
}
