package dev.wabridge.sandbox;

import dev.wabridge.Json;
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
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a phone shows in one chat. */
  record ChatView(List<Bubble> bubbles, boolean typing) {
  }

  /** The workspace and agent whose conversation a business message belongs to. */
  record Sender(String workspaceId, String agentId) {
  }

  private final PhoneStore phones;
  private final SimulatedMedia media;
  private final WebhookEmitter webhooks;
  private final InstantSource clock;
  private final Executor executor;
  private final String businessDigits;
  private final Lanes lanes = new Lanes();
  /** Per chat: "typing…" until a time, for the customer's message with this seq (a later business message ends it). */
  private final ConcurrentHashMap<String, Typing> typing = new ConcurrentHashMap<>();

  private record Typing(long until, long forSeq) {
  }

  PhoneSimulator(PhoneStore phones, SimulatedMedia media, WebhookEmitter webhooks, InstantSource clock, Executor executor,
                 String businessDigits) {
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
  String customerWrites(String workspaceId, String agentId, String phone, String name, ObjectNode typed,
                        String readableText) {
    long now = clock.millis();
    phones.join(workspaceId, phone, name, agentId, now);
    String waId = phone.substring(1);
    String wamid = newWamid(waId);
    String type = typed.get("type").asString();
    ObjectNode message = Json.object();
    message.put("from", waId);
    message.put("id", wamid);
    message.put("timestamp", Long.toString(now / 1000));
    message.put("type", type);
    JsonNode context = typed.get("context");
    if (context != null && context.isString()) {
      message.putObject("context").put("from", businessDigits).put("id", context.asString());
    }
    message.set(type, typed.get(type));
    String mediaId = Json.text(Json.obj(typed, type), "id");
    phones.insert(new Bubble(0, wamid, workspaceId, phone, agentId, PhoneStore.INBOUND, type, readableText,
        Json.string(typed.get(type)), GraphRequest.MEDIA.contains(type) ? mediaId : null, "sent", null, now));
    emitCustomerMessage(wamid, waId, name, message);
    return wamid;
  }

  private void emitCustomerMessage(String wamid, String waId, String name, ObjectNode message) {
    webhooks.message(waId, name, message).thenAccept(ok -> {
      if (ok) {
        phones.advance(wamid, "delivered", clock.millis());
      }
    });
  }

  /** Re-sends customer messages whose webhook never got through before the last stop (wabridge drops duplicates). */
  void resendUndelivered() {
    for (Bubble b : phones.undelivered(clock.millis() - 3_600_000)) {
      String waId = b.phone().substring(1);
      ObjectNode message = Json.object();
      message.put("from", waId);
      message.put("id", b.wamid());
      message.put("timestamp", Long.toString(b.createdAt() / 1000));
      message.put("type", b.type());
      message.set(b.type(), Json.parse(b.content()));
      String name = phones.phone(b.workspaceId(), b.phone()).map(Phone::name).orElse("Customer");
      emitCustomerMessage(b.wamid(), waId, name, message);
    }
  }

  /**
   * Accepts a business send from {@code sender} (empty: not a message of wabridge's): answers with its wamid at
   * once; the phone shows it in send order.
   */
  String businessSends(Send send, Optional<Sender> sender) {
    String wamid = newWamid(send.waId());
    lanes.run(send.waId(), () -> CompletableFuture.runAsync(() -> deliver(send, sender, wamid), executor))
        .exceptionally(t -> {
          LOG.error("sandbox could not deliver {} to +{}", wamid, send.waId(), t);
          return null;
        });
    return wamid;
  }

  private void deliver(Send send, Optional<Sender> sender, String wamid) {
    long now = clock.millis();
    String phone = "+" + send.waId();
    if (sender.isEmpty()) {
      fail(wamid, send.waId(), MetaError.of(131026).orElseThrow().withDetails("The sandbox shows a business message "
          + "in the chat of the agent that sent it; this send's biz_opaque_callback_data names no message of "
          + "wabridge's."));
      return;
    }
    Optional<Phone> p = phones.phone(sender.get().workspaceId(), phone);
    if (p.isEmpty()) {
      fail(wamid, send.waId(), MetaError.of(131026).orElseThrow().withDetails("No sandbox customer has the number "
          + phone + "; a customer writes first from the sandbox chat or POST /sandbox/api/messages."));
      return;
    }
    if (send.type().equals("reaction")) {
      phones.react(Json.text(send.object(), "message_id"), Json.text(send.object(), "emoji"), now);
      webhooks.statuses(List.of(WebhookEmitter.status(wamid, "sent", send.waId(), now / 1000, null)));
      return;
    }
    String mediaId = null;
    if (GraphRequest.MEDIA.contains(send.type())) {
      try {
        mediaId = resolveMedia(send, sender.get().workspaceId());
      } catch (MediaException e) {
        fail(wamid, send.waId(), MetaError.of(131053).orElseThrow().withDetails(e.getMessage()));
        return;
      }
    }
    phones.insert(new Bubble(0, wamid, sender.get().workspaceId(), phone, sender.get().agentId(), PhoneStore.OUTBOUND,
        send.type(),
        BubbleText.of(send.type(), send.object()), Json.string(send.object()), mediaId, "sent", null, now));
    webhooks.statuses(List.of(WebhookEmitter.status(wamid, "sent", send.waId(), now / 1000, null)));
    Executor later = CompletableFuture.delayedExecutor(DELIVERED_AFTER_MILLIS, TimeUnit.MILLISECONDS, executor);
    CompletableFuture.runAsync(() -> {
      if (phones.advance(wamid, "delivered", clock.millis())) {
        webhooks.statuses(List.of(WebhookEmitter.status(wamid, "delivered", send.waId(), clock.millis() / 1000, null)));
      }
    }, later);
  }

  private String resolveMedia(Send send, String workspaceId) throws MediaException {
    String id = Json.text(send.object(), "id");
    if (id != null) {
      if (!media.usableBy(id, workspaceId)) {
        throw new MediaException("media id " + id + " is unknown");
      }
      return id;
    }
    Media m = media.fetchAsMeta(Json.text(send.object(), "link"), SimulatedMedia.MAX_BYTES, workspaceId);
    String family = send.type().equals("sticker") ? "image/webp" : send.type().equals("document") ? "" : send.type();
    if (!m.mimeType().startsWith(family)) {
      throw new MediaException("Unsupported " + send.type() + " mime type " + m.mimeType());
    }
    return m.id();
  }

  private void fail(String wamid, String waId, MetaError error) {
    webhooks.statuses(List.of(WebhookEmitter.status(wamid, "failed", waId, clock.millis() / 1000, error)));
  }

  /** Mark-read from the business: the customer's messages up to this one turn blue; typing shows for 25 s. */
  boolean markRead(String messageId, boolean typing) {
    Optional<Bubble> b = phones.byWamid(messageId).filter(x -> x.direction().equals(PhoneStore.INBOUND));
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
      List<ObjectNode> statuses = new ArrayList<>(read.size());
      for (String w : read) {
        statuses.add(WebhookEmitter.status(w, "read", phone.substring(1), now / 1000, null));
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
