package dev.wabridge.agent;

import dev.wabridge.number.BusinessNumber;
import dev.wabridge.whatsapp.GraphClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * "typing…" while an agent thinks: marks the customer's message read with the typing indicator at once, then
 * again every {@code refresh} (Meta drops the indicator after 25 s), until the reply or the agent's timeout.
 */
public final class TypingIndicator implements AutoCloseable {
  private final GraphClient graph;
  private final long refreshMillis;
  /**
   * Removes a task when it is cancelled: most turns end in well under the 20 s period, and cancelled tasks left
   * in the queue until their time filled the heap under load (README, Performance: the heap histogram).
   */
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "typing-refresh");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  public TypingIndicator(GraphClient graph, Duration refresh) {
    this.graph = graph;
    this.refreshMillis = refresh.toMillis();
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Shows "typing…" now and keeps it up for at most {@code maxMillis}; stop it with {@link Shown#stop()}. */
  public Shown show(BusinessNumber number, String wamid, long maxMillis) {
    if (wamid == null) {
      return NONE;
    }
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    calls.execute(() -> graph.markRead(number, wamid, true));
    Refresh refresh = new Refresh(number, wamid, until);
    refresh.task = timer.scheduleAtFixedRate(refresh, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    return refresh::stop;
  }

  /** One indicator's refreshes; it ends itself at the timeout even if nobody stops it. */
  private final class Refresh implements Runnable {
    private final BusinessNumber number;
    private final String wamid;
    private final long until;
    volatile ScheduledFuture<?> task;

    Refresh(BusinessNumber number, String wamid, long until) {
      this.number = number;
      this.wamid = wamid;
      this.until = until;
    }

    @Override
    public void run() {
      if (System.nanoTime() < until) {
        calls.execute(() -> graph.markRead(number, wamid, true));
      } else {
        stop();
      }
    }

    void stop() {
      ScheduledFuture<?> t = task;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  /** Indicators waiting for their next refresh (one being refreshed at this instant is not counted). */
  int active() {
    return timer.getQueue().size();
  }

  /** A typing indicator being kept up. */
  @FunctionalInterface
  public interface Shown {
    void stop();
  }

  /** No indicator (none was shown: a group, or no message to mark read). */
  public static final Shown NONE = () -> { };

  @Override
  public void close() {
    timer.shutdownNow();
    calls.shutdown();
  }
}
