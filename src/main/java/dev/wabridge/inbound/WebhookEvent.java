package dev.wabridge.inbound;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** One thing Meta told us in a webhook POST. A POST may carry many, of every kind. */
public sealed interface WebhookEvent {
  /** The business number the event belongs to ({@code metadata.phone_number_id}); null for account events. */
  String phoneNumberId();

  /**
   * A customer's message. {@code type} is Meta's type ("text", "image", …, "unsupported"); {@code text} is the
   * readable string an agent that reads only {@code message} gets; {@code message} is Meta's whole object.
   */
  record InboundMessage(
      String phoneNumberId,
      String displayPhoneNumber,
      String wamid,
      String from,
      String customerName,
      Instant timestamp,
      String type,
      String text,
      MediaRef media,
      String replyToWamid,
      JsonNode message) implements WebhookEvent {
  }

  /** Media a customer sent: Meta's media id (downloadable for 7 days) and what Meta says about it. */
  record MediaRef(String kind, String id, String mimeType, String sha256, String filename, String caption,
                  boolean voice, String url) {
  }

  /** A delivery status for a message we sent. {@code status} is sent, delivered, read, played or failed. */
  record StatusUpdate(
      String phoneNumberId,
      String wamid,
      String status,
      Instant timestamp,
      String recipientId,
      String errorCode,
      String errorMessage) implements WebhookEvent {
  }

  /** An error Meta reports outside any message ({@code value.errors[]}), such as 130429. */
  record OutOfBandError(String phoneNumberId, String code, String title, String message) implements WebhookEvent {
  }

  /** A change we do not act on (account, template, call and other fields), kept for the log. */
  record IgnoredChange(String phoneNumberId, String field) implements WebhookEvent {
  }
}
