package dev.wabridge.inbound;

import dev.wabridge.conversation.Customer;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** One thing Meta told us in a webhook POST. A POST may carry many, of every kind. */
public sealed interface WebhookEvent {
  /** The business number the event belongs to ({@code metadata.phone_number_id}); null for account events. */
  String phoneNumberId();

  /**
   * A customer's message. {@code type} is Meta's type ("text", "image", …, "unsupported"); {@code text} is the
   * readable string an agent that reads only {@code message} gets; {@code message} is Meta's whole object.
   * {@code from} is the writer's phone (Meta's digits; null when Meta withholds it), {@code fromUserId} their
   * business-scoped user id, {@code username} and {@code customerName} what their profile shows; {@code groupId}
   * is set when they wrote in a group.
   */
  record InboundMessage(
      String phoneNumberId,
      String displayPhoneNumber,
      String wamid,
      String from,
      String fromUserId,
      String username,
      String groupId,
      String customerName,
      Instant timestamp,
      String type,
      String text,
      MediaRef media,
      String replyToWamid,
      JsonNode message) implements WebhookEvent {

    /** The person who wrote (in a group, the member). */
    public Customer writer() {
      return new Customer(Customer.phone(from), fromUserId, username, null);
    }

    /** Whom the conversation is with: the group the message was written in, else its writer. */
    public Customer customer() {
      return groupId != null ? new Customer(null, null, null, groupId) : writer();
    }
  }

  /** Media a customer sent: Meta's media id (downloadable for 7 days) and what Meta says about it. */
  record MediaRef(String kind, String id, String mimeType, String sha256, String filename, String caption,
                  boolean voice, String url) {
  }

  /**
   * A delivery status for a message we sent. {@code status} is sent, delivered, read, played or failed;
   * {@code recipientId} is the phone (or group) it went to, {@code recipientUserId} the user id (either may be
   * missing).
   */
  record StatusUpdate(
      String phoneNumberId,
      String wamid,
      String status,
      Instant timestamp,
      String recipientId,
      String recipientUserId,
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
