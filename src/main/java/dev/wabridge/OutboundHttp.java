package dev.wabridge;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP client of the hot path: agent calls and Graph sends. Jetty's client (the profile showed the JDK's
 * costing about twice the CPU per request, and it writes headers and body in two packets), with virtual threads
 * for the blocking callers, kept-alive connections, no redirects, one deadline for the whole exchange (an answer
 * dribbled byte by byte times out too) and a cap on the answer's size.
 */
public final class OutboundHttp implements AutoCloseable {
  /** An answer, whatever its status. */
  public record Answer(int status, String contentType, byte[] body) {
  }

  /** Why an exchange produced no answer. */
  public enum Reason {
    /** Nothing listens there (connection refused, no route, unknown host). */
    REFUSED,
    /** The connection was not established within the connect timeout. */
    CONNECT_TIMEOUT,
    /** The exchange, body included, did not finish within its deadline. */
    TIMEOUT,
    /** The answer's body is larger than allowed. */
    TOO_LARGE,
    /** The connection broke. */
    BROKEN
  }

  /** An exchange that failed; {@code reason} says how. */
  public static final class Failure extends IOException {
    private final Reason reason;

    Failure(Reason reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  private final HttpClient client = new HttpClient();

  /** @param connectTimeout how long to wait for a connection to be established */
  public OutboundHttp(String name, Duration connectTimeout, String userAgent) {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName(name);
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    client.setExecutor(pool);
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setFollowRedirects(false);
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
    // Callers bound their own concurrency (in-flight agent calls and sends); a slow agent needs a connection
    // per waiting conversation, so the client must not queue them behind a small pool.
    client.setMaxConnectionsPerDestination(4096);
    client.setMaxRequestsQueuedPerDestination(65_536);
    client.setIdleTimeout(55_000);
    try {
      client.start();
      // No authentication, redirect or 100-continue handling (start() installs them): a 401 from Meta (an
      // expired token) is an answer to read, not a challenge (Jetty fails a 401 without WWW-Authenticate).
      client.getProtocolHandlers().clear();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client", e);
    }
  }

  /**
   * POSTs {@code body} as JSON and waits for the whole answer.
   *
   * @param headers name, value, name, value…
   * @throws Failure when there is no complete answer within {@code timeoutMillis} or {@code maxBody}
   */
  public Answer postJson(URI uri, byte[] body, long timeoutMillis, int maxBody, String... headers)
      throws Failure, InterruptedIOException {
    Request request = client.newRequest(uri).method(HttpMethod.POST).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .body(new BytesRequestContent("application/json", body));
    if (headers.length > 0) {
      request.headers(h -> {
        for (int i = 0; i < headers.length; i += 2) {
          h.put(headers[i], headers[i + 1]);
        }
      });
    }
    Collector collector = new Collector(maxBody);
    request.send(collector);
    try {
      // Jetty's own total timeout ends the exchange; the margin only guards against a lost callback.
      return collector.answer.get(timeoutMillis + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      request.abort(e);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + uri.getHost());
    } catch (TimeoutException e) {
      request.abort(e);
      throw new Failure(Reason.TIMEOUT, "no answer within " + timeoutMillis + " ms", e);
    } catch (ExecutionException e) {
      throw classify(e.getCause(), uri);
    }
  }

  private static Failure classify(Throwable t, URI uri) {
    if (t instanceof Failure f) {
      return f;
    }
    if (t instanceof TimeoutException) {
      return new Failure(Reason.TIMEOUT, t.getMessage(), t);
    }
    if (t instanceof SocketTimeoutException) {
      return new Failure(Reason.CONNECT_TIMEOUT, "cannot connect to " + uri.getHost() + ": " + t.getMessage(), t);
    }
    if (t instanceof ConnectException || t instanceof java.net.UnknownHostException
        || t instanceof java.net.NoRouteToHostException) {
      return new Failure(Reason.REFUSED, "cannot connect to " + uri.getHost() + ": " + t, t);
    }
    return new Failure(Reason.BROKEN, String.valueOf(t), t);
  }

  /** Gathers the body up to its cap and completes with the answer, or with the failure. */
  private static final class Collector implements Response.Listener {
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final int max;
    private byte[] buffer = new byte[512];
    private int length;

    Collector(int max) {
      this.max = max;
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
      int n = content.remaining();
      if (length + n > max) {
        response.abort(new Failure(Reason.TOO_LARGE, "the answer is larger than " + max + " bytes", null));
        return;
      }
      if (length + n > buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, Math.min(max, Math.max(buffer.length * 2, length + n)));
      }
      content.get(buffer, length, n);
      length += n;
    }

    @Override
    public void onComplete(Result result) {
      if (result.isFailed()) {
        answer.completeExceptionally(result.getFailure());
        return;
      }
      Response r = result.getResponse();
      answer.complete(new Answer(r.getStatus(), r.getHeaders().get(HttpHeader.CONTENT_TYPE),
          java.util.Arrays.copyOf(buffer, length)));
    }
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception ignored) {
      // stopping anyway
    }
  }
}
