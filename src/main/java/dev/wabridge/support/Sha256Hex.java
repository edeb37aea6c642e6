package dev.wabridge.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hex SHA-256 of a text: how API keys and verify tokens were stored before they were HMACs under the server secret.
 * Only to find such rows and rewrite them; nothing new is stored this way.
 */
public final class Sha256Hex {
  private Sha256Hex() {
  }

  public static String of(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
