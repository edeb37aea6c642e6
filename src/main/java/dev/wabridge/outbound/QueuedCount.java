package dev.wabridge.outbound;

import dev.wabridge.support.Workspaces;

import dev.wabridge.auth.QueueDepth;
import dev.wabridge.db.Database;
import dev.wabridge.db.Sql;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How many outbound messages each workspace has waiting to be sent, without a database round trip per question:
 * a snapshot of every workspace's count (one grouped query over the outbox) taken at most once per
 * {@code refreshMillis} by one caller while the others use the previous one, plus what this node queued since.
 *
 * <p>Exactness: never lower than the truth on one node except for sends another node queued since the snapshot
 * (at most {@code refreshMillis} old); sends that left the queue are seen at the next refresh, so the count may be
 * that much too high. Additions made while a snapshot is read may be counted twice until the next one.
 */
public final class QueuedCount implements QueueDepth {
  private record Snapshot(Map<String, Long> counts, long takenAt, ConcurrentHashMap<String, LongAdder> since) {
  }

  private final InstantSource clock;
  private final long refreshMillis;
  private final Supplier<Map<String, Long>> load;
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile Snapshot snapshot;
  /** During a refresh, where additions also go so the new snapshot keeps them. */
  private volatile ConcurrentHashMap<String, LongAdder> next;

  public QueuedCount(InstantSource clock, long refreshMillis, Supplier<Map<String, Long>> load) {
    this.clock = clock;
    this.refreshMillis = refreshMillis;
    this.load = load;
  }

  /** Counts the outbox rows (pending or sending) of each workspace, the default one aside. */
  public static QueuedCount of(Database db, InstantSource clock) {
    return new QueuedCount(clock, 1_000, () -> db.read(c -> Sql.list(c, "SELECT workspace_id, COUNT(*) AS queued "
            + "FROM outbox WHERE workspace_id <> ? GROUP BY workspace_id",
        rs -> Map.entry(rs.getString("workspace_id"), rs.getLong("queued")), Workspaces.DEFAULT).stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
  }

  /** The workspace's waiting sends, as exact as the class comment says. */
  @Override
  public long count(String workspaceId) {
    Snapshot s = fresh();
    LongAdder added = s.since.get(workspaceId);
    return s.counts.getOrDefault(workspaceId, 0L) + (added == null ? 0 : added.sum());
  }

  /** This node queued {@code n} sends for the workspace. */
  @Override
  public void added(String workspaceId, int n) {
    if (n <= 0) {
      return;
    }
    Snapshot s = snapshot;
    if (s != null) {
      s.since.computeIfAbsent(workspaceId, k -> new LongAdder()).add(n);
    }
    ConcurrentHashMap<String, LongAdder> pending = next;
    if (pending != null && (s == null || pending != s.since)) {
      pending.computeIfAbsent(workspaceId, k -> new LongAdder()).add(n);
    }
  }

  private Snapshot fresh() {
    Snapshot s = snapshot;
    if (s != null && clock.millis() - s.takenAt < refreshMillis) {
      return s;
    }
    // One caller refreshes; the others keep to the snapshot they have rather than wait for the query.
    if (s != null && !refreshing.tryLock()) {
      return s;
    }
    if (s == null) {
      refreshing.lock();
    }
    try {
      s = snapshot;
      long now = clock.millis();
      if (s != null && now - s.takenAt < refreshMillis) {
        return s;
      }
      ConcurrentHashMap<String, LongAdder> since = new ConcurrentHashMap<>();
      next = since;
      try {
        s = new Snapshot(Map.copyOf(load.get()), now, since);
        snapshot = s;
      } finally {
        next = null;
      }
      return s;
    } finally {
      refreshing.unlock();
    }
  }
}
