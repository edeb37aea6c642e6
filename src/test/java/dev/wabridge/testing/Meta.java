package dev.wabridge.testing;

/** Meta-shaped webhook bodies for tests, as Meta sends them. */
public final class Meta {
  private Meta() {
  }

  public static String envelope(String phoneNumberId, String value) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"WABA1\",\"changes\":[{\"value\":{"
        + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550001111\","
        + "\"phone_number_id\":\"" + phoneNumberId + "\"}," + value + "},\"field\":\"messages\"}]}]}";
  }

  public static String text(String phoneNumberId, String from, String name, String wamid, long unixSeconds,
                            String body) {
    return envelope(phoneNumberId, "\"contacts\":[{\"profile\":{\"name\":\"" + name + "\"},\"wa_id\":\"" + from
        + "\"}],\"messages\":[{\"from\":\"" + from + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + unixSeconds
        + "\",\"text\":{\"body\":\"" + body + "\"},\"type\":\"text\"}]");
  }

  public static String status(String phoneNumberId, String wamid, String status, String recipient) {
    String errors = status.equals("failed")
        ? ",\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\",\"message\":\"Message undeliverable\","
        + "\"error_data\":{\"details\":\"Message Undeliverable.\"}}]" : "";
    return envelope(phoneNumberId, "\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status
        + "\",\"timestamp\":\"1750000000\",\"recipient_id\":\"" + recipient + "\"" + errors + "}]");
  }
}
