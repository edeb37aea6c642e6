package dev.wabridge.net;

import dev.wabridge.support.HttpUrls;
import dev.wabridge.net.NetworkPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
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
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP client of the hot path: agent calls, Graph sends and media fetches. Jetty's client (the profile showed
 * the JDK's costing about twice the CPU per request, and it writes headers and body in two packets), with virtual
 * threads for the blocking callers, kept-alive connections, no cookies, no automatic redirects, one deadline for
 * the whole exchange (an answer dribbled byte by byte times out too) and a cap on the answer's size.
 *
 * <p>Built with a guarded {@link NetworkPolicy}, it resolves every host once through the policy and connects only
 * to the addresses the policy checked, at every connection and every redirect hop of {@link #fetch}: a refused
 * address is never connected to, whatever the spelling or a later DNS answer. What a connection cannot tell, the
 * path on wabridge's own host, is checked before every request ({@link NetworkPolicy#requestRefusal}).
 */
public final class OutboundHttp implements AutoCloseable {
  /** An answer, whatever its status; {@code location} is the Location header, or null. */
  public record Answer(int status, String contentType, byte[] body, String location) {
  }

  /** The answer {@link #fetch} ended on, and the URL it came from. */
  public record Fetched(URI uri, Answer answer) {
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
    BROKEN,
    /** The network policy refuses the address (the message says so and names no resolved address). */
    POLICY,
    /** Too many redirects, or a redirect to something other than an http(s) URL. */
    REDIRECTS
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
  /** The policy every request's URL is checked against, or null when it is open. */
  private final NetworkPolicy guard;

  /**
   * A client that may connect anywhere (Graph sends: the URL is the operator's).
   *
   * @param connectTimeout how long to wait for a connection to be established
   */
  public OutboundHttp(String name, Duration connectTimeout, String userAgent) {
    this(name, connectTimeout, userAgent, NetworkPolicy.open());
  }

  /** A client that connects only where {@code policy} allows (an open policy: anywhere, resolved by Jetty). */
  public OutboundHttp(String name, Duration connectTimeout, String userAgent, NetworkPolicy policy) {
    this.guard = policy.isOpen() ? null : policy;
    if (guard != null) {
      client.setSocketAddressResolver((host, port, context, promise) -> Thread.ofVirtual().name(name + "-resolve")
          .start(() -> {
            switch (policy.check(host, port)) {
              case NetworkPolicy.Allowed a ->
                  promise.succeeded(a.addresses().stream().map(x -> new InetSocketAddress(x, port)).toList());
              case NetworkPolicy.Refused r -> promise.failed(new Failure(Reason.POLICY, r.reason(), null));
              case NetworkPolicy.Unresolved u -> promise.failed(new UnknownHostException(u.host()));
            }
          }));
    }
    client.setHttpCookieStore(new HttpCookieStore.Empty());
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
    return post(uri, "application/json", body, timeoutMillis, maxBody, headers);
  }

  /** POSTs {@code body} of {@code contentType} and waits for the whole answer, as {@link #postJson} does. */
  public Answer post(URI uri, String contentType, byte[] body, long timeoutMillis, int maxBody, String... headers)
      throws Failure, InterruptedIOException {
    return exchange(client.newRequest(uri).method(HttpMethod.POST).body(new BytesRequestContent(contentType, body)),
        uri, timeoutMillis, maxBody, headers);
  }

  /**
   * One GET, whatever its answer: a redirect is returned, not followed (a caller that follows it by hand decides
   * what each hop may carry, {@code Authorization} for instance).
   *
   * @param headers name, value, name, value…
   */
  public Answer get(URI uri, long timeoutMillis, int maxBody, String... headers)
      throws Failure, InterruptedIOException {
    return exchange(client.newRequest(uri).method(HttpMethod.GET), uri, timeoutMillis, maxBody, headers);
  }

  /**
   * GETs {@code first}, following up to {@code maxRedirects} redirects by hand (each hop a new request, so each is
   * resolved and checked against the policy), and returns the first answer that is not a redirect, whatever its
   * status. A hop the policy refuses fails with {@link Reason#POLICY} without naming where the redirect led.
   *
   * @throws Failure when there is no complete answer within {@code timeoutMillis} (per hop) or {@code maxBody}
   */
  public Fetched fetch(URI first, long timeoutMillis, int maxBody, int maxRedirects)
      throws Failure, InterruptedIOException {
    URI uri = first;
    for (int hop = 0; ; hop++) {
      Answer a;
      try {
        a = get(uri, timeoutMillis, maxBody);
      } catch (Failure f) {
        if (hop > 0 && f.reason() == Reason.POLICY) {
          throw new Failure(Reason.POLICY, NetworkPolicy.REFUSED + ": a redirect led to an address this "
              + "workspace may not reach", null);
        }
        throw f;
      }
      if (a.status() / 100 != 3 || a.location() == null) {
        return new Fetched(uri, a);
      }
      if (hop == maxRedirects) {
        throw new Failure(Reason.REDIRECTS, "redirects more than " + maxRedirects + " times", null);
      }
      try {
        uri = uri.resolve(a.location().trim());
      } catch (IllegalArgumentException e) {
        throw new Failure(Reason.REDIRECTS, "redirected to an invalid URL", null);
      }
      if (!HttpUrls.isHttp(uri.toString())) {
        throw new Failure(Reason.REDIRECTS, "redirected to something other than an http(s) URL", null);
      }
    }
  }

  private Answer exchange(Request request, URI uri, long timeoutMillis, int maxBody, String... headers)
      throws Failure, InterruptedIOException {
    String refusal = guard == null ? null : guard.requestRefusal(uri);
    if (refusal != null) {
      throw new Failure(Reason.POLICY, refusal, null);
    }
    request.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
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
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Failure f) {
        return f;
      }
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
    public void onHeaders(Response response) {
      long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      if (declared > max) {
        response.abort(new Failure(Reason.TOO_LARGE, "the answer is larger than " + max + " bytes", null));
      }
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
          java.util.Arrays.copyOf(buffer, length), r.getHeaders().get(HttpHeader.LOCATION)));
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
