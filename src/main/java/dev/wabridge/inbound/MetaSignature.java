package dev.wabridge.inbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Meta's {@code X-Hub-Signature-256}: HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
public final class MetaSignature {
  private static final String PREFIX = "sha256=";

  private MetaSignature() {
  }

  public static boolean verify(byte[] rawBody, String header, String appSecret) {
    if (rawBody == null || header == null || !header.startsWith(PREFIX) || appSecret == null
        || appSecret.isEmpty()) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim().toLowerCase());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(rawBody, appSecret), given);
  }

  public static String sign(byte[] rawBody, String appSecret) {
    return PREFIX + HexFormat.of().formatHex(hmac(rawBody, appSecret));
  }

  static byte[] hmac(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
