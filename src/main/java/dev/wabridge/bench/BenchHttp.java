package dev.wabridge.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark's own HTTP: the fakes and the relay serve on bare Jetty (no servlet layer), and Meta's side
 * (the load driver, the status webhooks) posts with a minimal keep-alive HTTP/1.1 client, so that as little of
 * the machine as possible goes to playing Meta and the agent, and the most to what is measured.
 */
final class BenchHttp {
  private BenchHttp() {
  }

  /** One request to a fake, and its answer. */
  interface Exchange {
    String method();

    String path();

    String header(String name);

    void respond(int status, String contentType, byte[] body);
  }

  interface Handler {
    void handle(Exchange exchange, byte[] body) throws Exception;
  }

  /** Serves {@code handler}, which must not block, on 127.0.0.1:{@code port}. */
  static Server server(int port, Handler handler) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setHeaderCacheSize(0);
    server.addConnector(connector);
    // The fakes never block (they answer from memory), so they answer on Jetty's own thread: no hand-off.
    server.setHandler(new org.eclipse.jetty.server.Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Content.Source.asByteArrayAsync(request, 16 << 20).whenComplete((body, failure) -> {
          if (failure != null) {
            Response.writeError(request, response, callback, failure);
            return;
          }
          try {
            handler.handle(exchange(request, response, callback), body);
          } catch (Exception e) {
            Response.writeError(request, response, callback, e);
          }
        });
        return true;
      }
    });
    server.start();
    return server;
  }

  private static Exchange exchange(Request request, Response response, Callback callback) {
    return new Exchange() {
      @Override
      public String method() {
        return request.getMethod();
      }

      @Override
      public String path() {
        return Request.getPathInContext(request);
      }

      @Override
      public String header(String name) {
        return request.getHeaders().get(name);
      }

      @Override
      public void respond(int status, String contentType, byte[] out) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(out), callback);
      }
    };
  }

  /**
   * Meta's side of the wire: POSTs over kept-alive connections, one request per connection at a time, and
   * returns the status. It reads Content-Length bodies only, which is what wabridge and the fakes answer.
   */
  static final class MetaClient {
    private final InetSocketAddress address;
    private final String path;
    private final String host;
    private final ConcurrentLinkedDeque<Socket> idle = new ConcurrentLinkedDeque<>();

    MetaClient(String url) {
      URI u = URI.create(url);
      this.address = new InetSocketAddress(u.getHost(), u.getPort());
      this.path = u.getRawPath();
      this.host = u.getHost() + ":" + u.getPort();
    }

    /** POSTs JSON with one extra header; returns the status. */
    int post(byte[] body, String header, String value) throws IOException {
      Socket s = idle.pollFirst();
      boolean reused = s != null;
      if (s == null) {
        s = open();
      }
      try {
        int status = exchange(s, body, header, value);
        idle.addFirst(s);
        return status;
      } catch (IOException e) {
        s.close();
        if (reused) {
          // the server closed an idle connection: once more on a fresh one
          Socket fresh = open();
          int status = exchange(fresh, body, header, value);
          idle.addFirst(fresh);
          return status;
        }
        throw e;
      }
    }

    private Socket open() throws IOException {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(address, 5_000);
      s.setSoTimeout(30_000);
      return s;
    }

    private int exchange(Socket s, byte[] body, String header, String value) throws IOException {
      ByteArrayOutputStream req = new ByteArrayOutputStream(body.length + 256);
      req.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + header + ": " + value + "\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      req.writeBytes(body);
      OutputStream out = s.getOutputStream();
      req.writeTo(out);
      out.flush();
      return readResponse(s.getInputStream());
    }

    private static int readResponse(InputStream in) throws IOException {
      byte[] buf = new byte[4096];
      int len = 0;
      int headerEnd = -1;
      while (headerEnd < 0) {
        if (len == buf.length) {
          throw new IOException("response headers too large");
        }
        int r = in.read(buf, len, buf.length - len);
        if (r < 0) {
          throw new EOFException("connection closed");
        }
        len += r;
        for (int i = Math.max(3, len - r); i < len; i++) {
          if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
            headerEnd = i + 1;
            break;
          }
        }
      }
      String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      int contentLength = 0;
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          contentLength = Integer.parseInt(line.substring(15).trim());
        }
      }
      long remaining = contentLength - (len - headerEnd);
      while (remaining > 0) {
        long skipped = in.read(buf, 0, (int) Math.min(buf.length, remaining));
        if (skipped < 0) {
          throw new EOFException("connection closed in the body");
        }
        remaining -= skipped;
      }
      return status;
    }
  }

  static long nowMicros() {
    java.time.Instant i = java.time.Instant.now();
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
  }
}
