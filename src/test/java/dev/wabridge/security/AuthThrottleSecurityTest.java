package dev.wabridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
import dev.wabridge.testing.RawHttp;
import dev.wabridge.testing.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 review, finding M4: "Sign-in throttling locks everyone out behind a proxy, and Bearer guessing is never
 * throttled." Over real HTTP: wrong keys are counted per client address on every path that takes a key, the client
 * address is read from X-Forwarded-For only when a trusted proxy sent it, flooding from many addresses does not reset
 * the count, and a valid key's sign-ins count against its rate limit.
 */
class AuthThrottleSecurityTest {
  static final String BEHIND_PROXY = "127.0.0.1/32,::1/128";
  final MutableClock clock = new MutableClock(Instant.now());

  TestApp start(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("WABRIDGE_SANDBOX", "true");
    return new TestApp(new TestApp.Setup(false, "http://127.0.0.1:9", clock, all));
  }

  static TestApp.Reply bearer(TestApp app, String path, String key, Map<String, String> headers) {
    return app.request("GET", path, null, key, null, headers);
  }

  static TestApp.Reply signIn(TestApp app, String key, Map<String, String> headers) {
    return app.request("POST", "/api/session", "{\"api_key\":\"" + key + "\"}", null, "application/json", headers);
  }

  static Map<String, String> from(String forwardedFor) {
    return Map.of("X-Forwarded-For", forwardedFor);
  }

