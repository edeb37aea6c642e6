package dev.wabridge.whatsapp;

import dev.wabridge.support.HmacSha256;
import java.security.MessageDigest;
import java.util.HexFormat;

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
    return HmacSha256.keyed(secret).doFinal(body);
  }
}
