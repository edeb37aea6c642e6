package dev.wabridge.web;

import dev.wabridge.web.SlowClients;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.wabridge.testing.RawHttp;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SlowClients} on a bare Jetty with short values (deadline 1 s, idle timeout 3 s), over raw sockets: slow
 * headers, silent connections and dribbled bodies are cut by the deadline; idle keep-alive connections last until
 * the idle timeout; slow answers and fast large bodies are never cut.
 */
class SlowClientsTest {
  static final Duration DEADLINE = Duration.ofSeconds(1);
  Server server;
  int port;
  volatile long handlerSleepMillis;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        byte[] body = Content.Source.asByteArrayAsync(request, 1 << 24).get();
        Thread.sleep(handlerSleepMillis);
        response.setStatus(200);
        response.write(true, java.nio.ByteBuffer.wrap(("got " + body.length).getBytes(StandardCharsets.UTF_8)),
            callback);
        return true;
      }
    });
    server.addBean(new SlowClients(server, DEADLINE, 16 * 1024, Duration.ofSeconds(3)));
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  /**
   * Writes {@code first} at once, then {@code bytes} one every {@code gapMillis} until the server closes; returns
   * how long after {@code started} it was closed.
   */
  long dribble(byte[] first, byte[] bytes, long gapMillis, long started) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(first);
      s.setSoTimeout((int) gapMillis);
      for (int i = 0; ; i++) {
        try {
          out.write(bytes[i % bytes.length]);
          out.flush();
        } catch (IOException closed) {
          return System.nanoTime() - started;
        }
        try {
          if (in.read() < 0) {
            return System.nanoTime() - started;
          }
        } catch (SocketTimeoutException stillOpen) {
          // keeps dribbling
        } catch (IOException reset) {
          return System.nanoTime() - started;
        }
      }
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void fiftyClientsDribblingHeadersAreAllCutByTheDeadline() throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    long started = System.nanoTime();
    List<Future<Long>> clients = new ArrayList<>();
    byte[] header = ascii("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(4000));
    for (int i = 0; i < 50; i++) {
      clients.add(pool.submit(() -> dribble(new byte[0], header, 100, started)));
    }
    for (Future<Long> c : clients) {
      assertThat(Duration.ofNanos(c.get())).isGreaterThanOrEqualTo(DEADLINE).isLessThan(Duration.ofMillis(2_500));
    }
    pool.shutdown();
  }

  @Test
  void aConnectionThatNeverStartsARequestIsCut() throws Exception {
    long started = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
  }

  @Test
  void aDribbledBodyIsCutByTheDeadline() throws Exception {
    long started = System.nanoTime();
    long closedAfter = dribble(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"),
        ascii("b".repeat(100_000)), 20, started);
    assertThat(Duration.ofNanos(closedAfter)).isGreaterThanOrEqualTo(DEADLINE).isLessThan(Duration.ofMillis(2_500));
  }

  @Test
  void anIdleKeepAliveConnectionLastsUntilTheIdleTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      InputStream in = s.getInputStream();
      assertThat(RawHttp.readResponse(in)).startsWith("HTTP/1.1 200");
      long idleFrom = System.nanoTime();
      Thread.sleep(2_000);
      s.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertThat(RawHttp.readResponse(in)).startsWith("HTTP/1.1 200");
      idleFrom = System.nanoTime();
      assertThat(in.read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - idleFrom)).isGreaterThan(Duration.ofMillis(2_500))
          .isLessThan(Duration.ofMillis(4_500));
    }
  }

  @Test
  void aSlowAnswerAndAFastLargeBodyAreNotCut() throws Exception {
    handlerSleepMillis = 2_500;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
      assertThat(RawHttp.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("got 3");
    }
    handlerSleepMillis = 0;
    // 64 KiB/s for 1.5 s: past the deadline, but well above the minimum rate.
    int size = 96 * 1024;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n"));
      for (int sent = 0; sent < size; sent += 4096) {
        out.write(new byte[4096]);
        out.flush();
        Thread.sleep(62);
      }
      assertThat(RawHttp.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("got " + size);
    }
  }

}
