package dev.wabridge.agent;

import dev.wabridge.support.Json;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.ConversationMerges;
import dev.wabridge.conversation.HeldMessageStore;
import dev.wabridge.conversation.HeldMessageStore.HeldMessage;
import dev.wabridge.db.Database;
import dev.wabridge.queue.WorkLoop;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the customers' messages that waited for an agent: those held because no agent answered their number
 * ({@code no_agent}) or its agent was paused ({@code agent_paused}). When an agent is deployed (or resumed), it adopts
 * its number's conversations that had no agent, and, if it replays ({@code replay_on_deploy}), each message the
 * customer wrote within the last 24 hours goes to it as a turn of its own, in the order they were written; older ones
 * stay held, visible as unanswered. A handed-off conversation keeps its messages for the person who has it.
 *
 * <p>Each conversation is released in one transaction on its customer's writer, which queues the turns and clears the
 * held flags together: a crash leaves it released or not, and a second release finds nothing. The same release runs
 * from a periodic sweep, for messages held on another node whose agent cache had not yet seen the deploy (or during
 * a crash mid-release), and from the intake of a customer's next message ({@link #releaseBefore}), so that what waited
 * goes to the agent before it.
 */
public final class HeldMessages implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeldMessages.class);

  private final Database db;
  private final ConversationStore conversations;
  private final ConversationMerges merges;
  private final HeldMessageStore held = new HeldMessageStore();
  private final AgentStore agents;
  /** Whether a number is shared (the sandbox's): its customers are simulated, nothing waits there for an agent. */
  private final Predicate<String> sharedNumber;
  private final TurnQueue turns;
  private final Runnable wakeTurns;
  private final InstantSource clock;
  /** The periodic sweep, once started: how often it runs is the running's business, not the release's. */
  private WorkLoop sweeper;

  /**
   * @param merges gives a number's conversations without an agent to the agent deployed on it
   * @param wakeTurns tells the turn dispatcher that turns were queued
   */
  public HeldMessages(Database db, ConversationStore conversations, ConversationMerges merges, AgentStore agents,
                      Predicate<String> sharedNumber, TurnQueue turns, Runnable wakeTurns, InstantSource clock) {
    this.db = db;
    this.conversations = conversations;
    this.merges = merges;
    this.agents = agents;
    this.sharedNumber = sharedNumber;
    this.turns = turns;
    this.wakeTurns = wakeTurns;
    this.clock = clock;
  }

  /** Sweeps now (what a crash left held) and every {@code sweep}. */
  public synchronized HeldMessages start(Duration sweep) {
    if (sweeper == null) {
      sweeper = new WorkLoop("held-messages", sweep.toMillis(), this::sweep).start();
    }
    return this;
  }

  /**
   * An agent was deployed (or resumed, or deployed on another number): it adopts the conversations its number had
   * without an agent, and what waited for it in its conversations there goes to it. Returns how many messages were
   * queued for it. A failure is logged and left to the sweep: the deploy itself is done.
   */
  public int releaseFor(Agent agent) {
    if (!agent.deployed() || agent.numberId() == null) {
      return 0;
    }
    int released = 0;
    try {
      if (!sharedNumber.test(agent.numberId())) {
        for (Conversation c : conversations.withoutAgent(agent.numberId())) {
          released += release(c.id(), agent);
        }
      }
      if (agent.replayOnDeploy()) {
        List<String> waiting = db.read(c -> held.conversationsHeldFor(c, agent.id(), agent.numberId(), since()));
        for (String id : waiting) {
          released += release(id, agent);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("releasing the messages held for agent {} failed; the sweep tries again", agent.id(), e);
    }
    wake(released);
    return released;
  }

  /**
   * Releases what waits in conversations whose agent answers now: messages held on another node (or before a crash)
   * that the deploy's own release did not see. Cheap when nothing waits: only held messages of the last 24 hours
   * are read. Returns how many messages were queued.
   */
  public int sweep() {
    List<AgentStore.Deployed> deployed = agents.deployed();
    List<String> replaying = deployed.stream().filter(AgentStore.Deployed::replayOnDeploy)
        .map(AgentStore.Deployed::id).toList();
    List<String> numbers = deployed.stream().map(AgentStore.Deployed::numberId).distinct()
        .filter(n -> !sharedNumber.test(n)).toList();
    List<String> waiting = new java.util.ArrayList<>();
    waiting(HeldMessageStore.Whose.AGENTS, replaying, waiting);
    waiting(HeldMessageStore.Whose.NO_AGENT_ON_NUMBERS, numbers, waiting);
    int released = 0;
    for (String id : waiting) {
      try {
        released += release(id, null);
      } catch (RuntimeException e) {
        LOG.warn("releasing the held messages of conversation {} failed; the next sweep tries again", id, e);
      }
    }
    if (released > 0) {
      LOG.info("released {} held messages to their agents", released);
    }
    wake(released);
    return released;
  }

  /** Adds the conversations of {@code ids} (as {@code whose} says) in which what waits would be answered now. */
  private void waiting(HeldMessageStore.Whose whose, List<String> ids, List<String> into) {
    for (int i = 0; i < ids.size(); i += HeldMessageStore.MAX_IDS) {
      List<String> some = ids.subList(i, Math.min(ids.size(), i + HeldMessageStore.MAX_IDS));
      db.read(c -> held.waiting(c, since(), whose, some)).stream().filter(this::answered)
          .map(HeldMessageStore.Waiting::conversationId).forEach(into::add);
    }
  }

  /**
   * Whether an agent answers the conversation now (as the agents' caches know it): its own agent, deployed on its
   * number and replaying; or, for a conversation without an agent (the sandbox's aside), the agent deployed on its
   * number, which adopts it. {@link #release} checks again in its transaction.
   */
  private boolean answered(HeldMessageStore.Waiting w) {
    if (w.agentId() == null) {
      return !sharedNumber.test(w.numberId()) && agents.deployedFor(w.numberId()).isPresent();
    }
    return agents.byId(w.agentId())
        .filter(a -> a.deployed() && a.replayOnDeploy() && w.numberId().equals(a.numberId())).isPresent();
  }

  /**
   * In the intake of a customer's message that its agent answers, before the message's own turn is queued: the
   * messages that waited in the conversation go first. The caller holds the customer's writer and has locked the
   * conversation's row (its window moved). Returns how many were queued.
   */
  public int releaseBefore(Handle h, Conversation c, Agent agent, long now) {
    return agent.replayOnDeploy() ? replay(h, c, now) : 0;
  }

  /**
   * Releases one conversation in a transaction of its own: adopted by the deployed agent of its number if it has no
   * agent, and its held messages queued if that agent answers and replays. {@code deployed} is the agent just
   * deployed, or null to look it up (cached for a few seconds: a release that sees a stale state does nothing, and
   * the next sweep does it).
   */
  private int release(String conversationId, Agent deployed) {
    Optional<Conversation> seen = conversations.byId(conversationId);
    if (seen.isEmpty()) {
      return 0;
    }
    return db.writer(seen.get().customerKey()).execute(h -> {
      Optional<Conversation> locked = conversations.lock(h, conversationId);
      if (locked.isEmpty() || locked.get().handoff()) {
        return 0;
      }
      Conversation c = locked.get();
      long now = clock.millis();
      if (c.agentId() == null) {
        if (sharedNumber.test(c.numberId())) {
          return 0;
        }
        Optional<Agent> owner = deployed != null && c.numberId().equals(deployed.numberId()) ? Optional.of(deployed)
            : agents.deployedFor(c.numberId());
        if (owner.isEmpty()) {
          return 0;
        }
        c = merges.adopt(h, c, owner.get().id());
      }
      Optional<Agent> agent = deployed != null && deployed.id().equals(c.agentId()) ? Optional.of(deployed)
          : agents.byId(c.agentId());
      if (agent.isEmpty() || !agent.get().replayOnDeploy() || !agent.get().answersOn(sharedNumber.test(c.numberId()))
          || !c.numberId().equals(agent.get().numberId())) {
        return 0;
      }
      return replay(h, c, now);
    });
  }

  /**
   * Queues a turn for each held message of the conversation that the customer wrote within the last 24 hours, oldest
   * first, and clears their held flags; the older ones stay held.
   */
  private int replay(Handle h, Conversation c, long now) {
    List<String> released = new ArrayList<>();
    for (HeldMessage m : held.heldSince(h, c.id(), now - Conversation.WINDOW_MILLIS)) {
      if (writtenAt(m) > now - Conversation.WINDOW_MILLIS) {
        turns.addReplayed(h, c.id(), m.id(), now);
        released.add(m.id());
      }
    }
    held.release(h, released, now);
    return released.size();
  }

  /**
   * When the customer wrote the message: Meta's timestamp, or when it arrived if that is earlier (a clock ahead) or
   * Meta gave none. A message Meta delivered late (after an outage) is as old as the customer made it.
   */
  private static long writtenAt(HeldMessage m) {
    String ts = Json.text(Json.parseOrNull(m.content()), "timestamp");
    if (ts != null) {
      try {
        return Math.min(m.createdAt(), Long.parseLong(ts.trim()) * 1000);
      } catch (NumberFormatException ignored) {
        // not Meta's shape: when it arrived
      }
    }
    return m.createdAt();
  }

  private long since() {
    return clock.millis() - Conversation.WINDOW_MILLIS;
  }

  private void wake(int released) {
    if (released > 0) {
      wakeTurns.run();
    }
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.close();
    }
  }
}
