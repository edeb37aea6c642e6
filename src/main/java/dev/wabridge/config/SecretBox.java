package dev.wabridge.config;

import dev.wabridge.support.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored secrets (access tokens, app secrets, agent webhook secrets) with AES-256-GCM under
 * {@code WABRIDGE_SECRET_KEY}, or a key generated once into the data directory. Ciphertext is
 * {@code v1:<base64(iv|ciphertext|tag)>}.
 */
public final class SecretBox {
  private static final String PREFIX = "v1:";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  public static SecretBox of(byte[] key) {
    return new SecretBox(key);
  }

  /** Uses the configured key, else the key file in the data dir, creating it ({@code 0600}) on first start. */
  public static SecretBox load(Optional<String> configured, Path dataDir) {
    if (configured.isPresent()) {
      return new SecretBox(parseKey(configured.get()));
    }
    Path file = dataDir.resolve("secret.key");
    try {
      if (Files.exists(file)) {
        return new SecretBox(parseKey(Files.readString(file).trim()));
      }
      PrivateFiles.createDirectories(dataDir);
      byte[] k = new byte[32];
      RANDOM.nextBytes(k);
      PrivateFiles.writeNew(file, (Base64.getEncoder().encodeToString(k) + "\n").getBytes(StandardCharsets.UTF_8));
      return new SecretBox(k);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot read or create the secret key file " + file + ": " + e.getMessage()
          + " (set WABRIDGE_SECRET_KEY or make WABRIDGE_DATA_DIR writable)");
    }
  }

  public static byte[] parseKey(String encoded) {
    byte[] k;
    try {
      k = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      k = new byte[0];
    }
    if (k.length != 32) {
      throw new ConfigException("WABRIDGE_SECRET_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)");
    }
    return k;
  }

  public String encrypt(String plain) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + ct.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(ct, 0, out, iv.length, ct.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  public String decrypt(String stored) {
    if (!stored.startsWith(PREFIX)) {
      throw new IllegalStateException("stored secret is not in a known format");
    }
    byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
      return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt a stored secret: WABRIDGE_SECRET_KEY differs from the one it was stored with", e);
    }
  }

  private final java.util.concurrent.ConcurrentHashMap<String, byte[]> subKeys =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** HMAC-SHA256 under a key derived from the secret key for one purpose (tokens that need no storage). */
  public byte[] mac(String purpose, String data) {
    byte[] subKey = subKeys.computeIfAbsent(purpose, p ->
        HmacSha256.keyed(key.getEncoded()).doFinal(("wabridge:" + p).getBytes(StandardCharsets.UTF_8)));
    return HmacSha256.keyed(subKey).doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #mac} in lower-case hex, as stored in place of a secret that is only ever compared (API keys). */
  public String macHex(String purpose, String data) {
    return java.util.HexFormat.of().formatHex(mac(purpose, data));
  }

  @Override
  public String toString() {
    return "SecretBox[redacted]";
  }
}
