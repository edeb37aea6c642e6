package dev.wabridge.agent;

import dev.wabridge.agent.AgentResult.Failed;
import dev.wabridge.agent.AgentResult.Replied;
import dev.wabridge.config.NetworkPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs the signed payload to an agent's webhook. The whole exchange, body included, must finish within the
 * agent's timeout (an agent that dribbles its answer byte by byte times out too), and a body over
 * {@link #MAX_BODY} is refused, so a misbehaving agent cannot hold a conversation or memory.
 */
public final class AgentClient {
  public static final int MAX_BODY = 1 << 20;
  private final HttpClient http;
  private final InstantSource clock;
  private final String userAgent;
  private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "agent-call-deadline");
    t.setDaemon(true);
    return t;
  });

  private final NetworkPolicy network;

  public AgentClient(InstantSource clock, String version, NetworkPolicy network) {
    this.clock = clock;
    this.network = network;
    this.userAgent = "wabridge/" + version;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  public AgentResult call(Agent agent, String deliveryId, byte[] payload) {
    long start = System.nanoTime();
    long timeoutMillis = agent.timeoutSeconds() * 1000L;
    long unix = clock.millis() / 1000;
    URI uri;
    try {
      uri = URI.create(agent.webhookUrl());
    } catch (IllegalArgumentException e) {
      return new Failed("agent_bad_url", "webhook_url is not a valid URL", false, 0);
    }
    String refusal = network.refusal(uri);
    if (refusal != null) {
      return new Failed("agent_url_refused", "webhook_url: " + refusal, false, 0);
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMillis(timeoutMillis))
        .header("Content-Type", "application/json")
        .header("User-Agent", userAgent)
        .header("X-Wabridge-Delivery", deliveryId)
        .header("X-Wabridge-Signature", AgentSignature.header(agent.webhookSecret(), unix, payload))
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    if ("http".equals(uri.getScheme())) {
      req.version(HttpClient.Version.HTTP_1_1);
    }
    CompletableFuture<HttpResponse<InputStream>> future =
        http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> resp;
    try {
      resp = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return timeout(agent, start);
    } catch (ExecutionException e) {
      return connectionFailure(e.getCause(), agent, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return new Failed("agent_interrupted", "the call was interrupted by shutdown", true, elapsed(start));
    }
    long remaining = timeoutMillis - elapsed(start);
    byte[] body;
    try (InputStream in = resp.body()) {
      ScheduledFuture<?> kill = closer.schedule(() -> closeQuietly(in), Math.max(1, remaining), TimeUnit.MILLISECONDS);
      try {
        body = in.readNBytes(MAX_BODY + 1);
      } finally {
        kill.cancel(false);
      }
    } catch (IOException e) {
      return elapsed(start) >= timeoutMillis ? timeout(agent, start)
          : new Failed("agent_connection", "the agent's connection broke while it answered: " + e.getMessage(),
          true, elapsed(start));
    }
    if (elapsed(start) >= timeoutMillis) {
      return timeout(agent, start);
    }
    int status = resp.statusCode();
    if (body.length > MAX_BODY) {
      return new Failed("agent_response_too_large", "the agent answered more than " + (MAX_BODY >> 10)
          + " KiB; answer with a shorter reply or send media by URL", false, elapsed(start));
    }
    if (status / 100 == 2) {
      return new Replied(status, resp.headers().firstValue("Content-Type").orElse(""), body, elapsed(start));
    }
    boolean retryable = status == 502 || status == 503 || status == 504;
    return new Failed("agent_http_" + status, "the agent answered HTTP " + status + snippet(body), retryable,
        elapsed(start));
  }

  private static Failed timeout(Agent agent, long start) {
    return new Failed("agent_timeout", "the agent did not answer within " + agent.timeoutSeconds()
        + " s (timeout_seconds); answer sooner, or answer at once and send the rest through reply_callback", false,
        elapsed(start));
  }

  private static Failed connectionFailure(Throwable cause, Agent agent, long start) {
    if (cause instanceof java.net.http.HttpConnectTimeoutException) {
      return new Failed("agent_unreachable", "cannot connect to " + agent.webhookUrl() + " within 10 s; is the agent "
          + "running?", true, elapsed(start));
    }
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return timeout(agent, start);
    }
    if (cause instanceof ConnectException) {
      return new Failed("agent_unreachable", "cannot connect to " + agent.webhookUrl()
          + " (connection refused or no route); is the agent running?", true, elapsed(start));
    }
    return new Failed("agent_connection", "the call to the agent failed: " + cause, true, elapsed(start));
  }

  private static String snippet(byte[] body) {
    if (body.length == 0) {
      return "";
    }
    String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? "" : ": " + s;
  }

  private static long elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing to stop a read that overran the deadline
    }
  }
}
