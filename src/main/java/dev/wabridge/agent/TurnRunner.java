package dev.wabridge.agent;

import dev.wabridge.agent.AgentResult.Failed;
import dev.wabridge.agent.AgentResult.Replied;
import dev.wabridge.agent.TurnQueue.Claim;
import dev.wabridge.conversation.Held;
import dev.wabridge.queue.Backoff;
import dev.wabridge.queue.DirectStart;
import dev.wabridge.queue.QueueWorker;
import dev.wabridge.support.Meters;
import java.util.Optional;

/**
 * Runs agent turns: for each inbound message, in the order the customer sent them and one at a time per
 * conversation, marks it read with "typing…" (refreshed before Meta's 25 s expiry), calls the agent, and hands what
 * came of it to {@link TurnOutcomes}, which retires the turn. Unreachable agents (refused, 502/503/504) are retried
 * under the same delivery id, up to {@link #MAX_ATTEMPTS} calls; a timeout or a final failure sends
 * {@code fallback_message} and records the failure on the customer's message.
 */
public final class TurnRunner implements AutoCloseable {
  static final int MAX_ATTEMPTS = 5;

  private final TurnReader reader;
  private final AgentClient client;
  private final TypingIndicator typing;
  private final TurnOutcomes outcomes;
  private final Meters meters;
  private final QueueWorker<Claim> worker;

  public TurnRunner(TurnReader reader, AgentClient client, TypingIndicator typing, TurnOutcomes outcomes,
                    Meters meters) {
    this.reader = reader;
    this.client = client;
    this.typing = typing;
    this.outcomes = outcomes;
    this.meters = meters;
    this.worker = outcomes.worker(this::run);
  }

  public TurnRunner start() {
    worker.start();
    return this;
  }

  /** A slot for a turn that its intake transaction starts itself, if one is free. */
  public DirectStart<Claim> directStart() {
    return new DirectStart<>(worker);
  }

  /** New turns were committed. */
  public void wake() {
    worker.wake();
  }

  private void run(Claim c) {
    Optional<Turn> read = reader.read(c);
    if (read.isEmpty()) {
      outcomes.gone(c);
      return;
    }
    Turn t = read.get();
    if (t.conversation().handoff() || !t.agent().answersOn(t.number())) {
      outcomes.hold(t, t.conversation().handoff() ? Held.HANDOFF : Held.AGENT_PAUSED);
      return;
    }
    // Meta supports neither read receipts nor "typing…" in groups.
    TypingIndicator.Shown shown = t.conversation().groupId() != null ? TypingIndicator.NONE
        : typing.show(t.number(), t.message().wamid(), t.agent().timeoutSeconds() * 1000L);
    AgentResult result;
    try {
      result = client.call(t.agent(), c.id(), reader.payload(t));
    } finally {
      shown.stop();
    }
    switch (result) {
      case Replied r -> {
        meters.agentReplied(r.millis());
        outcomes.replied(t, r);
      }
      case Failed f -> {
        meters.agentFailed(f.code(), f.millis());
        if (f.retryable() && c.attempts() + 1 < MAX_ATTEMPTS) {
          outcomes.retry(t, f, Backoff.delayMillis(c.attempts(), 1_000, 60_000));
        } else {
          outcomes.failed(t, f);
        }
      }
    }
  }

  @Override
  public void close() {
    worker.close();
    typing.close();
  }
}
