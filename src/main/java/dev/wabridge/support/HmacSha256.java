package dev.wabridge.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 instances for the keys the hot path signs with (app secrets, agent secrets, token keys). Looking up
 * the algorithm and expanding the key cost more than hashing a webhook, so one keyed instance per key is kept and
 * each use gets a clone of it.
 */
public final class HmacSha256 {
  /** Keys are few (one per number, agent and purpose); past this many the cache is simply emptied. */
  private static final int MAX_KEYS = 10_000;
  private static final ConcurrentHashMap<Key, Mac> KEYED = new ConcurrentHashMap<>();

  private record Key(byte[] bytes, int hash) {
    Key(byte[] bytes) {
      this(bytes, java.util.Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && java.util.Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private HmacSha256() {
  }

  /** A fresh instance keyed with {@code key}'s UTF-8 bytes. */
  public static Mac keyed(String key) {
    return keyed(key.getBytes(StandardCharsets.UTF_8));
  }

  /** A fresh instance keyed with {@code key}. */
  public static Mac keyed(byte[] key) {
    if (KEYED.size() > MAX_KEYS) {
      KEYED.clear();
    }
    Mac prototype = KEYED.computeIfAbsent(new Key(key.clone()), k -> {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(k.bytes(), "HmacSHA256"));
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    });
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
    }
  }
}
