package dev.wabridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wabridge.Json;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.inbound.WebhookEvent.InboundMessage;
import dev.wabridge.inbound.WebhookEvent.StatusUpdate;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.reply.Draft;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.status.StatusApplier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's promises, run against every database through a subclass: group commit, dedupe on wamid, the
 * monotonic status order, and the send queue's per-conversation FIFO with one in flight.
 */
abstract class StoreContract {
  Database db;
  ConversationStore conversations;
  final long now = 1_800_000_000_000L;

  abstract Database open();

  abstract void cleanup();

  @BeforeEach
  void setUp() {
    db = open();
    conversations = new ConversationStore(db);
  }

  @AfterEach
  void tearDown() {
    db.close();
    cleanup();
  }

  private InboundMessage text(String wamid, String from) {
    return new InboundMessage("pnid", "1555", wamid, from, "Kim", Instant.ofEpochMilli(now - 1000), "text", "hello",
        null, null, Json.parse("{\"id\":\"" + wamid + "\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}"));
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
        .isInstanceOf(Sql.StoreException.class);
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
    var first = db.writer().execute(h -> conversations.recordInbound(h, "default", "agt_1", "num_1",
        text("wamid.A", "15550001"), now));
    var again = db.writer().execute(h -> conversations.recordInbound(h, "default", "agt_1", "num_1",
        text("wamid.A", "15550001"), now));
    assertThat(first).isPresent();
    assertThat(again).isEmpty();
    Conversation c = first.get().conversation();
    assertThat(c.phoneNumber()).isEqualTo("+15550001");
    assertThat(c.windowExpiresAt()).isEqualTo(now - 1000 + Conversation.WINDOW_MILLIS);
    assertThat(conversations.messages(c.id(), 50, 0)).hasSize(1);
  }

  @Test
  void statusesOnlyMoveForwardAndFailedIsTerminal() {
    Conversation c = db.writer().execute(h -> conversations.recordInbound(h, "default", "agt_1", "num_1",
        text("wamid.B", "15550002"), now)).orElseThrow().conversation();
    String id = db.writer().execute(h -> {
      String m = conversations.insertOutbound(h, c, "text", "hi", "{}", null, now);
      h.createUpdate("UPDATE messages SET wamid = 'wamid.OUT', status = 'sent', status_rank = 1 WHERE id = :id")
          .bind("id", m).execute();
      return m;
    });
    StatusApplier applier = new StatusApplier();
    apply(applier, "read");
    apply(applier, "delivered");
    assertThat(conversations.message(id).orElseThrow().status()).isEqualTo("read");
    apply(applier, "failed");
    apply(applier, "read");
    var m = conversations.message(id).orElseThrow();
    assertThat(m.status()).isEqualTo("failed");
    assertThat(m.errorCode()).isEqualTo("131026");
  }

  private void apply(StatusApplier applier, String status) {
    db.writer().execute(h -> {
      applier.apply(h, new StatusUpdate("pnid", "wamid.OUT", status, Instant.ofEpochMilli(now), "15550002",
          status.equals("failed") ? "131026" : null, status.equals("failed") ? "undeliverable" : null), now);
      return null;
    });
  }

  @Test
  void aStatusBeforeItsSendIsRecordedIsAppliedLater() {
    Conversation c = db.writer().execute(h -> conversations.recordInbound(h, "default", "agt_1", "num_1",
        text("wamid.C", "15550003"), now)).orElseThrow().conversation();
    StatusApplier applier = new StatusApplier();
    db.writer().execute(h -> {
      applier.apply(h, new StatusUpdate("pnid", "wamid.EARLY", "delivered", null, "1", null, null), now);
      return null;
    });
    String id = db.writer().execute(h -> {
      String m = conversations.insertOutbound(h, c, "text", "hi", "{}", null, now);
      h.createUpdate("UPDATE messages SET wamid = 'wamid.EARLY', status = 'sent', status_rank = 1 WHERE id = :id")
          .bind("id", m).execute();
      applier.applyEarly(h, "wamid.EARLY", now);
      return m;
    });
    assertThat(conversations.message(id).orElseThrow().status()).isEqualTo("delivered");
  }

  @Test
  void sendQueueGivesEachConversationItsOldestMessageOneAtATime() {
    OutboundQueue queue = new OutboundQueue(conversations, db.dialect());
    Conversation a = db.writer().execute(h -> conversations.recordInbound(h, "default", "agt_1", "num_1",
        text("wamid.QA", "15550010"), now)).orElseThrow().conversation();
    Conversation b = db.writer().execute(h -> conversations.recordInbound(h, "default", "agt_1", "num_1",
        text("wamid.QB", "15550011"), now)).orElseThrow().conversation();
    ReplyParser parser = new ReplyParser();
    List<Draft> three = parser.parse(Json.parse("[\"one\",\"two\",\"three\"]"));
    db.writer().execute(h -> queue.enqueue(h, a, three, null, now));
    db.writer().execute(h -> queue.enqueue(h, b, parser.parse(Json.parse("[\"b1\"]")), null, now));

    List<OutboundQueue.Claim> firstClaims = db.writer().execute(h -> queue.claim(h, now, now + 60_000, 10));
    assertThat(firstClaims).hasSize(2);
    List<OutboundQueue.Claim> none = db.writer().execute(h -> queue.claim(h, now, now + 60_000, 10));
    assertThat(none).isEmpty();
    String aHead = firstClaims.stream().filter(cl -> cl.conversationId().equals(a.id())).findFirst()
        .map(OutboundQueue.Claim::messageId).orElseThrow();
    assertThat(conversations.message(aHead).orElseThrow().text()).isEqualTo("one");
    db.writer().execute(h -> {
      queue.done(h, firstClaims.getFirst().seq());
      queue.done(h, firstClaims.get(1).seq());
      return null;
    });
    List<OutboundQueue.Claim> next = db.writer().execute(h -> queue.claim(h, now, now + 60_000, 10));
    assertThat(next).hasSize(1);
    assertThat(conversations.message(next.getFirst().messageId()).orElseThrow().text()).isEqualTo("two");
  }

  @Test
  void outsideTheWindowOnlyTemplatesAreQueued() {
    OutboundQueue queue = new OutboundQueue(conversations, db.dialect());
    Conversation c = db.writer().execute(h -> conversations.recordInbound(h, "default", "agt_1", "num_1",
        text("wamid.W", "15550020"), now)).orElseThrow().conversation();
    long late = now + Conversation.WINDOW_MILLIS + 1;
    ReplyParser parser = new ReplyParser();
    var queued = db.writer().execute(h -> queue.enqueue(h, c, parser.parse(Json.parse(
        "[\"hello again\",{\"type\":\"template\",\"name\":\"order_update\",\"language\":\"en_US\"}]")), null, late));
    assertThat(queued).extracting(OutboundQueue.Queued::status).containsExactly("failed", "queued");
    assertThat(conversations.message(queued.getFirst().id()).orElseThrow().errorCode()).isEqualTo("window_closed");
  }
}
