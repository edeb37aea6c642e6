package dev.wabridge.sandbox;

import dev.wabridge.support.Json;
import dev.wabridge.sandbox.GraphRequest.Send;
import dev.wabridge.sandbox.SimulatedMedia.Media;
import dev.wabridge.sandbox.SimulatedMedia.MediaException;
import dev.wabridge.sandbox.PhoneStore.Bubble;
import dev.wabridge.sandbox.PhoneStore.Phone;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The customers' side of the simulated WhatsApp. A customer's message is recorded on the phone (one tick), sent
 * to wabridge as a signed webhook and turns delivered once wabridge answered 200, read when the business marks
 * it read. A business message is recorded on the customer's phone in the order the sends arrived, answered
 * with {@code sent} at once and {@code delivered} shortly after, and {@code read} when the chat is viewed.
 *
 * <p>Phones belong to workspaces. A business message lands in the chat of the agent that sent it, on the phone of
 * that agent's workspace: wabridge names its message in {@code biz_opaque_callback_data}, and {@link Sender} says
 * whose it is. A send that names no message of wabridge's lands nowhere and fails as undeliverable.
 */
final class PhoneSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(PhoneSimulator.class);
  static final long TYPING_MILLIS = 25_000;
  static final long DELIVERED_AFTER_MILLIS = 200;
  static final long MAX_STICKER_BYTES = 500 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a customer shows of themselves: a username (or null) and whether their number is withheld. */
  record Profile(String username, boolean withholdPhone) {
  }

  /** What a phone shows in one chat. */
  record ChatView(List<Bubble> bubbles, boolean typing) {
  }

  /**
   * The workspace and agent whose conversation a business message belongs to. A null {@code agentId} is a client
   * holding the workspace's own sandbox token ({@link SandboxCredentials}): its sends land in the chat of the agent
   * the customer joined, and it may send only the workspace's own media.
   */
  record Sender(String workspaceId, String agentId) {
    boolean viaToken() {
      return agentId == null;
    }
  }

  private final PhoneStore phones;
  private final SimulatedMedia media;
  private final WebhookEmitter webhooks;
  private final InstantSource clock;
  private final Executor executor;
  private final String businessDigits;
  private final CustomerIds ids;
  private final Lanes lanes = new Lanes();
  /** Per chat: "typing…" until a time, for the customer's message with this seq (a later business message ends it). */
  private final ConcurrentHashMap<String, Typing> typing = new ConcurrentHashMap<>();

  private record Typing(long until, long forSeq) {
  }

  PhoneSimulator(PhoneStore phones, SimulatedMedia media, WebhookEmitter webhooks, InstantSource clock, Executor executor,
                 String businessDigits, CustomerIds ids) {
    this.ids = ids;
    this.phones = phones;
    this.media = media;
    this.webhooks = webhooks;
    this.clock = clock;
    this.executor = executor;
    this.businessDigits = businessDigits;
  }

  /**
   * The customer on the workspace's {@code phone} joins the agent and writes {@code typed} (Meta's {@code type} plus
   * the type's object, optionally {@code context}); returns the new wamid once the message is on the phone.
   */
  String customerWrites(String workspaceId, String agentId, String phone, String name, Profile profile,
                        ObjectNode typed, String readableText) {
    long now = clock.millis();
    phones.join(workspaceId, phone, name, agentId, ids.userId(workspaceId, phone), now);
    Phone customer = phones.phone(workspaceId, phone).orElseThrow();
    if (!Objects.equals(customer.username(), profile.username())
        || customer.withholdPhone() != profile.withholdPhone()) {
      phones.profile(workspaceId, phone, profile.username(), profile.withholdPhone());
      customer = phones.phone(workspaceId, phone).orElseThrow();
    }
    String wamid = newWamid(customer.waId());
    String type = typed.get("type").asString();
    ObjectNode message = inbound(customer, wamid, now, type);
    JsonNode context = typed.get("context");
    if (context != null && context.isString()) {
      message.putObject("context").put("from", businessDigits).put("id", context.asString());
    }
    message.set(type, typed.get(type));
    String mediaId = Json.text(Json.obj(typed, type), "id");
    phones.insert(new Bubble(0, wamid, workspaceId, phone, agentId, PhoneStore.INBOUND, type, readableText,
        Json.string(typed.get(type)), GraphRequest.MEDIA.contains(type) ? mediaId : null, "sent", null, now));
    emitCustomerMessage(wamid, customer, message);
    return wamid;
  }

  /**
   * The head of a customer's message as Meta sends it since BSUIDs: {@code from} (unless the customer withholds
   * their number), {@code from_user_id} always.
   */
  private static ObjectNode inbound(Phone customer, String wamid, long createdAt, String type) {
    ObjectNode message = Json.object();
    if (!customer.withholdPhone()) {
      message.put("from", customer.waId());
    }
    message.put("from_user_id", customer.userId());
    message.put("id", wamid);
    message.put("timestamp", Long.toString(createdAt / 1000));
    message.put("type", type);
    return message;
  }

  private void emitCustomerMessage(String wamid, Phone customer, ObjectNode message) {
    webhooks.message(customer, message).thenAccept(ok -> {
      if (ok) {
        phones.advance(wamid, "delivered", clock.millis());
      }
    });
  }

  /** Re-sends customer messages whose webhook never got through before the last stop (wabridge drops duplicates). */
  void resendUndelivered() {
    for (Bubble b : phones.undelivered(clock.millis() - 3_600_000)) {
      Optional<Phone> customer = phones.phone(b.workspaceId(), b.phone());
      if (customer.isEmpty()) {
        continue;
      }
      ObjectNode message = inbound(customer.get(), b.wamid(), b.createdAt(), b.type());
      message.set(b.type(), Json.parse(b.content()));
      emitCustomerMessage(b.wamid(), customer.get(), message);
    }
  }

  /**
   * Accepts a business send from {@code sender} (empty: not a message of wabridge's): answers with its wamid at
   * once; the phone shows it in send order.
   */
  String businessSends(Send send, Optional<Sender> sender) {
    Optional<Phone> customer = sender.flatMap(s -> customer(s.workspaceId(), send.to()));
    String lane = customer.map(Phone::phone).orElse(send.to().key());
    String wamid = newWamid(customer.map(Phone::waId).orElse(send.to().key().replaceAll("\\D", "")));
    lanes.run(lane, () -> CompletableFuture.runAsync(() -> deliver(send, sender, customer, wamid), executor))
        .exceptionally(t -> {
          LOG.error("sandbox could not deliver {} to {}", wamid, send.to().input(), t);
          return null;
        });
    return wamid;
  }

  /** The workspace's customer a send names, by number ({@code to}) or by BSUID ({@code recipient}). */
  private Optional<Phone> customer(String workspaceId, GraphRequest.To to) {
    return to.waId() != null ? phones.phone(workspaceId, "+" + to.waId()) : phones.byUserId(workspaceId, to.userId());
  }

  private void deliver(Send send, Optional<Sender> sender, Optional<Phone> customer, String wamid) {
    long now = clock.millis();
    if (sender.isEmpty()) {
      fail(wamid, send, customer, MetaError.of(131026).orElseThrow().withDetails("The sandbox shows a business "
          + "message in the chat of the agent that sent it; this send's biz_opaque_callback_data names no message of "
          + "wabridge's."));
      return;
    }
    if (customer.isEmpty()) {
      fail(wamid, send, customer, MetaError.of(131026).orElseThrow().withDetails("No sandbox customer of this "
          + "workspace has " + (send.to().waId() != null ? "the number +" + send.to().waId() : "the BSUID "
          + send.to().userId()) + "; a customer writes first from the sandbox chat or POST /sandbox/api/messages."));
      return;
    }
    Phone phone = customer.get();
    WebhookEmitter.Recipient to = recipient(send, phone, false);
    if (send.type().equals("reaction")) {
      phones.react(Json.text(send.object(), "message_id"), Json.text(send.object(), "emoji"), now);
      webhooks.statuses(List.of(WebhookEmitter.status(wamid, "sent", to, now / 1000, null)));
      return;
    }
    String mediaId = null;
    if (GraphRequest.MEDIA.contains(send.type())) {
      try {
        mediaId = resolveMedia(send, sender.get());
      } catch (MediaException e) {
        fail(wamid, send, customer, MetaError.of(131053).orElseThrow().withDetails(e.getMessage()));
        return;
      }
    }
    String agentId = sender.get().viaToken() ? phone.agentId() : sender.get().agentId();
    phones.insert(new Bubble(0, wamid, phone.workspaceId(), phone.phone(), agentId, PhoneStore.OUTBOUND, send.type(),
        BubbleText.of(send.type(), send.object()), Json.string(send.object()), mediaId, "sent", null, now));
    webhooks.statuses(List.of(WebhookEmitter.status(wamid, "sent", to, now / 1000, null)));
    Executor later = CompletableFuture.delayedExecutor(DELIVERED_AFTER_MILLIS, TimeUnit.MILLISECONDS, executor);
    CompletableFuture.runAsync(() -> {
      if (phones.advance(wamid, "delivered", clock.millis())) {
        webhooks.statuses(List.of(WebhookEmitter.status(wamid, "delivered", to, clock.millis() / 1000, null)));
      }
    }, later);
  }

  /**
   * Whom the statuses of a send name, as Meta's do: a send to a number names it and (unless it failed) the
   * customer's BSUID; a send to a BSUID names the BSUID and the number only when the customer shares it.
   */
  private static WebhookEmitter.Recipient recipient(Send send, Phone customer, boolean failed) {
    if (send.to().waId() != null) {
      return new WebhookEmitter.Recipient(send.to().waId(), failed || customer == null ? null : customer.userId());
    }
    boolean shared = !failed && customer != null && !customer.withholdPhone();
    return new WebhookEmitter.Recipient(shared ? customer.waId() : null, send.to().userId());
  }

  /**
   * The stored file a media send shows: its uploaded id (wabridge's own sends may claim a fresh upload; a client
   * with the workspace's token only the workspace's files) or its link, fetched as Meta would. Either must be of the
   * type's kind, as Meta's media rules say (a sticker is WebP, at most 500 KB), else the send fails with 131053.
   */
  private String resolveMedia(Send send, Sender sender) throws MediaException {
    String id = Json.text(send.object(), "id");
    Media m;
    if (id != null) {
      boolean usable = sender.viaToken() ? media.info(id, sender.workspaceId()).isPresent()
          : media.usableBy(id, sender.workspaceId());
      m = usable ? media.info(id).orElse(null) : null;
      if (m == null) {
        throw new MediaException("media id " + id + " is unknown");
      }
    } else {
      m = media.fetchAsMeta(Json.text(send.object(), "link"), SimulatedMedia.MAX_BYTES, sender.workspaceId());
    }
    String family = send.type().equals("sticker") ? "image/webp" : send.type().equals("document") ? "" : send.type();
    if (!m.mimeType().startsWith(family)) {
      throw new MediaException("Unsupported " + send.type() + " mime type " + m.mimeType()
          + (send.type().equals("sticker") ? ": stickers must be image/webp" : ""));
    }
    if (send.type().equals("sticker") && m.size() > MAX_STICKER_BYTES) {
      throw new MediaException("Sticker file size " + m.size() + " bytes exceeds the limit of 500 KB");
    }
    return m.id();
  }

  private void fail(String wamid, Send send, Optional<Phone> customer, MetaError error) {
    webhooks.statuses(List.of(WebhookEmitter.status(wamid, "failed", recipient(send, customer.orElse(null), true),
        clock.millis() / 1000, error)));
  }

  /**
   * Mark-read from the business: the customer's messages up to this one turn blue; typing shows for 25 s. False for
   * a message that is not a customer's, or not of {@code workspaceId}'s customers (null: any workspace's).
   */
  boolean markRead(String messageId, boolean typing, String workspaceId) {
    Optional<Bubble> b = phones.byWamid(messageId).filter(x -> x.direction().equals(PhoneStore.INBOUND))
        .filter(x -> workspaceId == null || workspaceId.equals(x.workspaceId()));
    if (b.isEmpty()) {
      return false;
    }
    phones.markCustomerRead(messageId, clock.millis());
    if (typing) {
      Bubble read = b.get();
      long now = clock.millis();
      // A late refresh for an older message does not hide the typing for a newer one.
      this.typing.merge(chat(read.workspaceId(), read.phone(), read.agentId()), new Typing(now + TYPING_MILLIS,
          read.seq()), (old, fresh) -> old.forSeq() > fresh.forSeq() && old.until() > now ? old : fresh);
    }
    return true;
  }

  private static String chat(String workspaceId, String phone, String agentId) {
    return workspaceId + ' ' + phone + ' ' + agentId;
  }

  /**
   * What the workspace's phone shows in its chat with the agent. With {@code reads}, the customer has looked: the
   * business's messages turn read (a {@code read} status for each, once); without, the chat is only shown.
   */
  ChatView view(String workspaceId, String phone, String agentId, boolean reads) {
    long now = clock.millis();
    List<String> read = reads ? phones.readBusinessMessages(workspaceId, phone, agentId, now) : List.of();
    if (!read.isEmpty()) {
      Optional<Phone> customer = phones.phone(workspaceId, phone);
      WebhookEmitter.Recipient to = new WebhookEmitter.Recipient(
          customer.filter(Phone::withholdPhone).isPresent() ? null : phone.substring(1),
          customer.map(Phone::userId).orElse(null));
      List<ObjectNode> statuses = new ArrayList<>(read.size());
      for (String w : read) {
        statuses.add(WebhookEmitter.status(w, "read", to, now / 1000, null));
      }
      webhooks.statuses(statuses);
    }
    List<Bubble> bubbles = phones.chat(workspaceId, phone, agentId, 500);
    // Typing shows until it times out or the business answers; judged now, from the chat as stored, so that a
    // typing refresh that crossed the reply on the wire does not bring it back.
    Typing t = typing.get(chat(workspaceId, phone, agentId));
    boolean shown = t != null && t.until() > now && bubbles.stream()
        .noneMatch(x -> x.direction().equals(PhoneStore.OUTBOUND) && x.seq() > t.forSeq());
    if (t != null && !shown) {
      typing.remove(chat(workspaceId, phone, agentId), t);
    }
    return new ChatView(bubbles, shown);
  }

  static String newWamid(String waId) {
    byte[] r = new byte[9];
    RANDOM.nextBytes(r);
    String inner = waId + "\u0015\u0002\u0000\u0011\u0018\u0012" + HexFormat.of().withUpperCase().formatHex(r);
    return "wamid.HBgL" + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.ISO_8859_1));
  }
}
