package dev.wabridge.whatsapp;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.Customer;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
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

  /**
   * Meta says a customer's identity changed: their phone ({@code system} message {@code user_changed_number}, formerly
   * {@code customer_changed_number}) or their business-scoped user id ({@code user_changed_user_id}, or the older
   * webhook field {@code user_id_update}). {@code previousUserId} and {@code previousPhone} (Meta's digits) name whom
   * we knew, {@code userId} and {@code phone} what they are now (null when unchanged or not given).
   * {@code accountId} is the WhatsApp Business Account of a change that names no number ({@code entry[].id}).
   */
  record IdentityChange(String phoneNumberId, String accountId, String previousUserId, String previousPhone,
                        String userId, String phone) implements WebhookEvent {
    /** The system message types that change who a customer is. */
    static final Set<String> SYSTEM_TYPES = Set.of("user_changed_number",
        "customer_changed_number", "user_changed_user_id");

    /** The change a system message announces, if it announces one. */
    public static Optional<IdentityChange> of(InboundMessage m) {
      JsonNode system = m.message() == null ? null : m.message().get("system");
      if (!"system".equals(m.type()) || system == null || !system.isObject()
          || !SYSTEM_TYPES.contains(Json.text(system, "type"))) {
        return Optional.empty();
      }
      // What it says they are now becomes their conversation's key: only Meta's shapes (a user id, a phone's digits).
      String previousUserId = WebhookParser.identifier(Json.text(system, "previous_user_id"));
      IdentityChange c = new IdentityChange(m.phoneNumberId(), null,
          previousUserId != null ? previousUserId : m.fromUserId(), m.from(),
          WebhookParser.userIdOrNull(Json.text(system, "user_id")),
          WebhookParser.phoneOrNull(Json.text(system, "wa_id")));
      return c.changesAnything() ? Optional.of(c) : Optional.empty();
    }

    /** Whether it names someone we may know and something new about them. */
    public boolean changesAnything() {
      boolean known = previousUserId != null || previousPhone != null;
      boolean news = userId != null && !userId.equals(previousUserId) || phone != null && !phone.equals(previousPhone);
      return known && news;
    }

    /** The customer key of whom it concerns, as their messages are keyed (which writer takes it). */
    public String customerKey() {
      return previousUserId != null ? previousUserId : Customer.phone(previousPhone);
    }
  }

  /** A change we do not act on (account, template, call and other fields), kept for the log. */
  record IgnoredChange(String phoneNumberId, String field) implements WebhookEvent {
  }
}
