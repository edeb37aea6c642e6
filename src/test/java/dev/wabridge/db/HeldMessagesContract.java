package dev.wabridge.db;

import dev.wabridge.conversation.HeldMessageStore.Whose;
import dev.wabridge.config.Tuning;
import dev.wabridge.db.Sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.support.Json;
import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStatus;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.agent.HeldMessages;
import dev.wabridge.agent.TurnQueue;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.config.SecretBox;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.InboundRecorder;
import dev.wabridge.conversation.Held;
import dev.wabridge.conversation.IdentityUpdates;
import dev.wabridge.conversation.Message;
import dev.wabridge.whatsapp.WebhookEvent.InboundMessage;
import dev.wabridge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store side of held messages, on every database through a subclass: conversations without an agent belong to
 * their number, a system message neither moves the window nor waits, an agent adopts (or merges) what had no agent,
 * identity changes re-key, and releasing held messages queues each once, in order, whatever runs it twice.
 */
abstract class HeldMessagesContract extends DatabaseContract {
  final MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_800_000_000_000L));

  static InboundMessage text(String wamid, String from, String userId, long sentAt) {
    return new InboundMessage("pnid", "1555", wamid, from, userId, null, null, "Kim", Instant.ofEpochMilli(sentAt),
        "text", "text " + wamid, null, null, Json.parse("{\"id\":\"" + wamid + "\",\"timestamp\":\"" + sentAt / 1000
            + "\",\"type\":\"text\",\"text\":{\"body\":\"text " + wamid + "\"}}"));
  }

  static InboundMessage system(String wamid, String from, long sentAt) {
    return new InboundMessage("pnid", "1555", wamid, from, null, null, null, null, Instant.ofEpochMilli(sentAt),
        "system", "", null, null, Json.parse("{\"id\":\"" + wamid + "\",\"type\":\"system\",\"system\":{\"type\":"
            + "\"user_changed_number\",\"wa_id\":\"15550999\",\"body\":\"changed\"}}"));
  }

  InboundRecorder.Recorded record(String agentId, String numberId, InboundMessage m, Held held, Author author) {
    return db.writer().execute(h -> recorder.recordInbound(h, "default", agentId, numberId, m, held, author,
        clock.millis())).orElseThrow();
  }

  InboundRecorder.Recorded customer(String agentId, String numberId, String wamid, Held held) {
    return record(agentId, numberId, text(wamid, "15550101", null, clock.millis()), held, Author.CUSTOMER);
  }

  @Test
  void aCustomerWritingToTwoNumbersThatNoAgentAnswersHasAConversationOnEach() {
    Conversation one = customer(null, "num_1", "wamid.A1", Held.NO_AGENT).conversation();
    Conversation two = customer(null, "num_2", "wamid.A2", Held.NO_AGENT).conversation();
    assertThat(one.id()).isNotEqualTo(two.id());
    assertThat(one.agentId()).isNull();
    assertThat(two.numberId()).isEqualTo("num_2");
    assertThat(customer(null, "num_1", "wamid.A3", Held.NO_AGENT).conversation().id()).isEqualTo(one.id());
  }

  /**
   * The sweep reads only what it asks for: the conversations of deployed agents that replay, and those without agent
   * on numbers with a deployed agent; not every message that waits.
   */
  @Test
  void theSweepReadsWaitingMessagesOnlyOfTheAgentsAndNumbersItAsksFor() {
    Conversation paused = customer("agt_1", "num_1", "wamid.W1", Held.AGENT_PAUSED).conversation();
    Conversation none = customer(null, "num_2", "wamid.W2", Held.NO_AGENT).conversation();
    long since = clock.millis() - Duration.ofDays(1).toMillis();
    assertThat(waiting(since, Whose.NO_AGENT_ON_NUMBERS, List.of())).isEmpty();
    assertThat(waiting(since, Whose.NO_AGENT_ON_NUMBERS, List.of("num_2"))).containsExactly(none.id());
    assertThat(waiting(since, Whose.NO_AGENT_ON_NUMBERS, List.of("num_1"))).as("num_1's waits for its agent")
        .isEmpty();
    assertThat(waiting(since, Whose.AGENTS, List.of("agt_1"))).containsExactly(paused.id());
    assertThat(waiting(since, Whose.AGENTS, List.of("agt_2"))).isEmpty();
    assertThat(waiting(clock.millis(), Whose.AGENTS, List.of("agt_1"))).as("only what arrived since").isEmpty();
  }

  private List<String> waiting(long since, Whose whose, List<String> ids) {
    var store = new dev.wabridge.conversation.HeldMessageStore();
    List<dev.wabridge.conversation.HeldMessageStore.Waiting> w = db.read(c -> store.waiting(c, since, whose, ids));
    return w.stream().map(dev.wabridge.conversation.HeldMessageStore.Waiting::conversationId).toList();
  }

  @Test
  void aSystemMessageNeitherMovesTheWindowNorWaitsEvenInAHandedOffConversation() {
    Conversation c = customer("agt_1", "num_1", "wamid.S1", null).conversation();
    long window = c.lastInboundAt();
    db.writer().execute(h -> {
      conversationWrites.setHandoff(h, c.id(), true, clock.millis());
      return null;
    });
    clock.advance(Duration.ofHours(2));
    // The conversation exists: on PostgreSQL this takes the one-statement path.
    var notice = record("agt_1", "num_1", system("wamid.S2", "15550101", clock.millis()), null, Author.SYSTEM);
    assertThat(notice.held()).isNull();
    assertThat(notice.heldBefore()).isFalse();
    assertThat(notice.conversation().lastInboundAt()).isEqualTo(window);
    assertThat(conversations.byId(c.id()).orElseThrow().lastInboundAt()).isEqualTo(window);
    Message stored = conversations.message(notice.messageId()).orElseThrow();
    assertThat(stored.author()).isEqualTo(Author.SYSTEM);
    assertThat(stored.held()).isNull();

    // A customer's message in the same conversation is held for the person, and moves the window.
    var words = customer("agt_1", "num_1", "wamid.S3", null);
    assertThat(words.held()).isEqualTo(Held.HANDOFF);
    assertThat(words.conversation().lastInboundAt()).isEqualTo(clock.millis());

    // A conversation that a system message opens has no window at all.
    var first = record("agt_1", "num_1", system("wamid.S4", "15550202", clock.millis()), null, Author.SYSTEM);
    assertThat(first.conversation().lastInboundAt()).isNull();
  }

  @Test
  void aMessageThatGoesToTheAgentKnowsWhetherEarlierOnesWait() {
    var held = customer("agt_1", "num_1", "wamid.H1", Held.AGENT_PAUSED);
    assertThat(held.heldBefore()).isFalse();
    var next = customer("agt_1", "num_1", "wamid.H2", null);
    assertThat(next.heldBefore()).isTrue();
    // Held for longer than a day: it stays unanswered and does not count.
    clock.advance(Duration.ofHours(25));
    assertThat(customer("agt_1", "num_1", "wamid.H3", null).heldBefore()).isFalse();
    // Held for a person: not the agent's to answer.
    var other = record("agt_1", "num_1", text("wamid.H4", "15550303", null, clock.millis()), Held.AGENT_PAUSED,
        Author.CUSTOMER);
    db.writer().execute(h -> {
      conversationWrites.setHandoff(h, other.conversation().id(), true, clock.millis());
      conversationWrites.setHandoff(h, other.conversation().id(), false, clock.millis());
      return null;
    });
    var after = record("agt_1", "num_1", text("wamid.H5", "15550303", null, clock.millis()), null, Author.CUSTOMER);
    assertThat(after.heldBefore()).isFalse();
    assertThat(conversations.message(other.messageId()).orElseThrow().held()).as("handing back clears it").isNull();
  }

  @Test
  void anAgentAdoptsAConversationWithoutAgentOrMergesItIntoItsOwnInOrder() {
    Conversation own = customer("agt_1", "num_1", "wamid.M1", null).conversation();
    clock.advance(Duration.ofMinutes(1));
    var orphan = customer(null, "num_1", "wamid.M2", Held.NO_AGENT);
    clock.advance(Duration.ofMinutes(1));
    customer(null, "num_1", "wamid.M3", Held.NO_AGENT);
    // What other packages keep for the conversation: a turn, a queued send, a call.
    db.writer().execute(h -> {
      new TurnQueue(db.dialect(), Tuning.DEFAULTS.turns()).add(h, orphan.conversation().id(), orphan.messageId(), 0, clock.millis(),
          DirectStart.none());
      Sql.Later later = Sql.later(h, db.dialect());
      new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends()).enqueue(later, orphan.conversation(), new ReplyParser().parse(
          Json.parse("[\"hi\"]")), Author.BUSINESS, null, clock.millis(), DirectStart.none());
      later.run();
      h.execute("INSERT INTO agent_calls(agent_id, conversation_id, message_id, delivery_id, attempt, outcome, "
          + "latency_ms, created_at) VALUES ('agt_0', ?, ?, 'dlv_0', 1, 'replied', 5, ?)",
          orphan.conversation().id(), orphan.messageId(), clock.millis());
      return null;
    });
    Conversation merged = db.writer().execute(h -> merges.adopt(h, orphan.conversation(), "agt_1"));
    assertThat(merged.id()).isEqualTo(own.id());
    for (String table : List.of("turns", "outbox", "agent_calls")) {
      int moved = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table
          + " WHERE conversation_id = :c").bind("c", own.id()).mapTo(Integer.class).one());
      assertThat(moved).as("their owners moved the rows of " + table).isEqualTo(1);
    }
    assertThat(merged.lastInboundAt()).isEqualTo(clock.millis());
    assertThat(conversations.byId(orphan.conversation().id())).isEmpty();
    assertThat(conversations.messages(own.id(), 10, 0)).filteredOn(m -> m.author() == Author.CUSTOMER)
        .extracting(Message::wamid).containsExactly("wamid.M1", "wamid.M2", "wamid.M3");

    // Without a conversation of its own there, the agent takes the other one as it is.
    Conversation alone = record(null, "num_1", text("wamid.M4", "15550404", null, clock.millis()), Held.NO_AGENT,
        Author.CUSTOMER).conversation();
    Conversation adopted = db.writer().execute(h -> merges.adopt(h, alone, "agt_1"));
    assertThat(adopted.id()).isEqualTo(alone.id());
    assertThat(adopted.agentId()).isEqualTo("agt_1");
    // The customer's next message, routed to the agent, finds it.
    assertThat(record("agt_1", "num_1", text("wamid.M5", "15550404", null, clock.millis()), null, Author.CUSTOMER)
        .conversation().id()).isEqualTo(alone.id());
  }

  @Test
  void aMergeKeepsAHandoffOfTheConversationWithoutAgent() {
    Conversation own = customer("agt_1", "num_1", "wamid.H1", null).conversation();
    Conversation orphan = customer(null, "num_1", "wamid.H2", Held.NO_AGENT).conversation();
    db.writer().execute(h -> {
      conversationWrites.setHandoff(h, orphan.id(), true, clock.millis());
      return null;
    });
    Conversation merged = db.writer().execute(h -> merges.adopt(h,
        conversations.byId(h, orphan.id()).orElseThrow(), "agt_1"));
    assertThat(merged.id()).isEqualTo(own.id());
    assertThat(merged.handoff()).as("the person who took over keeps the customer").isTrue();
  }

  @Test
  void theAgentsFirstMessageFromACustomerAdoptsTheirConversationWithoutAgent() {
    var orphan = customer(null, "num_1", "wamid.F1", Held.NO_AGENT);
    var next = customer("agt_1", "num_1", "wamid.F2", null);
    assertThat(next.conversation().id()).isEqualTo(orphan.conversation().id());
    assertThat(next.conversation().agentId()).isEqualTo("agt_1");
    assertThat(next.heldBefore()).as("what waited goes first").isTrue();
  }

  @Test
  void anIdentityChangeReKeysTheCustomersConversationsUnlessTheNewKeyIsTaken() {
    Conversation byUser = record("agt_1", "num_1", text("wamid.I1", "15550505", "US.1", clock.millis()), null,
        Author.CUSTOMER).conversation();
    Conversation byPhone = record("agt_2", "num_1", text("wamid.I2", "15550606", null, clock.millis()), null,
        Author.CUSTOMER).conversation();
    // agt_3 already talks to the new identity: its old conversation keeps its key.
    Conversation old = record("agt_3", "num_1", text("wamid.I3", "15550505", "US.1", clock.millis()), null,
        Author.CUSTOMER).conversation();
    Conversation taken = record("agt_3", "num_1", text("wamid.I4", "15550707", "US.2", clock.millis()), null,
        Author.CUSTOMER).conversation();
    IdentityUpdates identities = new IdentityUpdates();
    int changed = db.writer().execute(h -> identities.apply(h, "default",
        new IdentityUpdates.Change("US.1", "15550505", "US.2", "15550707")));
    assertThat(changed).isEqualTo(2);
    Conversation rekeyed = conversations.byId(byUser.id()).orElseThrow();
    assertThat(rekeyed.customerKey()).isEqualTo("US.2");
    assertThat(rekeyed.userId()).isEqualTo("US.2");
    assertThat(rekeyed.phoneNumber()).isEqualTo("+15550707");
    Conversation kept = conversations.byId(old.id()).orElseThrow();
    assertThat(kept.customerKey()).isEqualTo("US.1");
    assertThat(kept.userId()).isEqualTo("US.2");
    assertThat(conversations.byId(taken.id()).orElseThrow().customerKey()).isEqualTo("US.2");
    assertThat(record("agt_1", "num_1", text("wamid.I5", "15550707", "US.2", clock.millis()), null, Author.CUSTOMER)
        .conversation().id()).isEqualTo(byUser.id());

    // Known by phone only: the phone changes and the key with it.
    db.writer().execute(h -> identities.apply(h, "default", new IdentityUpdates.Change(null, "15550606", null,
        "15550808")));
    Conversation moved = conversations.byId(byPhone.id()).orElseThrow();
    assertThat(moved.customerKey()).isEqualTo("+15550808");
    assertThat(moved.phoneNumber()).isEqualTo("+15550808");
    // Another workspace's conversations are not touched.
    int elsewhere = db.writer().execute(h -> identities.apply(h, "ws_other", new IdentityUpdates.Change("US.2", null,
        "US.3", null)));
    assertThat(elsewhere).isZero();
  }

  @Test
  void releasingQueuesEachRecentHeldMessageOnceInOrderAndLeavesTheOldOnes() {
    db.writer().execute(h -> Sql.update(h, "INSERT INTO workspaces(id, name, created_at) VALUES ('default', "
        + "'Default', 0) ON CONFLICT (id) DO NOTHING"));
    AgentStore agents = new AgentStore(db, SecretBox.of(new byte[32]), clock, Tuning.DEFAULTS.lookups());
    Agent agent = agents.create("default", new AgentStore.NewAgent("A", "https://agent.example/hook", "num_1", 5,
        null, 0, dev.wabridge.reply.TextFormat.AUTO, true));
    agents.setStatus(agent, AgentStatus.PAUSED);
    var old = customer(agent.id(), "num_1", "wamid.R1", Held.AGENT_PAUSED);
    clock.advance(Duration.ofHours(20));
    var second = customer(agent.id(), "num_1", "wamid.R2", Held.AGENT_PAUSED);
    clock.advance(Duration.ofMinutes(1));
    var third = customer(agent.id(), "num_1", "wamid.R3", Held.AGENT_PAUSED);
    var orphan = record(null, "num_1", text("wamid.R4", "15550909", null, clock.millis()), Held.NO_AGENT,
        Author.CUSTOMER);
    clock.advance(Duration.ofHours(5));
    Agent deployed = agents.setStatus(agent, AgentStatus.DEPLOYED);

    TurnQueue turns = new TurnQueue(db.dialect(), Tuning.DEFAULTS.turns());
    HeldMessages held = new HeldMessages(db, conversations, merges, agents, id -> false, turns, () -> { },
        clock);
    assertThat(held.releaseFor(deployed)).isEqualTo(3);
    assertThat(held.releaseFor(deployed)).isZero();
    assertThat(held.sweep()).isZero();

    List<TurnQueue.Claim> claims = db.writer().execute(h -> turns.claim(h, clock.millis(), clock.millis() + 60_000, 10));
    assertThat(claims).allMatch(TurnQueue.Claim::replayed);
    assertThat(claims).extracting(c -> c.messageIds().getFirst())
        .containsExactlyInAnyOrder(second.messageId(), orphan.messageId());
    assertThat(conversations.message(old.messageId()).orElseThrow().held()).isEqualTo(Held.AGENT_PAUSED);
    assertThat(conversations.message(second.messageId()).orElseThrow().held()).isNull();
    assertThat(conversations.message(third.messageId()).orElseThrow().held()).isNull();
    assertThat(conversations.byId(orphan.conversation().id()).orElseThrow().agentId()).isEqualTo(agent.id());
    // The third waits behind the second: one turn at a time per conversation, in order.
    db.writer().execute(h -> {
      Sql.update(h, "DELETE FROM turns WHERE message_id = ?", second.messageId());
      return null;
    });
    List<TurnQueue.Claim> next = db.writer().execute(h -> turns.claim(h, clock.millis(), clock.millis() + 60_000, 10));
    assertThat(next).extracting(c -> c.messageIds().getFirst()).containsExactly(third.messageId());
  }

  @Test
  void theSweepReleasesWhatAnotherNodeHeldAfterTheDeployAndAdoptsForTheNumbersAgent() {
    db.writer().execute(h -> Sql.update(h, "INSERT INTO workspaces(id, name, created_at) VALUES ('default', "
        + "'Default', 0) ON CONFLICT (id) DO NOTHING"));
    AgentStore agents = new AgentStore(db, SecretBox.of(new byte[32]), clock, Tuning.DEFAULTS.lookups());
    Agent agent = agents.setStatus(agents.create("default", new AgentStore.NewAgent("A", "https://agent.example/hook",
        "num_1", 5, null, 0, dev.wabridge.reply.TextFormat.AUTO, true)), AgentStatus.DEPLOYED);
    // Held as if by a node whose cache still had the agent paused, and by one that had no agent on the number.
    var stale = customer(agent.id(), "num_1", "wamid.W1", Held.AGENT_PAUSED);
    var orphan = record(null, "num_1", text("wamid.W2", "15551010", null, clock.millis()), Held.NO_AGENT,
        Author.CUSTOMER);
    // Not for the agent: a handed-off conversation's, and another number's.
    var person = record(agent.id(), "num_1", text("wamid.W3", "15551111", null, clock.millis()), null,
        Author.CUSTOMER);
    db.writer().execute(h -> {
      conversationWrites.setHandoff(h, person.conversation().id(), true, clock.millis());
      return null;
    });
    var handedOff = record(agent.id(), "num_1", text("wamid.W4", "15551111", null, clock.millis()), null,
        Author.CUSTOMER);
    var elsewhere = record(null, "num_2", text("wamid.W5", "15551212", null, clock.millis()), Held.NO_AGENT,
        Author.CUSTOMER);

    TurnQueue turns = new TurnQueue(db.dialect(), Tuning.DEFAULTS.turns());
    HeldMessages held = new HeldMessages(db, conversations, merges, agents, id -> false, turns, () -> { },
        clock);
    assertThat(held.sweep()).isEqualTo(2);
    assertThat(held.sweep()).isZero();
    assertThat(conversations.message(stale.messageId()).orElseThrow().held()).isNull();
    assertThat(conversations.message(orphan.messageId()).orElseThrow().held()).isNull();
    assertThat(conversations.message(handedOff.messageId()).orElseThrow().held()).isEqualTo(Held.HANDOFF);
    assertThat(conversations.message(elsewhere.messageId()).orElseThrow().held()).isEqualTo(Held.NO_AGENT);

    // An agent that does not replay adopts, and leaves what waited unanswered.
    Agent quiet = agents.update(agents.create("default", new AgentStore.NewAgent("Q", "https://agent.example/q",
        "num_2", 5, null, 0, dev.wabridge.reply.TextFormat.AUTO, true)), new AgentStore.AgentPatch(
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), false, java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.of(false)));
    quiet = agents.setStatus(quiet, AgentStatus.DEPLOYED);
    assertThat(quiet.replayOnDeploy()).isFalse();
    assertThat(held.releaseFor(quiet)).isZero();
    assertThat(conversations.byId(elsewhere.conversation().id()).orElseThrow().agentId()).isEqualTo(quiet.id());
    assertThat(conversations.message(elsewhere.messageId()).orElseThrow().held()).isEqualTo(Held.NO_AGENT);
    assertThat(held.sweep()).isZero();
  }
}
