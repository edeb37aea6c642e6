package dev.wabridge.net;

import dev.wabridge.net.OutboundHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wabridge.net.Cidr;
import dev.wabridge.net.NetworkPolicy;
import dev.wabridge.testing.FakeServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hot path's client against a socket that answers exactly as each test writes it. */
class OutboundHttpTest {
  private final OutboundHttp http = new OutboundHttp("test", Duration.ofSeconds(2), "wabridge/test");

  @AfterEach
  void close() {
    http.close();
  }

  /** Serves one connection: reads the request, writes {@code response}, then closes. */
  private static URI serveOnce(ServerSocket server, String response) {
    Thread.ofVirtual().start(() -> {
      try (Socket s = server.accept()) {
        s.getInputStream().read(new byte[65536]);
        OutputStream out = s.getOutputStream();
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException ignored) {
        // the client went away
      }
    });
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook");
  }

  @Test
  void a401IsAnAnswerNotAnAuthenticationChallenge() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      URI uri = serveOnce(server, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
          + "Content-Length: 22\r\n\r\n{\"error\":{\"code\":190}}");
      OutboundHttp.Answer a = http.postJson(uri, "{}".getBytes(), 5_000, 1024);
      assertThat(a.status()).isEqualTo(401);
      assertThat(new String(a.body(), StandardCharsets.UTF_8)).contains("190");
      assertThat(a.contentType()).isEqualTo("application/json");
    }
  }

  @Test
  void anAnswerCutOffMidBodyIsABrokenConnection() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      URI uri = serveOnce(server, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"partial\":");
      assertThatThrownBy(() -> http.postJson(uri, "{}".getBytes(), 5_000, 1024))
          .isInstanceOfSatisfying(OutboundHttp.Failure.class,
              f -> assertThat(f.reason()).isEqualTo(OutboundHttp.Reason.BROKEN));
    }
  }

  @Test
  void anAnswerOverTheCapIsTooLarge() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      URI uri = serveOnce(server, "HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n" + "a".repeat(2048));
      assertThatThrownBy(() -> http.postJson(uri, "{}".getBytes(), 5_000, 1024))
          .isInstanceOfSatisfying(OutboundHttp.Failure.class,
              f -> assertThat(f.reason()).isEqualTo(OutboundHttp.Reason.TOO_LARGE));
    }
  }

  @Test
  void nothingListeningIsRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> http.postJson(URI.create("http://127.0.0.1:" + port + "/"), "{}".getBytes(), 5_000, 1024))
        .isInstanceOfSatisfying(OutboundHttp.Failure.class,
            f -> assertThat(f.reason()).isEqualTo(OutboundHttp.Reason.REFUSED));
  }

  @Test
  void aGuardedClientNeverConnectsToARefusedAddressInAnySpelling() throws Exception {
    try (FakeServer server = new FakeServer(r -> new FakeServer.Response(204, null, null));
         OutboundHttp guarded = new OutboundHttp("guarded", Duration.ofSeconds(2), "wabridge/test",
             NetworkPolicy.guarded(List.of(), NetworkPolicy.Resolver.SYSTEM, null))) {
      for (String host : List.of("127.0.0.1", "2130706433", "[::ffff:127.0.0.1]", "[::1]", "localhost")) {
        URI uri = URI.create("http://" + host + ":" + server.port() + "/hook");
        assertThatThrownBy(() -> guarded.postJson(uri, "{}".getBytes(), 5_000, 1024)).as(host)
            .isInstanceOfSatisfying(OutboundHttp.Failure.class, f -> {
              assertThat(f.reason()).isEqualTo(OutboundHttp.Reason.POLICY);
              assertThat(f.getMessage()).startsWith(NetworkPolicy.REFUSED);
            });
      }
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void anAllowlistedAddressIsReachedThroughTheGuardedClient() throws Exception {
    try (FakeServer server = new FakeServer("127.0.0.2", r -> new FakeServer.Response(204, null, null));
         OutboundHttp guarded = new OutboundHttp("guarded", Duration.ofSeconds(2), "wabridge/test",
             NetworkPolicy.guarded(List.of(Cidr.parse("127.0.0.2/32")), NetworkPolicy.Resolver.SYSTEM, null))) {
      assertThat(guarded.postJson(URI.create(server.url() + "/hook"), "{}".getBytes(), 5_000, 1024).status())
          .isEqualTo(204);
      assertThat(server.requests()).hasSize(1);
    }
  }
}
