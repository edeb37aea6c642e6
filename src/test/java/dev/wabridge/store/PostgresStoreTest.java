package dev.wabridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL (127.0.0.1:5432; skipped with a message where there is none). */
class PostgresStoreTest extends StoreContract {
  private String url;

  @Override
  Database open() {
    url = TestDatabases.freshPostgres();
    return Database.postgres(url, TestDatabases.user(), null);
  }

  @Override
  void cleanup() {
    TestDatabases.drop(url);
  }

  @Test
  void eachCustomerAlwaysHasTheSameWriterAndTheWritersAreShared() {
    Set<WriteBatcher> used = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String phone = "+1555" + (1_000_000 + i);
      assertThat(db.writer(phone)).isSameAs(db.writer(phone));
      used.add(db.writer(phone));
    }
    assertThat(used).hasSize(Database.POSTGRES_WRITERS);
    assertThat(db.writer(null)).isSameAs(db.writer());
  }

  @Test
  void aLeaseRenewalSkipsARowAnotherWriterIsFinishingInsteadOfWaitingForIt() throws Exception {
    MutableClock clock = new MutableClock(Instant.ofEpochMilli(now));
    List<Long> seqs = db.writer().execute(h -> List.of(runningTurn(h, "dlv_a"), runningTurn(h, "dlv_b")));
    Leases leases = new Leases("turns", db.dialect(), clock);
    leases.hold(seqs);
    try (Handle other = db.jdbi().open()) {
      other.begin();
      other.createUpdate("DELETE FROM turns WHERE seq = :s").bind("s", seqs.getFirst()).execute();
      clock.advance(Duration.ofSeconds(6));
      // Waiting for the lock would hang here until the other transaction ends.
      CompletableFuture.runAsync(() -> leases.renewIfDue(db.writer())).get(10, TimeUnit.SECONDS);
      other.rollback();
    }
    long renewed = db.jdbi().withHandle(h -> h.createQuery("SELECT lease_until FROM turns WHERE seq = :s")
        .bind("s", seqs.get(1)).mapTo(Long.class).one());
    assertThat(renewed).isEqualTo(clock.millis() + Leases.LEASE_MILLIS);
  }

  private long runningTurn(Handle h, String id) {
    return h.createQuery("INSERT INTO turns(id, conversation_id, message_id, state, attempts, not_before, lease_until, "
            + "debounce_ms, created_at) VALUES (:id, 'conv_1', 'msg_' || :id, 'running', 0, :now, :now, 0, :now) "
            + "RETURNING seq")
        .bind("id", id).bind("now", now).mapTo(Long.class).one();
  }
}
