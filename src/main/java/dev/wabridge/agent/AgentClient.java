package dev.wabridge.agent;

import dev.wabridge.net.OutboundHttp;
import dev.wabridge.net.TenantHttp;
import dev.wabridge.agent.AgentResult.Failed;
import dev.wabridge.agent.AgentResult.Replied;
import dev.wabridge.net.NetworkPolicy;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;

/**
 * POSTs the signed payload to an agent's webhook. The whole exchange, body included, must finish within the
 * agent's timeout (an agent that dribbles its answer byte by byte times out too), and a body over
 * {@link #MAX_BODY} is refused, so a misbehaving agent cannot hold a conversation or memory. The agent's workspace
 * decides where the call may connect ({@link NetworkPolicy}): a refused address fails the call with
 * {@code agent_url_refused} and is never connected to.
 */
public final class AgentClient implements AutoCloseable {
  public static final int MAX_BODY = 1 << 20;
  private final TenantHttp http;
  private final InstantSource clock;

  /**
   * @param network the policy for tenants' workspaces
   * @param connectTimeout connecting to an agent (the call itself is bounded by the agent's own timeout)
   */
  public AgentClient(InstantSource clock, String version, NetworkPolicy network, Duration connectTimeout) {
    this.clock = clock;
    this.http = new TenantHttp("agent-calls", connectTimeout, "wabridge/" + version, network);
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
    OutboundHttp.Answer answer;
    try {
      answer = http.forWorkspace(agent.workspaceId()).postJson(uri, payload, timeoutMillis, MAX_BODY,
          "X-Wabridge-Delivery", deliveryId,
          "X-Wabridge-Signature", AgentSignature.header(agent.webhookSecret(), unix, payload));
    } catch (OutboundHttp.Failure f) {
      return failure(f, agent, start);
    } catch (InterruptedIOException e) {
      return new Failed("agent_interrupted", "the call was interrupted by shutdown", true, elapsed(start));
    }
    int status = answer.status();
    byte[] body = answer.body();
    if (status / 100 == 2) {
      return new Replied(status, answer.contentType() == null ? "" : answer.contentType(), body, elapsed(start));
    }
    boolean retryable = status == 502 || status == 503 || status == 504;
    return new Failed("agent_http_" + status, "the agent answered HTTP " + status + snippet(body), retryable,
        elapsed(start));
  }

  private static Failed failure(OutboundHttp.Failure f, Agent agent, long start) {
    return switch (f.reason()) {
      case TIMEOUT -> timeout(agent, start);
      case TOO_LARGE -> new Failed("agent_response_too_large", "the agent answered more than " + (MAX_BODY >> 10)
          + " KiB; answer with a shorter reply or send media by URL", false, elapsed(start));
      case CONNECT_TIMEOUT -> new Failed("agent_unreachable", "cannot connect to " + agent.webhookUrl()
          + " within 10 s; is the agent running?", true, elapsed(start));
      case REFUSED -> new Failed("agent_unreachable", "cannot connect to " + agent.webhookUrl()
          + " (connection refused or no route); is the agent running?", true, elapsed(start));
      case BROKEN, REDIRECTS -> new Failed("agent_connection", "the call to the agent failed: " + f.getMessage(), true,
          elapsed(start));
      case POLICY -> new Failed("agent_url_refused", "webhook_url: " + f.getMessage(), false, elapsed(start));
    };
  }

  private static Failed timeout(Agent agent, long start) {
    return new Failed("agent_timeout", "the agent did not answer within " + agent.timeoutSeconds()
        + " s (timeout_seconds); answer sooner, or answer at once and send the rest through reply_callback", false,
        elapsed(start));
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

  @Override
  public void close() {
    http.close();
  }
}
