package dev.wabridge.queue;

import dev.wabridge.config.Tuning;
import dev.wabridge.db.Dialect;
import dev.wabridge.db.WriteBatcher;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short leases on claimed queue rows, renewed while this process works on them. A process that dies stops
 * renewing, so its rows come due again within the queue's lease ({@link Tuning.Queue#lease}) for any node to take;
 * a live one keeps its rows however long an agent takes.
 */
public final class Leases {
  private final long leaseMillis;
  private final long renewEveryMillis;
  private final String renewal;
  private final InstantSource clock;
  private final Set<Long> held = ConcurrentHashMap.newKeySet();
  private volatile long lastRenewal;

  /** @param table a queue table with {@code seq} and {@code lease_until} columns */
  public Leases(String table, Dialect dialect, Tuning.Queue settings, InstantSource clock) {
    if (!table.matches("[a-z_]+")) {
      throw new IllegalArgumentException(table);
    }
    // On PostgreSQL a row that another writer has locked is being finished (deleted) or given back right now: it
    // is skipped rather than waited for, since waiting inside a batch that holds other rows' locks can deadlock.
    this.renewal = "UPDATE " + table + " SET lease_until = :until WHERE seq IN (SELECT seq FROM " + table
        + " WHERE seq IN (<seqs>)" + dialect.skipLocked() + ")";
    this.leaseMillis = settings.lease().toMillis();
    this.renewEveryMillis = settings.renewEvery().toMillis();
    this.clock = clock;
  }

  public long until() {
    return clock.millis() + leaseMillis;
  }

  public void hold(List<Long> seqs) {
    held.addAll(seqs);
  }

  public void release(List<Long> seqs) {
    seqs.forEach(held::remove);
  }

  /** Extends the leases of every row still held, at most every few seconds; call from the claim loop. */
  public void renewIfDue(WriteBatcher writer) {
    long now = clock.millis();
    if (now - lastRenewal < renewEveryMillis || held.isEmpty()) {
      return;
    }
    lastRenewal = now;
    List<Long> seqs = new ArrayList<>(held);
    long until = now + leaseMillis;
    writer.execute(h -> {
      for (int i = 0; i < seqs.size(); i += 500) {
        h.createUpdate(renewal)
            .bind("until", until).bindList("seqs", seqs.subList(i, Math.min(seqs.size(), i + 500))).execute();
      }
      return null;
    });
  }
}
