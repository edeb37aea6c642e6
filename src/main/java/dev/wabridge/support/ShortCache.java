package dev.wabridge.support;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A read-through cache whose entries live a few seconds. Writes on this node invalidate at once; a write on
 * another node of a cluster is seen here within the time to live, so a number registered or an agent deployed
 * elsewhere is never missed for long. Bounded: past {@code maxSize} entries it starts over.
 */
public final class ShortCache<K, V> {
  private record Entry<V>(V value, long expiresAt) {
  }

  private final ConcurrentHashMap<K, Entry<V>> map = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final long ttlMillis;
  private final int maxSize;

  public ShortCache(InstantSource clock, long ttlMillis, int maxSize) {
    this.clock = clock;
    this.ttlMillis = ttlMillis;
    this.maxSize = maxSize;
  }

  public V get(K key, Function<K, V> loader) {
    return get(key, loader, v -> true);
  }

  /** As {@link #get(Object, Function)}, keeping only values {@code worthKeeping} accepts. */
  public V get(K key, Function<K, V> loader, Predicate<V> worthKeeping) {
    long now = clock.millis();
    Entry<V> e = map.get(key);
    if (e != null && e.expiresAt() > now) {
      return e.value();
    }
    V value = loader.apply(key);
    if (worthKeeping.test(value)) {
      if (map.size() >= maxSize) {
        map.clear();
      }
      map.put(key, new Entry<>(value, now + ttlMillis));
    }
    return value;
  }

  public void invalidate(K key) {
    map.remove(key);
  }

  public void invalidateIf(Predicate<V> matches) {
    map.values().removeIf(e -> matches.test(e.value()));
  }

  public void clear() {
    map.clear();
  }
}
