package dev.wabridge.agent;

import dev.wabridge.reply.CallbackTokens;
import java.util.function.Function;

/**
 * The links a turn's payload gives the agent: its {@code reply_callback} (under wabridge's public URL, with a token
 * that names the customer's message) and where it can fetch the customer's media ({@code media}: a media id to a
 * signed URL).
 */
public record PayloadLinks(String publicUrl, CallbackTokens tokens, Function<String, String> media) {

  /** Where the agent sends what it has to say later about {@code messageId}. */
  String callbackFor(String messageId) {
    return publicUrl + "/api/callback/" + tokens.tokenFor(messageId);
  }
}
