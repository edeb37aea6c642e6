package dev.wabridge.db;

import dev.wabridge.config.Tuning;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.db.Sql;
import dev.wabridge.queue.LeasedQueue;
import dev.wabridge.queue.QueueWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wabridge.support.Json;
import dev.wabridge.support.Workspaces;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.InboundRecorder;
import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.whatsapp.WebhookEvent.StatusUpdate;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.outbound.QueuedCount;
import dev.wabridge.reply.Draft;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.status.StatusApplier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The store's promises, run against every database through a subclass: group commit, dedupe on wamid, the
 * monotonic status order, and the send queue's per-conversation FIFO with one in flight.
 */
abstract class StoreContract extends DatabaseContract {
  final long now = 1_800_000_000_000L;

  InboundMessage text(String wamid, String from) {
    return text(wamid, from, "Kim", now - 1000);
  }

  private InboundMessage text(String wamid, String from, String name, long sentAt) {
    return new InboundMessage("pnid", "1555", wamid, from, null, null, null, name, Instant.ofEpochMilli(sentAt),
        "text", "hello",
        null, null, Json.parse("{\"id\":\"" + wamid + "\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}"));
  }

  private java.util.Optional<InboundRecorder.Recorded> record(InboundMessage m, long at) {
    return db.writer().execute(h -> recorder.recordInbound(h, "default", "agt_1", "num_1", m, null, Author.CUSTOMER, at));
  }

  @Test
  void eachNewMessageMovesItsConversationAndADuplicateChangesNothing() {
    Conversation opened = record(text("wamid.N1", "15550006"), now).orElseThrow().conversation();
    var second = record(text("wamid.N2", "15550006", null, now + 4_000), now + 5_000).orElseThrow();
    Conversation moved = second.conversation();
    assertThat(moved.id()).isEqualTo(opened.id());
    assertThat(moved.lastInboundAt()).isEqualTo(now + 4_000);
    assertThat(moved.lastMessageAt()).isEqualTo(now + 5_000);
    assertThat(moved.customerName()).isEqualTo("Kim");
    assertThat(conversations.byId(opened.id()).orElseThrow()).isEqualTo(moved);
    assertThat(conversations.message(second.messageId()).orElseThrow().conversationId()).isEqualTo(opened.id());

    // Meta delivered an older message late: the window does not move back; a new profile name is kept.
    Conversation late = record(text("wamid.N0", "15550006", "Kim Lee", now - 60_000), now + 6_000).orElseThrow()
        .conversation();
    assertThat(late.lastInboundAt()).isEqualTo(now + 4_000);
    assertThat(late.customerName()).isEqualTo("Kim Lee");

    assertThat(record(text("wamid.N2", "15550006", null, now + 4_000), now + 7_000)).isEmpty();
    assertThat(conversations.byId(opened.id()).orElseThrow()).isEqualTo(late);
    assertThat(conversations.messages(opened.id(), 50, 0)).hasSize(3);
  }

