package dev.wabridge.support;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque, prefixed ids ({@code agt_…}) and unguessable tokens. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

  private Ids() {
  }

  public static String newId(String prefix) {
    char[] out = new char[20];
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[(bytes[i] & 0xff) % ALPHABET.length];
    }
    return prefix + "_" + new String(out);
  }

  /** 256 bits from a CSPRNG, URL-safe. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A short code a person can type (sandbox join codes). */
  public static String newJoinCode() {
    String words = "abcdefghjkmnpqrstuvwxyz23456789";
    StringBuilder sb = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      sb.append(words.charAt(RANDOM.nextInt(words.length())));
    }
    return sb.toString();
  }
}
