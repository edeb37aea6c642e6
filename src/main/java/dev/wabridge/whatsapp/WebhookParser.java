package dev.wabridge.whatsapp;

import dev.wabridge.support.Json;
import dev.wabridge.whatsapp.WebhookEvent.IgnoredChange;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.whatsapp.WebhookEvent.MediaRef;
import dev.wabridge.whatsapp.WebhookEvent.OutOfBandError;
import dev.wabridge.whatsapp.WebhookEvent.StatusUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads Meta's whole webhook envelope: every entry, every change, every message, status and error in it.
 * Unknown message types become {@code unsupported} messages and unknown fields {@link IgnoredChange}s; only a
 * body that is not Meta's shape at all is rejected, or one whose {@code metadata.phone_number_id} is not Meta's (a
 * string of digits), or one that names more numbers or accounts than {@link #MAX_IDS}: such a body is refused before
 * anything is looked up for it.
 */
public final class WebhookParser {
  private static final Set<String> MEDIA = Set.of("image", "video", "audio", "document", "sticker");
  /** Meta's ids (phone number ids, WhatsApp Business Account ids) are digits; registration takes up to 64. */
  private static final Pattern META_ID = Pattern.compile("[0-9]{1,64}");
  /**
   * Distinct phone number ids (and, separately, accounts) one body may name. Meta's name one or a few; each costs
   * a lookup.
   */
  public static final int MAX_IDS = 100;

  /** Message types we read; any other {@code type} (and a missing one, and Meta's old "unknown") becomes "unsupported". */
  public static final Set<String> KNOWN_TYPES = Set.of("text", "image", "video", "audio", "document", "sticker", "location",
      "contacts", "interactive", "button", "reaction", "order", "system", "unsupported", "unknown", "request_welcome",
      "revoke", "edit");
  /** A business-scoped user id: an ISO country code, a dot, alphanumerics (a parent id has "ENT." in between). */
  private static final Pattern USER_ID = Pattern.compile("[A-Z]{2}\\.[A-Za-z0-9.]{1,160}");

  /** The body is not a WhatsApp Business Account notification. */
  public static final class MalformedWebhookException extends RuntimeException {
    public MalformedWebhookException(String message) {
      super(message);
    }
  }

  /**
   * A parsed body: its events, the distinct phone number ids they name, and the accounts of the changes that name
   * none (account, template and other account-level changes): their {@code entry[].id}, Meta's WhatsApp Business
   * Account id, or, for those whose entry has no usable id, a count.
   */
  public record Envelope(List<WebhookEvent> events, Set<String> phoneNumberIds, Set<String> accountIds,
                         int accountChangesWithoutId) {
    /** Whether any change names no phone number. */
    public boolean accountLevel() {
      return !accountIds.isEmpty() || accountChangesWithoutId > 0;
    }
  }

  public List<WebhookEvent> parse(byte[] body) {
    return read(body).events();
  }

  public Envelope read(byte[] body) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (JacksonException e) {
      throw new MalformedWebhookException("body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedWebhookException("body must be a JSON object");
    }
    JsonNode entries = root.get("entry");
    if (entries == null || !entries.isArray()) {
      throw new MalformedWebhookException("body has no 'entry' array; expected Meta's whatsapp_business_account envelope");
    }
    List<WebhookEvent> events = new ArrayList<>();
    Set<String> numbers = new LinkedHashSet<>();
    Set<String> accounts = new LinkedHashSet<>();
    int withoutId = 0;
    for (JsonNode entry : entries.values()) {
      for (JsonNode change : Json.items(entry, "changes")) {
        if (!change.isObject()) {
          continue;
        }
        String phoneNumberId = phoneNumberId(change);
        if (phoneNumberId != null) {
          numbers.add(phoneNumberId);
          if (numbers.size() > MAX_IDS) {
            throw new MalformedWebhookException("the body names more than " + MAX_IDS + " distinct "
                + "metadata.phone_number_id values; Meta's name one or a few");
          }
        } else {
          String account = Json.text(entry, "id");
          if (account == null || !META_ID.matcher(account).matches()) {
            withoutId++;
          } else if (accounts.add(account) && accounts.size() > MAX_IDS) {
            throw new MalformedWebhookException("the body's account-level changes name more than " + MAX_IDS
                + " distinct entry[].id values; Meta's name one or a few");
          }
        }
        parseChange(change, phoneNumberId, Json.text(entry, "id"), events);
      }
    }
    return new Envelope(events, numbers, accounts, withoutId);
  }

  /** The change's {@code value.metadata.phone_number_id}: null when it names none; refused when it is not digits. */
  private static String phoneNumberId(JsonNode change) {
    String id = Json.text(Json.obj(Json.obj(change, "value"), "metadata"), "phone_number_id");
    if (id != null && !META_ID.matcher(id).matches()) {
      throw new MalformedWebhookException("metadata.phone_number_id must be Meta's phone number id: 1 to 64 digits");
    }
    return id;
  }

  private void parseChange(JsonNode change, String phoneNumberId, String accountId, List<WebhookEvent> out) {
    String field = Json.text(change, "field");
    JsonNode value = Json.obj(change, "value");
    JsonNode metadata = Json.obj(value, "metadata");
    if ("user_id_update".equals(field) && value != null) {
      out.add(userIdUpdate(phoneNumberId, accountId, value));
      return;
    }
    if (!"messages".equals(field) || value == null) {
      out.add(new IgnoredChange(phoneNumberId, field));
      return;
    }
    String display = Json.text(metadata, "display_phone_number");
    Contacts contacts = new Contacts(Json.items(value, "contacts"));
    // Errors about the change as a whole (Meta's "Unsupported webhook payload" beside a message it could not
    // describe) belong to its messages too: the agent should learn why the message is empty.
    JsonNode changeErrors = value.get("errors");
    boolean any = false;
    for (JsonNode m : Json.items(value, "messages")) {
      if (!m.isObject()) {
        continue;
      }
      JsonNode message = m;
      if (changeErrors != null && changeErrors.isArray() && !changeErrors.isEmpty() && !m.has("errors")) {
        message = m.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) message).set("errors", changeErrors.deepCopy());
      }
      out.add(message(phoneNumberId, display, contacts, message));
      any = true;
    }
    for (JsonNode s : Json.items(value, "statuses")) {
      if (!s.isObject()) {
        continue;
      }
      out.add(status(phoneNumberId, s));
      any = true;
    }
    for (JsonNode e : Json.items(value, "errors")) {
      if (!e.isObject()) {
        continue;
      }
      out.add(new OutOfBandError(phoneNumberId, Json.text(e, "code"), Json.text(e, "title"), errorMessage(e)));
      any = true;
    }
    if (!any) {
      out.add(new IgnoredChange(phoneNumberId, field));
    }
  }

  /**
   * The older field {@code user_id_update}: {@code {"wa_id", "detail", "user_id": {"previous", "current"},
   * "parent_user_id": {...}, "timestamp"}} (Meta declared it not subscribable; read if it comes). Without a previous
   * and a current user id it changes nothing and is kept as ignored.
   */
  private static WebhookEvent userIdUpdate(String phoneNumberId, String accountId, JsonNode value) {
    JsonNode ids = Json.obj(value, "user_id");
    String previous = identifier(Json.text(ids, "previous"));
    String current = userIdOrNull(Json.text(ids, "current"));
    String waId = phoneOrNull(Json.text(value, "wa_id"));
    if (previous == null || current == null) {
      return new IgnoredChange(phoneNumberId, "user_id_update");
    }
    String account = accountId != null && META_ID.matcher(accountId).matches() ? accountId : null;
    return new WebhookEvent.IdentityChange(phoneNumberId, phoneNumberId == null ? account : null, previous, null,
        current, waId);
  }

  /**
   * The change's {@code contacts[]}: who wrote its messages, found by phone ({@code wa_id}) or business-scoped user id
   * ({@code user_id}). Meta puts the user id there, not always on the message.
   */
  private static final class Contacts {
    private final Map<String, JsonNode> byId = new HashMap<>();
    private final List<JsonNode> all = new ArrayList<>();

    Contacts(Iterable<JsonNode> contacts) {
      for (JsonNode c : contacts) {
        if (c.isObject()) {
          all.add(c);
          putIfPresent(byId, blankToNull(Json.text(c, "wa_id")), c);
          putIfPresent(byId, blankToNull(Json.text(c, "user_id")), c);
        }
      }
    }

    /**
     * The contact of the message's writer: the one with its phone or user id; else the change's only contact, when
     * nothing in it contradicts the message (it names no other phone or user id).
     */
    JsonNode writer(String from, String fromUserId) {
      JsonNode c = from == null ? null : byId.get(from);
      if (c == null && fromUserId != null) {
        c = byId.get(fromUserId);
      }
      if (c == null && all.size() == 1) {
        JsonNode only = all.getFirst();
        String waId = blankToNull(Json.text(only, "wa_id"));
        String userId = blankToNull(Json.text(only, "user_id"));
        boolean agrees = (waId == null || waId.equals(from)) && (userId == null || userId.equals(fromUserId));
        c = agrees ? only : null;
      }
      return c;
    }

    private static void putIfPresent(Map<String, JsonNode> map, String key, JsonNode value) {
      if (key != null) {
        map.putIfAbsent(key, value);
      }
    }
  }

  private InboundMessage message(String phoneNumberId, String display, Contacts contacts, JsonNode m) {
    // A user id must look like one (a country prefix and a dot): a conversation's key is the user id itself, which
    // must never read as a phone's "+…" key or a group's "group:…" one.
    String fromUserId = userIdOrNull(identifier(Json.text(m, "from_user_id")));
    String from = identifier(Json.text(m, "from"));
    if (from != null && USER_ID.matcher(from).matches()) {
      // Some integrations put the user id where the phone goes; Meta omits the phone instead.
      fromUserId = fromUserId == null ? from : fromUserId;
      from = null;
    }
    JsonNode contact = contacts.writer(from, fromUserId);
    if (contact != null) {
      // The contact may know what the message leaves out: the user id (Meta's messages[] often carry only "from"),
      // or the phone of a user whose message names only the user id.
      fromUserId = fromUserId != null ? fromUserId : userIdOrNull(Json.text(contact, "user_id"));
      from = from != null ? from : phoneOrNull(Json.text(contact, "wa_id"));
    }
    JsonNode profile = Json.obj(contact, "profile");
    String type = Json.text(m, "type");
    if (type == null || !KNOWN_TYPES.contains(type)) {
      type = "unsupported";
    }
    JsonNode body = Json.obj(m, type);
    MediaRef media = null;
    if (MEDIA.contains(type) && body != null) {
      media = new MediaRef(type, Json.text(body, "id"), Json.text(body, "mime_type"), Json.text(body, "sha256"),
          Json.text(body, "filename"), Json.text(body, "caption"), body.path("voice").asBoolean(false),
          Json.text(body, "url"));
    }
    JsonNode context = Json.obj(m, "context");
    return new InboundMessage(phoneNumberId, display, Json.text(m, "id"), from, fromUserId,
        identifier(Json.text(profile, "username")), identifier(Json.text(m, "group_id")),
        profileName(Json.text(profile, "name")), timestamp(Json.text(m, "timestamp")), type,
        InboundText.of(type, m), media, Json.text(context, "id"), m);
  }

  /** The longest profile name kept; WhatsApp's are a few dozen characters. */
  static final int MAX_PROFILE_NAME = 256;

  /**
   * A customer's profile name as it is stored and shown: null when blank, control characters (a line break in a
   * log line or a page) turned into spaces, at most {@link #MAX_PROFILE_NAME} characters.
   */
  static String profileName(String s) {
    String name = blankToNull(s);
    if (name == null) {
      return null;
    }
    name = name.replaceAll("\\p{Cntrl}", " ").strip();
    if (name.length() > MAX_PROFILE_NAME) {
      int end = Character.isHighSurrogate(name.charAt(MAX_PROFILE_NAME - 1)) ? MAX_PROFILE_NAME - 1 : MAX_PROFILE_NAME;
      name = name.substring(0, end);
    }
    return name.isEmpty() ? null : name;
  }

  /** The longest user id, group id or username kept; Meta's are a few dozen characters. */
  static final int MAX_IDENTIFIER = 200;

  /**
   * An identifier a webhook names (user id, phone, group id, username) as it becomes a conversation's key and columns:
   * null when blank, longer than {@link #MAX_IDENTIFIER}, or holding whitespace or control characters, none of which
   * Meta's have.
   */
  static String identifier(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_IDENTIFIER) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isWhitespace(ch) || Character.isISOControl(ch) || Character.isSpaceChar(ch)) {
        return null;
      }
    }
    return s;
  }

  /** A contact's user id, if it looks like one (a contact's fields are not checked otherwise). */
  static String userIdOrNull(String s) {
    return s != null && USER_ID.matcher(s).matches() ? s : null;
  }

  /** A contact's phone: Meta's digits; anything else (a user id, a placeholder) is no phone. */
  static String phoneOrNull(String s) {
    return s != null && !s.isEmpty() && s.length() <= 20 && s.chars().allMatch(Character::isDigit) ? s : null;
  }

  private StatusUpdate status(String phoneNumberId, JsonNode s) {
    String code = null;
    String message = null;
    for (JsonNode e : Json.items(s, "errors")) {
      code = Json.text(e, "code");
      message = errorMessage(e);
      break;
    }
    return new StatusUpdate(phoneNumberId, Json.text(s, "id"), Json.text(s, "status"),
        timestamp(Json.text(s, "timestamp")), Json.text(s, "recipient_id"), Json.text(s, "recipient_user_id"), code,
        message);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Meta's most helpful wording: error_data.details, else message, else title. */
  static String errorMessage(JsonNode e) {
    String details = Json.text(Json.obj(e, "error_data"), "details");
    if (details != null && !details.isBlank()) {
      return details;
    }
    String message = Json.text(e, "message");
    return message != null ? message : Json.text(e, "title");
  }

  private static Instant timestamp(String unixSeconds) {
    if (unixSeconds == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(unixSeconds.trim());
      // Beyond year 9999 is not a time Meta sends; treat it as missing rather than fail the webhook.
      return seconds < 0 || seconds > 253_402_300_799L ? null : Instant.ofEpochSecond(seconds);
    } catch (NumberFormatException e) {
      return null;
    }
  }

}
