package dev.wabridge.agent;

import dev.wabridge.number.BusinessNumber;
import dev.wabridge.whatsapp.GraphClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * "typing…" while an agent thinks: marks the customer's message read with the typing indicator at once, then
 * again every {@code refresh} (Meta drops the indicator after 25 s), until the reply or the agent's timeout.
 */
public final class TypingIndicator implements AutoCloseable {
  /** Before Meta's 25 s expiry, with room for a slow Graph call. */
  public static final Duration META_REFRESH = Duration.ofSeconds(20);

  private final GraphClient graph;
  private final long refreshMillis;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "typing-refresh");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  public TypingIndicator(GraphClient graph, Duration refresh) {
    this.graph = graph;
    this.refreshMillis = refresh.toMillis();
  }

  /** Shows "typing…" now and keeps it up for at most {@code maxMillis}; stop it with {@link Shown#stop()}. */
  public Shown show(BusinessNumber number, String wamid, long maxMillis) {
    if (wamid == null) {
      return () -> { };
    }
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    calls.execute(() -> graph.markRead(number, wamid, true));
    ScheduledFuture<?> refresh = timer.scheduleAtFixedRate(() -> {
      if (System.nanoTime() < until) {
        calls.execute(() -> graph.markRead(number, wamid, true));
      }
    }, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    return () -> refresh.cancel(false);
  }

  /** A typing indicator being kept up. */
  @FunctionalInterface
  public interface Shown {
    void stop();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    calls.shutdown();
  }
}
