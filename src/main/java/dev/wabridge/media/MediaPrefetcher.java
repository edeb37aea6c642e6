package dev.wabridge.media;

import java.util.Optional;
import java.util.function.Function;
import dev.wabridge.support.Json;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.db.Database;
import dev.wabridge.conversation.MessageWrites;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Downloads a customer's media at once, as soon as its webhook is committed (Meta's download URLs last minutes),
 * and keeps the result on the message. The agent turn that needs it waits for the same download rather than
 * starting another; if the process died in between, the turn downloads it itself.
 */
public final class MediaPrefetcher implements AutoCloseable {
  private final InboundMedia inbound;
  private final Database db;
  private final MessageWrites messages = new MessageWrites();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ConcurrentHashMap<String, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();

  /** The media stored on a message now, if any. */
  private final Function<String, Optional<String>> stored;

  public MediaPrefetcher(InboundMedia inbound, Database db, Function<String, Optional<String>> stored) {
    this.inbound = inbound;
    this.db = db;
    this.stored = stored;
  }

  /** Starts the download in the background; nothing happens for a message without media. */
  public void prefetch(String messageId, BusinessNumber number, String workspaceId, String type, JsonNode raw) {
    if (MediaKind.of(type) != null) {
      start(messageId, number, workspaceId, type, raw);
    }
  }

  /** The stored media JSON for the message, downloading it now (or joining the download under way) if needed. */
  public String mediaFor(String messageId, BusinessNumber number, String workspaceId, String type, JsonNode raw) {
    if (MediaKind.of(type) == null) {
      return null;
    }
    if (!inFlight.containsKey(messageId)) {
      // The prefetch may have finished between the caller's read of the message and now: it stored its result,
      // and downloading again would ask Meta (or wherever its link led) twice.
      Optional<String> done = stored.apply(messageId);
      if (done.isPresent()) {
        return done.get();
      }
    }
    return start(messageId, number, workspaceId, type, raw).join();
  }

  private CompletableFuture<String> start(String messageId, BusinessNumber number, String workspaceId, String type,
                                          JsonNode raw) {
    CompletableFuture<String> f = inFlight.computeIfAbsent(messageId, k -> CompletableFuture.supplyAsync(() -> {
      ObjectNode media = inbound.fetch(number, workspaceId, type, raw);
      if (media == null) {
        return null;
      }
      String json = Json.string(media);
      db.writer().execute(h -> {
        messages.setMedia(h, messageId, json);
        return null;
      });
      return json;
    }, executor));
    f.whenComplete((r, e) -> inFlight.remove(messageId, f));
    return f;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
