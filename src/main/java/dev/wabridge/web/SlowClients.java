package dev.wabridge.web;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts clients that send a request too slowly. Jetty's idle timeout restarts with every byte, so a client that
 * dribbles a header a byte at a time would hold its connection for as long as it likes, and Jetty 12 has no header
 * deadline. Checked every {@code tick}, a connection is closed when:
 * <ul>
 *   <li>it was opened {@code deadline} ago and has not started a request;</li>
 *   <li>its current request started {@code deadline} ago (its first byte) and its headers are not complete;</li>
 *   <li>its current request started {@code deadline} ago, its body is not complete and has come slower than
 *       {@code minBodyRate} bytes a second on average (a large upload at a usable speed carries on).</li>
 * </ul>
 * A request whose headers and body have arrived is never cut, however long the answer takes; a connection idle
 * between requests is closed by the connectors' {@code idleTimeout}, which this sets.
 *
 * <p>It reads the HTTP/1.1 parser's state of each connection from its own thread (Jetty's
 * {@code internal.HttpConnection}, a public class): a stale read can only delay a cut by a tick.
 */
public final class SlowClients extends AbstractLifeCycle {
  private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);

  private final Server server;
  private final long deadlineNanos;
  private final long minBodyRate;
  private final long idleTimeoutMillis;
  private final long tickMillis;
  private final AtomicLong cut = new AtomicLong();
  private ScheduledExecutorService timer;

  /** The limits are {@code config.Tuning}'s {@code requestDeadline}, {@code minBodyRate} and {@code idleTimeout}. */
  public SlowClients(Server server, Duration deadline, long minBodyRate, Duration idleTimeout) {
    this.server = server;
    this.deadlineNanos = deadline.toNanos();
    this.minBodyRate = minBodyRate;
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.tickMillis = Math.clamp(deadline.toMillis() / 20, 50, 1_000);
  }

  /** Connections closed for being slow since start. */
  public long cut() {
    return cut.get();
  }

  @Override
  protected void doStart() {
    for (Connector c : server.getConnectors()) {
      if (c instanceof AbstractConnector connector) {
        connector.setIdleTimeout(idleTimeoutMillis);
      }
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("slow-clients")
        .unstarted(r));
    timer.scheduleWithFixedDelay(this::sweep, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    timer.shutdownNow();
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      long nowMillis = System.currentTimeMillis();
      for (Connector c : server.getConnectors()) {
        for (EndPoint ep : c.getConnectedEndPoints()) {
          if (ep.getConnection() instanceof HttpConnection http && tooSlow(http, ep, now, nowMillis)) {
            cut.incrementAndGet();
            ep.close();
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("checking for slow clients failed; will check again", e);
    }
  }

  private boolean tooSlow(HttpConnection http, EndPoint ep, long now, long nowMillis) {
    HttpParser parser = http.getParser();
    if (parser.isStart()) {
      return http.getMessagesIn() == 0
          && TimeUnit.MILLISECONDS.toNanos(nowMillis - ep.getCreatedTimeStamp()) > deadlineNanos;
    }
    long begin = parser.getBeginNanoTime();
    if (parser.isComplete() || begin == 0 || now - begin <= deadlineNanos) {
      return false;
    }
    if (parser.inHeaderState()) {
      return true;
    }
    return parser.getContentRead() < minBodyRate * ((now - begin) / 1_000_000) / 1_000;
  }
}
