package dev.wabridge.bench;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/** Plain-JDK HTTP pieces the benchmark's processes share: a virtual-thread server and a client. */
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

  /** The fakes run on the same Jetty (through Javalin) as wabridge, so the baseline is not handicapped. */
  static Javalin server(int port, Handler handler) {
    io.javalin.http.Handler h = ctx -> {
      byte[] body = ctx.bodyAsBytes();
      handler.handle(new Exchange() {
        @Override
        public String method() {
          return ctx.method().name();
        }

        @Override
        public String path() {
          return ctx.path();
        }

        @Override
        public String header(String name) {
          return ctx.header(name);
        }

        @Override
        public void respond(int status, String contentType, byte[] out) {
          ctx.status(status).contentType(contentType).result(out);
        }
      }, body);
    };
    return Javalin.create(cfg -> {
      cfg.concurrency.useVirtualThreads = true;
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = 16L << 20;
      cfg.jetty.host = "127.0.0.1";
      cfg.jetty.port = port;
      cfg.jetty.modifyHttpConfiguration(c -> c.setHeaderCacheSize(0));
      cfg.routes.get("/*", h);
      cfg.routes.post("/*", h);
    }).start();
  }

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
  }

  static HttpResponse<byte[]> post(HttpClient http, String url, byte[] body, String... headers) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static long nowMicros() {
    java.time.Instant i = java.time.Instant.now();
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
  }
}
