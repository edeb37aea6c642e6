package dev.wabridge.db;

import dev.wabridge.config.Tuning;
import dev.wabridge.db.Database;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.db.WriteBatcher;
import dev.wabridge.queue.LeasedQueue;
import dev.wabridge.queue.Leases;
import dev.wabridge.queue.QueueWorker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
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
  @Override
  boolean postgres() {
    return true;
  }

  @Test
  void eachCustomerAlwaysHasTheSameWriterAndTheWritersAreShared() {
    Set<WriteBatcher> used = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String phone = "+1555" + (1_000_000 + i);
      assertThat(db.writer(phone)).isSameAs(db.writer(phone));
      used.add(db.writer(phone));
    }
    assertThat(used).hasSize(db.dialect().writers());
    assertThat(db.writer(null)).isSameAs(db.writer());
  }

  @Test
  void aLeaseRenewalSkipsARowAnotherWriterIsFinishingInsteadOfWaitingForIt() throws Exception {
    MutableClock clock = new MutableClock(Instant.ofEpochMilli(now));
    List<Long> seqs = db.writer().execute(h -> List.of(runningTurn(h, "dlv_a"), runningTurn(h, "dlv_b")));
    Leases leases = new Leases("turns", db.dialect(), Tuning.DEFAULTS.turns(), clock);
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
    assertThat(renewed).isEqualTo(clock.millis() + Tuning.DEFAULTS.turns().lease().toMillis());
  }

  /**
   * As for sends: two nodes taking a message from one customer at once start one turn, not two. The message's
   * record locks the conversation, so the second node's look at the turn queue comes after the first's commit.
   */
  @Test
  void twoNodesTakingMessagesFromOneCustomerAtOnceStartOneTurn() throws Exception {
    dev.wabridge.agent.TurnQueue turns = new dev.wabridge.agent.TurnQueue(db.dialect(),
        Tuning.DEFAULTS.turns().withInFlight(1));
    conversation("wamid.N0", "15550071");
    try (TwoNodes<dev.wabridge.agent.TurnQueue.Claim> nodes = new TwoNodes<>(turns, "turns");
         Handle first = db.jdbi().open()) {
      DirectStart<dev.wabridge.agent.TurnQueue.Claim> onA = new DirectStart<>(nodes.a);
      DirectStart<dev.wabridge.agent.TurnQueue.Claim> onB = new DirectStart<>(nodes.b);
      first.begin();
      var a = recorder.recordInbound(first, "default", "agt_1", "num_1", text("wamid.N1", "15550071"), null, dev.wabridge.conversation.Author.CUSTOMER, now)
          .orElseThrow();
      turns.add(first, a.conversation().id(), a.messageId(), 0, now, onA);
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> onB.execute(db.writer(), h -> {
        var b = recorder.recordInbound(h, "default", "agt_1", "num_1", text("wamid.N2", "15550071"), null, dev.wabridge.conversation.Author.CUSTOMER, now)
            .orElseThrow();
        turns.add(h, b.conversation().id(), b.messageId(), 0, now, onB);
        return null;
      }));
      awaitBlockedBy(first);
      first.commit();
      onA.committed();
      second.get(10, TimeUnit.SECONDS);
      dev.wabridge.testing.Await.until("the first turn starts", Duration.ofSeconds(5), () -> !nodes.started.isEmpty());
      List<String> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT m.wamid || ':' || t.state FROM turns t "
          + "JOIN messages m ON m.id = t.message_id ORDER BY t.seq").mapTo(String.class).list());
      assertThat(rows).as("the second node saw the first's turn once it had the lock")
          .containsExactly("wamid.N1:running", "wamid.N2:pending");
      assertThat(nodes.started).hasSize(1);
    }
  }

  @Test
  void anExpiredLeaseSweepSkipsARowAnotherWriterIsFinishingInsteadOfWaitingForIt() throws Exception {
    List<Long> turnRows = db.writer().execute(h -> List.of(runningTurn(h, "dlv_x"), runningTurn(h, "dlv_y")));
    assertThat(sweepWhileTheFirstIsDeletedElsewhere(new dev.wabridge.agent.TurnQueue(db.dialect(),
        Tuning.DEFAULTS.turns()), "turns", "id",
        turnRows)).containsExactly("dlv_y:pending");
    List<Long> sendRows = db.writer().execute(h -> List.of(sending(h, "msg_x"), sending(h, "msg_y")));
    assertThat(sweepWhileTheFirstIsDeletedElsewhere(new dev.wabridge.outbound.OutboundQueue(
        db.dialect(), Tuning.DEFAULTS.sends()), "outbox", "message_id", sendRows)).containsExactly("msg_y:pending");
  }

  private long sending(Handle h, String messageId) {
    return h.createQuery("INSERT INTO outbox(message_id, conversation_id, workspace_id, number_id, state, attempts, "
            + "not_before, lease_until, deadline, created_at) VALUES (:m, 'conv_1', 'ws_1', 'num_1', 'sending', 0, :now, "
            + ":now, :now, :now) RETURNING seq")
        .bind("m", messageId).bind("now", now).mapTo(Long.class).one();
  }

  /** Sweeps expired leases while another transaction deletes the first row; returns what is left, as id:state. */
  private List<String> sweepWhileTheFirstIsDeletedElsewhere(LeasedQueue<?> queue, String table, String idColumn,
                                                            List<Long> seqs) throws Exception {
    try (Handle other = db.jdbi().open()) {
      other.begin();
      other.createUpdate("DELETE FROM " + table + " WHERE seq = :s").bind("s", seqs.getFirst()).execute();
      // Waiting for the lock would hang here until the other transaction ends.
      int released = CompletableFuture.supplyAsync(() -> db.writer().execute(h -> queue.releaseExpired(h, now + 1)))
          .get(10, TimeUnit.SECONDS);
      assertThat(released).isEqualTo(1);
      other.commit();
    }
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + idColumn + " || ':' || state FROM " + table
        + " ORDER BY seq").mapTo(String.class).list());
  }

  /**
   * Two nodes answer the same customer at once (a reply_callback on one, an agent's answer on the other). Each
   * sees an empty send queue for the conversation, so without the conversation's lock both would start their send
   * directly: two sends in flight to one customer, in no set order. With it the second waits for the first
   * to commit, then sees its send and queues behind it.
   */
  @Test
  void twoNodesQueueingToOneCustomerAtOnceStartOneSendAndQueueTheOther() throws Exception {
    dev.wabridge.outbound.OutboundQueue queue = new dev.wabridge.outbound.OutboundQueue(db.dialect(),
        Tuning.DEFAULTS.sends().withInFlight(1));
    dev.wabridge.conversation.Conversation a = conversation("wamid.NODES", "15550090");
    dev.wabridge.reply.ReplyParser parser = new dev.wabridge.reply.ReplyParser();
    try (TwoNodes<dev.wabridge.outbound.OutboundQueue.Claim> nodes = new TwoNodes<>(queue, "outbox");
         Handle first = db.jdbi().open()) {
      DirectStart<dev.wabridge.outbound.OutboundQueue.Claim> onA = new DirectStart<>(nodes.a);
      DirectStart<dev.wabridge.outbound.OutboundQueue.Claim> onB = new DirectStart<>(nodes.b);
      first.begin();
      String one = enqueue(first, queue, a, parser.parse(dev.wabridge.support.Json.parse("[\"one\"]")), null, now, onA)
          .getFirst().id();
      CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> onB.execute(db.writer(), h -> {
        return enqueue(h, queue, a, parser.parse(dev.wabridge.support.Json.parse("[\"two\"]")), null, now, onB).getFirst().id();
      }));
      awaitBlockedBy(first);
      first.commit();
      onA.committed();
      String two = second.get(10, TimeUnit.SECONDS);

      dev.wabridge.testing.Await.until("the first send starts", Duration.ofSeconds(5), () -> !nodes.started.isEmpty());
      assertThat(nodes.started).extracting(dev.wabridge.outbound.OutboundQueue.Claim::messageId).containsExactly(one);
      List<String> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT message_id || ':' || state FROM outbox "
          + "ORDER BY seq").mapTo(String.class).list());
      assertThat(rows).containsExactly(one + ":sending", two + ":pending");
      assertThat(nodes.started).hasSize(1);
    }
  }

  /** Two nodes' workers on one queue, as many slots each as it has (one); what they start holds until closed. */
  private final class TwoNodes<C> implements AutoCloseable {
    final List<C> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    final QueueWorker<C> a;
    final QueueWorker<C> b;

    TwoNodes(LeasedQueue<C> queue, String table) {
      a = holding(queue, table, started, release);
      b = holding(queue, table, started, release);
    }

    @Override
    public void close() {
      release.countDown();
      a.close();
      b.close();
    }
  }

  /** Waits until some backend is blocked by {@code first}'s transaction (a lock it holds). */
  private void awaitBlockedBy(Handle first) {
    int firstPid = first.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
    dev.wabridge.testing.Await.until("the second node waits on the first's lock", Duration.ofSeconds(10),
        () -> db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE "
            + ":first = ANY(pg_blocking_pids(pid))").bind("first", firstPid).mapTo(Integer.class).one()) > 0);
  }

  private long runningTurn(Handle h, String id) {
    return h.createQuery("INSERT INTO turns(id, conversation_id, message_id, state, attempts, not_before, lease_until, "
            + "debounce_ms, created_at) VALUES (:id, 'conv_1', 'msg_' || :id, 'running', 0, :now, :now, 0, :now) "
            + "RETURNING seq")
        .bind("id", id).bind("now", now).mapTo(Long.class).one();
  }
}