  static void assertLockedOut(TestApp.Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(429);
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("sign_in_throttled");
    assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 900L);
  }

  /** M4: "30 wrong Bearer keys gave 0 x 429, while the session path gave 429 after 10". */
  @Test
  void wrongBearerKeysAreCountedWithWrongSignInsAndLockTheAddressOut() {
    try (TestApp app = start(Map.of())) {
      String cookie = signIn(app, TestApp.ADMIN_KEY, Map.of()).header("Set-Cookie").split(";")[0];
      for (int i = 0; i < 4; i++) {
        assertThat(bearer(app, "/api/agents", "wab_guess_api_" + i, Map.of()).status()).isEqualTo(401);
        assertThat(bearer(app, "/sandbox/api/agents", "wab_guess_sandbox_" + i, Map.of()).status()).isEqualTo(401);
      }
      assertThat(signIn(app, "wab_guess_session_0", Map.of()).status()).isEqualTo(401);
      assertThat(signIn(app, "wab_guess_session_1", Map.of()).status()).isEqualTo(401);

      assertLockedOut(bearer(app, "/api/agents", "wab_guess_api_99", Map.of()));
      // A right key from a locked-out address gets the same answer as a wrong one: no answer confirms a guess.
      assertLockedOut(bearer(app, "/api/agents", TestApp.ADMIN_KEY, Map.of()));
      assertLockedOut(bearer(app, "/sandbox/api/agents", TestApp.ADMIN_KEY, Map.of()));
      assertLockedOut(signIn(app, TestApp.ADMIN_KEY, Map.of()));
      assertThat(app.request("GET", "/api/agents", null, null, null, Map.of("Cookie", cookie)).status())
          .as("a session signed in before is no key guess and goes on").isEqualTo(200);

      clock.advance(Duration.ofMinutes(16));
      assertThat(bearer(app, "/api/agents", TestApp.ADMIN_KEY, Map.of()).status()).isEqualTo(200);
    }
  }

  /** M4: "Behind the TLS proxy [...] ten bad sign-ins from anyone return 429 to the admin's correct key". */
  @Test
  void behindATrustedProxyOneClientsGuessesLockOutOnlyThatClient() {
    try (TestApp app = start(Map.of("WABRIDGE_TRUSTED_PROXIES", BEHIND_PROXY))) {
      for (int i = 0; i < 10; i++) {
        assertThat(signIn(app, "wab_guess_" + i, from("203.0.113.66")).status()).isEqualTo(401);
      }
      assertThat(signIn(app, TestApp.ADMIN_KEY, from("198.51.100.7")).status()).as("another client behind the proxy")
          .isEqualTo(201);
      assertThat(bearer(app, "/api/agents", TestApp.ADMIN_KEY, from("198.51.100.7")).status()).isEqualTo(200);

      assertLockedOut(signIn(app, "wab_guess_10", from("203.0.113.66")));
      assertLockedOut(bearer(app, "/api/agents", "wab_guess_11", from("203.0.113.66")));
      // What the client wrote itself, left of the entry its proxy added, is not read.
      assertLockedOut(signIn(app, "wab_guess_12", from("198.51.100.12, 203.0.113.66")));
      TestApp.Reply viaForwarded = bearer(app, "/api/agents", TestApp.ADMIN_KEY, Map.of("Forwarded",
          "for=\"[2001:db8::7]:4711\""));
      assertThat(viaForwarded.status()).isEqualTo(200);
    }
  }

  /** M4, the other side: with no trusted proxy, a client cannot become many by writing X-Forwarded-For. */
  @Test
  void withoutATrustedProxyForwardingHeadersAreNotRead() {
    try (TestApp app = start(Map.of())) {
      for (int i = 0; i < 10; i++) {
        assertThat(bearer(app, "/api/agents", "wab_guess_" + i, Map.of("X-Forwarded-For", "203.0.113." + i,
            "Forwarded", "for=198.51.100." + i)).status()).isEqualTo(401);
      }
      assertLockedOut(bearer(app, "/api/agents", TestApp.ADMIN_KEY, from("203.0.113.200")));
    }
  }

  /**
   * M4: "the throttle clears its whole map once it tracks 10,000 addresses, so anyone with many addresses (e.g.
   * IPv6) can reset it." Every 127.x.y.z is this machine: 10,000 wrong sign-ins, each from its own address, after
   * one address is locked out.
   */
  @Test
  void wrongKeysFromTenThousandOtherAddressesDoNotUnlockAnAddress() throws Exception {
    try (TestApp app = start(Map.of())) {
      int port = Integer.parseInt(app.url().substring(app.url().lastIndexOf(':') + 1));
      byte[] locked = {127, 0, 0, 2};
      for (int i = 0; i < 10; i++) {
        assertThat(rawSignIn(port, locked, "wab_guess_" + i)).isEqualTo(401);
      }
      assertThat(rawSignIn(port, locked, TestApp.ADMIN_KEY)).isEqualTo(429);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> flood = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
          byte[] from = {127, 1, (byte) (i >> 8), (byte) i};
          flood.add(pool.submit(() -> rawSignIn(port, from, "wab_flood")));
        }
        for (Future<Integer> f : flood) {
          assertThat(f.get()).isEqualTo(401);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(rawSignIn(port, locked, TestApp.ADMIN_KEY)).as("still locked out").isEqualTo(429);
    }
  }

  /** The brief: a valid key's sign-ins are rate limited like its requests, so they cannot mint sessions unbounded. */
  @Test
  void signInsWithAValidKeyCountAgainstItsRateLimit() {
    try (TestApp app = start(Map.of())) {
      String read = app.api("POST", "/api/keys", "{\"name\":\"r\",\"scope\":\"read\"}").json().get("key").asString();
      for (int i = 0; i < 100; i++) {
        assertThat(signIn(app, read, Map.of()).status()).isEqualTo(201);
      }
      TestApp.Reply over = signIn(app, read, Map.of());
      assertThat(over.status()).isEqualTo(429);
      assertThat(over.json().get("error").get("code").asString()).isEqualTo("rate_limited");
      assertThat(over.header("Retry-After")).isNotNull();
      assertThat(signIn(app, TestApp.ADMIN_KEY, Map.of()).status()).as("another key").isEqualTo(201);
    }
  }

  /** A client still sending a deleted key (a forgotten integration) is not a guesser: one wrong key counts once. */
  @Test
  void oneDeletedKeyRetriedDoesNotLockItsAddressOut() {
    try (TestApp app = start(Map.of())) {
      var key = app.api("POST", "/api/keys", "{\"name\":\"old\"}").json();
      app.api("DELETE", "/api/keys/" + key.get("id").asString(), null);
      for (int i = 0; i < 30; i++) {
        assertThat(bearer(app, "/api/agents", key.get("key").asString(), Map.of()).status()).isEqualTo(401);
        assertThat(signIn(app, key.get("key").asString(), Map.of()).status()).isEqualTo(401);
      }
      assertThat(signIn(app, TestApp.ADMIN_KEY, Map.of()).status()).isEqualTo(201);
    }
  }

  /** POST /api/session from the local address {@code from}, on a connection of its own. */
  static int rawSignIn(int port, byte[] from, String key) throws IOException {
    try (Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port,
        InetAddress.getByAddress(from), 0)) {
      s.setSoTimeout(10_000);
      String body = "{\"api_key\":\"" + key + "\"}";
      OutputStream o = s.getOutputStream();
      o.write(("POST /api/session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json"
          + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      o.flush();
      String response = RawHttp.readResponse(s.getInputStream());
      return Integer.parseInt(response.substring(9, 12));
    }
  }
}