  @Test
  void groupCommitRunsManyUnitsAndIsolatesAFailingOne() {
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int n = i;
      futures.add(db.writer().submit(h -> {
        if (n == 150) {
          throw new IllegalStateException("unit 150 fails");
        }
        return h.createUpdate("INSERT INTO early_statuses(wamid, status, received_at) VALUES (:w, 'sent', 0)")
            .bind("w", "w" + n).execute();
      }));
    }
    for (int i = 0; i < futures.size(); i++) {
      if (i == 150) {
        int idx = i;
        assertThatThrownBy(() -> futures.get(idx).join()).hasMessageContaining("unit 150 fails");
      } else {
        assertThat(futures.get(i).join()).isEqualTo(1);
      }
    }
    int rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM early_statuses").mapTo(Integer.class)
        .one());
    assertThat(rows).isEqualTo(299);
  }

  @Test
  void theWritersPreparedStatementStillWorksAfterItFailed() {
    String insert = "INSERT INTO early_statuses(wamid, status, received_at) VALUES (?, 'sent', 0)";
    db.writer().execute(h -> Sql.update(h, insert, "dup"));
    assertThatThrownBy(() -> db.writer().execute(h -> Sql.update(h, insert, "dup")))
        .isInstanceOf(StoreException.UnableToExecute.class);
    int inserted = db.writer().execute(h -> Sql.update(h, insert, "other"));
    assertThat(inserted).isEqualTo(1);
    java.util.Optional<Integer> count = db.writer().execute(h -> Sql.one(h, "SELECT COUNT(*) FROM early_statuses",
        rs -> rs.getInt(1)));
    assertThat(count).contains(2);
  }

  @Test
  void theWriterOpensANewConnectionWhenItsConnectionBreaks() {
    db.writer().execute(h -> Sql.update(h, "INSERT INTO early_statuses(wamid, status, received_at) VALUES "
        + "('before', 'sent', 0)"));
    assertThatThrownBy(() -> db.writer().execute(h -> {
      try {
        h.getConnection().unwrap(java.sql.Connection.class).close();
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      throw new IllegalStateException("the connection went away");
    })).hasMessageContaining("went away");
    int after = db.writer().execute(h -> Sql.update(h, "INSERT INTO early_statuses(wamid, status, received_at) "
        + "VALUES ('after', 'sent', 0)"));
    assertThat(after).isEqualTo(1);
  }

  @Test
  void aWamidIsRecordedOnce() {
    var first = db.writer().execute(h -> recorder.recordInbound(h, "default", "agt_1", "num_1", text("wamid.A", "15550001"), null, Author.CUSTOMER, now));
    var again = db.writer().execute(h -> recorder.recordInbound(h, "default", "agt_1", "num_1", text("wamid.A", "15550001"), null, Author.CUSTOMER, now));
    assertThat(first).isPresent();
    assertThat(again).isEmpty();
    Conversation c = first.get().conversation();
    assertThat(c.phoneNumber()).isEqualTo("+15550001");
    assertThat(c.windowExpiresAt()).isEqualTo(now - 1000 + Conversation.WINDOW_MILLIS);
    assertThat(conversations.messages(c.id(), 50, 0)).hasSize(1);
  }

  @Test
  void statusesOnlyMoveForwardAndFailedIsTerminal() {
    Conversation c = conversation("wamid.B", "15550002");
    String id = db.writer().execute(h -> {
      String m = outbound(h, c);
      h.createUpdate("UPDATE messages SET wamid = 'wamid.OUT', status = 'sent', status_rank = 1 WHERE id = :id")
          .bind("id", m).execute();
      return m;
    });
    StatusApplier applier = new StatusApplier(db.dialect());
    apply(applier, "read");
    apply(applier, "delivered");
    assertThat(conversations.message(id).orElseThrow().status()).isEqualTo(MessageStatus.READ);
    apply(applier, "failed");
    apply(applier, "read");
    var m = conversations.message(id).orElseThrow();
    assertThat(m.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(m.errorCode()).isEqualTo("131026");
  }

  private void apply(StatusApplier applier, String status) {
    db.writer().execute(h -> {
      applier.applyAll(h, List.of(new StatusUpdate("pnid", "wamid.OUT", status, Instant.ofEpochMilli(now), "15550002", null,
          status.equals("failed") ? "131026" : null, status.equals("failed") ? "undeliverable" : null)), NUM_1, now);
      return null;
    });
  }

  @Test
  void aStatusBeforeItsSendIsRecordedIsAppliedLater() {
    Conversation c = conversation("wamid.C", "15550003");
    StatusApplier applier = new StatusApplier(db.dialect());
    for (String status : List.of("delivered", "read", "delivered")) {
      db.writer().execute(h -> {
        applier.applyAll(h, List.of(new StatusUpdate("pnid", "wamid.EARLY", status, null, "1", null, null, null)), NUM_1,
            now);
        return null;
      });
    }
    assertThat(earlyStatuses()).isEqualTo(2);
    String id = recordSend(c, "wamid.EARLY", applier);
    assertThat(conversations.message(id).orElseThrow().status()).isEqualTo(MessageStatus.READ);
    assertThat(earlyStatuses()).isZero();
    // Once the message is known, an older status is dropped, not kept for later.
    db.writer().execute(h -> {
      applier.applyAll(h, List.of(new StatusUpdate("pnid", "wamid.EARLY", "sent", null, "1", null, null, null)), NUM_1, now);
      return null;
    });
    assertThat(earlyStatuses()).isZero();
    assertThat(conversations.message(id).orElseThrow().status()).isEqualTo(MessageStatus.READ);
  }

  @Test
  void aStatusKeptWhileItsSendWasBeingRecordedElsewhereIsAppliedByTheSweep() {
    Conversation c = conversation("wamid.L", "15550007");
    StatusApplier applier = new StatusApplier(db.dialect());
    // Another node recorded the wamid without seeing the status this node was keeping at the same moment.
    String id = db.writer().execute(h -> {
      String m = outbound(h, c);
      h.createUpdate("UPDATE messages SET wamid = 'wamid.LATE', status = 'sent', status_rank = 1 WHERE id = :id")
          .bind("id", m).execute();
      return m;
    });
    db.writer().execute(h -> Sql.update(h, "INSERT INTO early_statuses(wamid, number_id, status, "
        + "received_at) VALUES ('wamid.LATE', 'num_1', 'read', 0)"));
    db.writer().execute(h -> Sql.update(h, "INSERT INTO early_statuses(wamid, status, received_at) "
        + "VALUES ('wamid.NEVER', 'read', 0)"));

    int applied = db.writer().execute(h -> applier.applyLate(h, now));
    assertThat(applied).isEqualTo(1);
    assertThat(conversations.message(id).orElseThrow().status()).isEqualTo(MessageStatus.READ);
    assertThat(earlyStatuses()).isEqualTo(1);
    int again = db.writer().execute(h -> applier.applyLate(h, now));
    assertThat(again).isZero();
  }

  @Test
  void aWebhooksStatusesApplyInOrderWhateverTheirMix() {
    Conversation c = conversation("wamid.M", "15550005");
    StatusApplier applier = new StatusApplier(db.dialect());
    String known = recordSend(c, "wamid.KNOWN", applier);
    String failing = recordSend(c, "wamid.FAILING", applier);
    db.writer().execute(h -> {
      applier.applyAll(h, List.of(status("wamid.KNOWN", "delivered"), status("wamid.FAILING", "delivered"),
          status("wamid.UNKNOWN", "delivered"), status("wamid.FAILING", "failed"), status("wamid.KNOWN", "read"),
          status("wamid.FAILING", "read"), status("wamid.KNOWN", "delivered")), NUM_1, now);
      return null;
    });
    assertThat(conversations.message(known).orElseThrow().status()).isEqualTo(MessageStatus.READ);
    var failed = conversations.message(failing).orElseThrow();
    assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(failed.errorCode()).isEqualTo("131026");
    assertThat(earlyStatuses()).isEqualTo(1);
  }

  private static StatusUpdate status(String wamid, String status) {
    boolean failed = status.equals("failed");
    return new StatusUpdate("pnid", wamid, status, null, "15550005", null, failed ? "131026" : null,
        failed ? "undeliverable" : null);
  }

  @Test
  void aFailureBeforeItsSendIsRecordedIsAppliedLaterWithMetasCode() {
    Conversation c = conversation("wamid.F", "15550004");
    StatusApplier applier = new StatusApplier(db.dialect());
    db.writer().execute(h -> {
      applier.applyAll(h, List.of(new StatusUpdate("pnid", "wamid.EF", "failed", null, "1", null, "131049",
          "ecosystem limit")), NUM_1, now);
      return null;
    });
    String id = recordSend(c, "wamid.EF", applier);
    var m = conversations.message(id).orElseThrow();
    assertThat(m.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(m.errorCode()).isEqualTo("131049");
    assertThat(m.errorMessage()).isEqualTo("ecosystem limit");
  }

  /** Every status in these tests names the number the conversations are on. */
  private static final java.util.function.Function<String, String> NUM_1 = pnid -> "num_1";

  @Test
  void aStatusNamingAnotherNumberChangesNothingNowOrLater() {
    Conversation c = conversation("wamid.N", "15550008");
    StatusApplier applier = new StatusApplier(db.dialect());
    String sent = recordSend(c, "wamid.MINE", applier);
    java.util.function.Function<String, String> other = pnid -> "num_other";
    db.writer().execute(h -> {
      applier.applyAll(h, List.of(new StatusUpdate("999", "wamid.MINE", "failed", null, "1", null, "1", "forged"),
          new StatusUpdate("999", "wamid.NOT_YET", "failed", null, "1", null, "1", "forged")), other, now);
      return null;
    });
    assertThat(conversations.message(sent).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    // Kept for the other number: when our send records that wamid, it is not applied, and it is gone.
    String later = recordSend(c, "wamid.NOT_YET", applier);
    assertThat(conversations.message(later).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    assertThat(earlyStatuses()).isZero();
    db.writer().execute(h -> Sql.update(h, "INSERT INTO early_statuses(wamid, number_id, status, received_at) "
        + "VALUES ('wamid.MINE', 'num_other', 'failed', 0)"));
    int removed = db.writer().execute(h -> applier.applyLate(h, now));
    assertThat(removed).isEqualTo(1);
    assertThat(conversations.message(sent).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    // A status with no number of ours is dropped.
    db.writer().execute(h -> {
      applier.applyAll(h, List.of(new StatusUpdate("999", "wamid.MINE", "read", null, "1", null, null, null)), p -> null,
          now);
      return null;
    });
    assertThat(conversations.message(sent).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
  }

  /** An outbound message that Meta accepted as {@code wamid}, recorded as the send worker does. */
  private String recordSend(Conversation c, String wamid, StatusApplier applier) {
    return db.writer().execute(h -> {
      String m = outbound(h, c);
      // As the send worker records it: the wamid and the early statuses in one round trip on PostgreSQL.
      Sql.Later later = Sql.later(h, db.dialect());
      later.update("UPDATE messages SET wamid = ?, status = 'sent', status_rank = 1 WHERE id = ?", wamid, m);
      applier.applyEarly(later, wamid, now);
      later.run();
      return m;
    });
  }

  private String outbound(org.jdbi.v3.core.Handle h, Conversation c) {
    Sql.Later later = Sql.later(h, db.dialect());
    String id = messageWrites.insertOutbound(later, c, Author.AGENT, "text", "hi", "{}", now);
    later.run();
    return id;
  }

  List<OutboundQueue.Queued> enqueue(org.jdbi.v3.core.Handle h, OutboundQueue queue, Conversation c,
                                             List<Draft> drafts, String answering, long at,
                                             DirectStart<OutboundQueue.Claim> direct) {
    Sql.Later later = Sql.later(h, db.dialect());
    List<OutboundQueue.Queued> queued = queue.enqueue(later, c, drafts, Author.AGENT, answering, at, direct);
    later.run();
    return queued;
  }

  /** A customer's first message, opening their conversation. */
  Conversation conversation(String wamid, String from) {
    return db.writer().execute(h -> recorder.recordInbound(h, "default", "agt_1", "num_1", text(wamid, from), null, Author.CUSTOMER, now))
        .orElseThrow().conversation();
  }

  private int earlyStatuses() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM early_statuses").mapTo(Integer.class).one());
  }

  @Test
  void sendQueueGivesEachConversationItsOldestMessageOneAtATime() {
    OutboundQueue queue = new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends());
    Conversation a = conversation("wamid.QA", "15550010");
    Conversation b = conversation("wamid.QB", "15550011");
    ReplyParser parser = new ReplyParser();
    List<Draft> three = parser.parse(Json.parse("[\"one\",\"two\",\"three\"]"));
    db.writer().execute(h -> enqueue(h, queue, a, three, null, now, DirectStart.none()));
    db.writer().execute(h -> enqueue(h, queue, b, parser.parse(Json.parse("[\"b1\"]")), null, now, DirectStart.none()));

    List<OutboundQueue.Claim> firstClaims = db.writer().execute(h -> queue.claim(h, now, now + 60_000, 10));
    assertThat(firstClaims).hasSize(2);
    List<OutboundQueue.Claim> none = db.writer().execute(h -> queue.claim(h, now, now + 60_000, 10));
    assertThat(none).isEmpty();
    String aHead = firstClaims.stream().filter(cl -> cl.conversationId().equals(a.id())).findFirst()
        .map(OutboundQueue.Claim::messageId).orElseThrow();
    assertThat(conversations.message(aHead).orElseThrow().text()).isEqualTo("one");
    db.writer().execute(h -> {
      Sql.Later later = Sql.later(h, db.dialect());
      queue.done(later, firstClaims.getFirst());
      queue.done(later, firstClaims.get(1));
      later.run();
      return null;
    });
    List<OutboundQueue.Claim> next = db.writer().execute(h -> queue.claim(h, now, now + 60_000, 10));
    assertThat(next).hasSize(1);
    assertThat(conversations.message(next.getFirst().messageId()).orElseThrow().text()).isEqualTo("two");
  }

  @Test
  void theQueueQuotaCountsEachTenantsSendsInTheOutboxAlone() {
    OutboundQueue queue = new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends());
    Conversation own = conversation("wamid.QC1", "15550040");
    Conversation tenant = db.writer().execute(h -> recorder.recordInbound(h, "ws_acme", "agt_2", "num_2",
        text("wamid.QC2", "15550041"), null, Author.CUSTOMER, now)).orElseThrow().conversation();
    ReplyParser parser = new ReplyParser();
    db.writer().execute(h -> enqueue(h, queue, own, parser.parse(Json.parse("[\"a\",\"b\"]")), null, now,
        DirectStart.none()));
    db.writer().execute(h -> enqueue(h, queue, tenant, parser.parse(Json.parse("[\"a\",\"b\"]")), null, now,
        DirectStart.none()));
    db.writer().execute(h -> {
      Sql.Later later = Sql.later(h, db.dialect());
      queue.enqueue(later, tenant, parser.parse(Json.parse("[\"c\"]")), Author.BUSINESS, null, now,
          DirectStart.none());
      later.run();
      return null;
    });
    QueuedCount count = QueuedCount.of(db, java.time.InstantSource.fixed(Instant.ofEpochMilli(now)));
    assertThat(count.count("ws_acme")).as("the agent's sends and a person's").isEqualTo(3);
    assertThat(count.count(Workspaces.DEFAULT)).as("the operator's workspace has no quota").isZero();
  }

  @Test
  void outsideTheWindowOnlyTemplatesAreQueued() {
    OutboundQueue queue = new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends());
    Conversation c = conversation("wamid.W", "15550020");
    long late = now + Conversation.WINDOW_MILLIS + 1;
    ReplyParser parser = new ReplyParser();
    var queued = db.writer().execute(h -> enqueue(h, queue, c, parser.parse(Json.parse(
        "[\"hello again\",{\"type\":\"template\",\"name\":\"order_update\",\"language\":\"en_US\"}]")), null, late,
        DirectStart.none()));
    assertThat(queued).extracting(OutboundQueue.Queued::status).containsExactly(MessageStatus.FAILED,
        MessageStatus.QUEUED);
    assertThat(conversations.message(queued.getFirst().id()).orElseThrow().errorCode()).isEqualTo("window_closed");
  }

  String state(String table, long seq) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT state || ':' || (lease_until IS NOT NULL) FROM " + table
        + " WHERE seq = :s").bind("s", seq).mapTo(String.class).one());
  }

  @Test
  void aConversationsOnlySendStartsInItsOwnTransactionAndTheNextWaitsForIt() {
    OutboundQueue queue = new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends().withInFlight(1));
    Conversation a = conversation("wamid.DA", "15550030");
    Conversation b = conversation("wamid.DB", "15550031");
    ReplyParser parser = new ReplyParser();
    List<OutboundQueue.Claim> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    QueueWorker<OutboundQueue.Claim> worker = holding(queue, "outbox", started, hold);
    try {
      DirectStart<OutboundQueue.Claim> first = new DirectStart<>(worker);
      first.execute(db.writer(), h -> enqueue(h, queue, a, parser.parse(Json.parse("[\"one\",\"two\"]")), null, now,
          first));
      dev.wabridge.testing.Await.until("the direct start", java.time.Duration.ofSeconds(5), () -> !started.isEmpty());
      OutboundQueue.Claim head = started.getFirst();
      assertThat(conversations.message(head.messageId()).orElseThrow().text()).isEqualTo("one");
      // It carries what its sender needs, as stored: the sender does not read it back.
      assertThat(head.known().content()).isEqualTo(conversations.message(head.messageId()).orElseThrow().content());
      assertThat(head.known().to().phone()).isEqualTo(a.phoneNumber());
      assertThat(head.known().customerKey()).isEqualTo(a.customerKey());
      assertThat(head.known().lastInboundAt()).isEqualTo(conversations.byId(a.id()).orElseThrow().lastInboundAt());
      assertThat(head.toString()).as("claims are logged").doesNotContain(a.phoneNumber()).contains("MessageToSend[text]");
      assertThat(state("outbox", head.seq())).isIn("sending:true", "sending:1");
      // "two" waits behind the send in flight: nothing of conversation a can be claimed.
      assertThat(sendClaims(queue)).isEmpty();

      // The worker's one slot is busy, so b's reply is queued for a claim instead.
      DirectStart<OutboundQueue.Claim> second = new DirectStart<>(worker);
      assertThat(second.available()).isFalse();
      second.execute(db.writer(), h -> enqueue(h, queue, b, parser.parse(Json.parse("[\"b1\"]")), null, now, second));
      List<OutboundQueue.Claim> claimed = sendClaims(queue);
      assertThat(claimed).extracting(OutboundQueue.Claim::conversationId).containsExactly(b.id());
      assertThat(claimed.getFirst().known()).as("a claimed send reads its message when it runs").isNull();
    } finally {
      hold.countDown();
      worker.close();
    }
    assertThat(started).hasSize(1);
  }

  @Test
  void theWritersStatementCacheKeepsTheMostRecentAndClosesTheRest() {
    int kept = db.writer().execute(h -> {
      for (int i = 0; i < 300; i++) {
        assertThat(Sql.one(h, "SELECT ? + " + i, rs -> rs.getInt(1), 1)).contains(1 + i);
      }
      // The newest are kept, the oldest were evicted (and closed); asked for again, one is prepared anew, works,
      // and is kept in place of the oldest left.
      assertThat(Sql.isCached("SELECT ? + 299")).isTrue();
      assertThat(Sql.isCached("SELECT ? + 0")).isFalse();
      assertThat(Sql.one(h, "SELECT ? + 0", rs -> rs.getInt(1), 5)).contains(5);
      assertThat(Sql.isCached("SELECT ? + 0")).isTrue();
      assertThat(Sql.isCached("SELECT ? + 44")).as("the oldest then").isFalse();
      assertThat(Sql.isCached("SELECT ? + 45")).isTrue();
      return Sql.cachedStatements();
    });
    assertThat(kept).isEqualTo(256);
  }

  @Test
  void aReplyToABusyConversationQueuesEveryMessageBehindTheSendInFlightInOrder() {
    OutboundQueue queue = new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends().withInFlight(4));
    Conversation a = conversation("wamid.DQ", "15550033");
    ReplyParser parser = new ReplyParser();
    List<OutboundQueue.Claim> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    QueueWorker<OutboundQueue.Claim> worker = holding(queue, "outbox", started, hold);
    try {
      DirectStart<OutboundQueue.Claim> first = new DirectStart<>(worker);
      first.execute(db.writer(), h -> enqueue(h, queue, a, parser.parse(Json.parse("[\"one\"]")), null, now, first));
      dev.wabridge.testing.Await.until("the direct start", java.time.Duration.ofSeconds(5), () -> !started.isEmpty());

      // A slot is free, but "one" is in flight: neither message of the next reply may start, and they keep order.
      DirectStart<OutboundQueue.Claim> next = new DirectStart<>(worker);
      next.execute(db.writer(), h -> enqueue(h, queue, a, parser.parse(Json.parse("[\"two\",\"three\"]")), null, now,
          next));
      List<String> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT m.text || ':' || o.state FROM outbox o "
          + "JOIN messages m ON m.id = o.message_id ORDER BY o.seq").mapTo(String.class).list());
      assertThat(rows).containsExactly("one:sending", "two:pending", "three:pending");
    } finally {
      hold.countDown();
      worker.close();
    }
    assertThat(started).hasSize(1);
  }

  @Test
  void aDirectStartWhoseTransactionFailsGivesItsSlotBack() {
    OutboundQueue queue = new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends().withInFlight(1));
    Conversation a = conversation("wamid.DF", "15550032");
    List<OutboundQueue.Claim> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    QueueWorker<OutboundQueue.Claim> worker = new QueueWorker<>("test-sends", db, queue, "outbox", started::add,
        (c, e) -> { }, java.time.InstantSource.fixed(Instant.ofEpochMilli(now)));
    try {
      DirectStart<OutboundQueue.Claim> failing = new DirectStart<>(worker);
      assertThatThrownBy(() -> failing.execute(db.writer(), h -> {
        enqueue(h, queue, a, new ReplyParser().parse(Json.parse("[\"lost\"]")), null, now, failing);
        throw new IllegalStateException("rolled back");
      })).hasMessageContaining("rolled back");
      DirectStart<OutboundQueue.Claim> after = new DirectStart<>(worker);
      assertThat(after.available()).as("the slot came back").isTrue();
      after.cancel();
      assertThat(sendClaims(queue)).isEmpty();

      // A transaction that commits without starting anything (no reply to send) gives its slot back too.
      DirectStart<OutboundQueue.Claim> unused = new DirectStart<>(worker);
      unused.execute(db.writer(), h -> enqueue(h, queue, a, List.of(), null, now, unused));
      DirectStart<OutboundQueue.Claim> next = new DirectStart<>(worker);
      assertThat(next.available()).as("the slot came back").isTrue();
      next.cancel();
    } finally {
      worker.close();
    }
    assertThat(started).isEmpty();
  }

  @Test
  void aConversationsOnlyTurnStartsInItsIntakeTransactionAndTheNextWaitsForIt() {
    dev.wabridge.agent.TurnQueue turns = new dev.wabridge.agent.TurnQueue(db.dialect(),
        Tuning.DEFAULTS.turns().withInFlight(4));
    List<dev.wabridge.agent.TurnQueue.Claim> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    QueueWorker<dev.wabridge.agent.TurnQueue.Claim> worker = holding(turns, "turns", started, hold);
    try {
      for (String wamid : List.of("wamid.T1", "wamid.T2")) {
        DirectStart<dev.wabridge.agent.TurnQueue.Claim> direct = new DirectStart<>(worker);
        direct.execute(db.writer(), h -> {
          var r = recorder.recordInbound(h, "default", "agt_1", "num_1", text(wamid, "15550040"), null, Author.CUSTOMER, now)
              .orElseThrow();
          turns.add(h, r.conversation().id(), r.messageId(), 0, now, direct);
          return null;
        });
      }
      dev.wabridge.testing.Await.until("the direct start", java.time.Duration.ofSeconds(5), () -> !started.isEmpty());
      var first = started.getFirst();
      assertThat(conversations.message(first.messageIds().getFirst()).orElseThrow().wamid()).isEqualTo("wamid.T1");
      assertThat(state("turns", first.seq())).isIn("running:true", "running:1");
      assertThat(turnClaims(turns, now)).isEmpty();

      // With debounce the turn waits for the quiet gap, slot or not.
      DirectStart<dev.wabridge.agent.TurnQueue.Claim> debounced = new DirectStart<>(worker);
      debounced.execute(db.writer(), h -> {
        var r = recorder.recordInbound(h, "default", "agt_1", "num_1", text("wamid.T3", "15550041"), null, Author.CUSTOMER, now)
            .orElseThrow();
        turns.add(h, r.conversation().id(), r.messageId(), 2_000, now, debounced);
        return null;
      });
      assertThat(turnClaims(turns, now + 2_000)).hasSize(1);
    } finally {
      hold.countDown();
      worker.close();
    }
    assertThat(started).hasSize(1);
  }

  private List<OutboundQueue.Claim> sendClaims(OutboundQueue queue) {
    return db.writer().execute(h -> queue.claim(h, now, now + 60_000, 10));
  }

  private List<dev.wabridge.agent.TurnQueue.Claim> turnClaims(dev.wabridge.agent.TurnQueue turns, long at) {
    return db.writer().execute(h -> turns.claim(h, at, at + 60_000, 10));
  }

  /**
   * A worker on {@code queue} (with its slots) whose work is to note the claim in {@code started} and wait for
   * {@code hold}.
   */
  <C> QueueWorker<C> holding(LeasedQueue<C> queue, String table, List<C> started,
                             java.util.concurrent.CountDownLatch hold) {
    return new QueueWorker<>("test-" + table, db, queue, table, c -> {
      started.add(c);
      awaitQuietly(hold);
    }, (c, e) -> { }, java.time.InstantSource.fixed(Instant.ofEpochMilli(now)));
  }

  static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
