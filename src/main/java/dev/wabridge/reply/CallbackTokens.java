package dev.wabridge.reply;

import dev.wabridge.config.SecretBox;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * reply_callback tokens: {@code <message id>.<HMAC of it>} under a key derived from the secret key. They are
 * unguessable (256-bit MAC), need no storage on the hot path, are the same on every retry of an agent call,
 * and expire 24 h after the inbound message they belong to (checked against the stored message).
 */
public final class CallbackTokens {
  public static final long VALIDITY_MILLIS = 24L * 3600 * 1000;
  private final SecretBox secrets;

  public CallbackTokens(SecretBox secrets) {
    this.secrets = secrets;
  }

  public String tokenFor(String messageId) {
    return messageId + "." + mac(messageId);
  }

  /** The message id the token belongs to, when its MAC is right. */
  public Optional<String> messageIdOf(String token) {
    if (token == null) {
      return Optional.empty();
    }
    int dot = token.lastIndexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String id = token.substring(0, dot);
    byte[] given = token.substring(dot + 1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] expected = mac(id).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, expected) ? Optional.of(id) : Optional.empty();
  }

  private String mac(String messageId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secrets.mac("reply_callback", messageId));
  }
}
