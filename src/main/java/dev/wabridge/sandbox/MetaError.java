package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.support.Ids;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * One of Meta's Graph errors as the Cloud API returns it: the HTTP status Meta answers with, the code, the title
 * that forms {@code "(#code) title"} and the {@code error_data.details} text. The catalog holds the codes the
 * sandbox can produce, with Meta's own titles (Meta's Cloud API error codes).
 */
record MetaError(int httpStatus, int code, String title, String details, boolean isTransient) {

  private static final Map<Integer, MetaError> CATALOG = Map.ofEntries(
      entry(400, 130429, "Rate limit hit", "Cloud API message throughput has been reached.", true),
      entry(400, 131056, "(Business Account, Consumer Account) pair rate limit hit",
          "Message failed to send because there were too many messages sent from this phone number to the same "
              + "phone number in a short period of time.", true),
      entry(429, 80007, "Rate limit issues", "The WhatsApp Business Account has reached its rate limit.", true),
      entry(429, 4, "Application request limit reached", "Too many API calls from this app.", true),
      entry(400, 131026, "Message undeliverable", "Message Undeliverable.", false),
      entry(400, 131047, "Re-engagement message", "Message failed to send because more than 24 hours have passed "
          + "since the customer last replied to this number.", false),
      entry(400, 100, "Invalid parameter", "Invalid parameter.", false),
      entry(400, 131009, "Parameter value is not valid", "Parameter value is not valid.", false),
      entry(400, 131053, "Media upload error", "Media upload error.", false),
      entry(400, 131041, "Group unknown", "The group was not found, either because it doesn't exist or you are not "
          + "a member.", false),
      entry(500, 131000, "Something went wrong", "Message failed to send due to an unknown error.", true),
      entry(500, 131016, "Service unavailable", "A service is temporarily unavailable.", true),
      entry(500, 1, "An unknown error occurred", "Invalid request or possible server error.", true),
      entry(500, 2, "Service temporarily unavailable", "Temporary due to downtime or due to being overloaded.", true),
      entry(401, 190, "Invalid OAuth access token - Cannot parse access token",
          "The access token is missing, malformed or not the one issued for this phone number.", false));

  private static Map.Entry<Integer, MetaError> entry(int http, int code, String title, String details,
                                                     boolean isTransient) {
    return Map.entry(code, new MetaError(http, code, title, details, isTransient));
  }

  /** A code the sandbox knows, with Meta's title and default details. */
  static Optional<MetaError> of(int code) {
    return Optional.ofNullable(CATALOG.get(code));
  }

  static java.util.Set<Integer> codes() {
    return CATALOG.keySet();
  }

  static MetaError invalidParameter(String details) {
    return CATALOG.get(100).withDetails(details);
  }

  static MetaError badToken() {
    return CATALOG.get(190);
  }

  MetaError withDetails(String newDetails) {
    return new MetaError(httpStatus, code, title, newDetails, isTransient);
  }

  /** Meta's synchronous error body. A token error (190) carries no "(#code)" prefix and no error_data, as Meta's. */
  ObjectNode body() {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("message", code == 190 ? title : "(#" + code + ") " + title);
    e.put("type", "OAuthException");
    e.put("code", code);
    if (code != 190) {
      ObjectNode data = e.putObject("error_data");
      data.put("messaging_product", "whatsapp");
      data.put("details", details);
    }
    if (isTransient) {
      e.put("is_transient", true);
    }
    e.put("fbtrace_id", fbtraceId());
    return root;
  }

  /**
   * Graph's answer (HTTP 400) to a request for an object the token cannot see, that does not exist or that does not
   * take the method: {@code GraphMethodException}, code 100, subcode 33, in Meta's words; {@code verb} is the method
   * in lower case.
   */
  static ObjectNode unsupported(String verb, String id) {
    ObjectNode root = Json.object();
    ObjectNode e = root.putObject("error");
    e.put("message", "Unsupported " + verb + " request. Object with ID '" + id + "' does not exist, cannot be loaded "
        + "due to missing permissions, or does not support this operation. Please read the Graph API documentation "
        + "at https://developers.facebook.com/docs/graph-api");
    e.put("type", "GraphMethodException");
    e.put("code", 100);
    e.put("error_subcode", 33);
    e.put("fbtrace_id", fbtraceId());
    return root;
  }

  /** The webhook form of the error, as in a failed status's {@code errors[]}. */
  ObjectNode webhookError() {
    ObjectNode e = Json.object();
    e.put("code", code);
    e.put("title", title);
    e.put("message", title);
    e.putObject("error_data").put("details", details);
    e.put("href", "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/");
    return e;
  }

  private static String fbtraceId() {
    return "A" + Ids.newToken().substring(0, 22);
  }
}
