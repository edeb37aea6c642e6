package dev.wabridge.testing;

import dev.wabridge.support.Json;
import dev.wabridge.app.Wabridge;
import dev.wabridge.config.Config;
import dev.wabridge.whatsapp.MetaSignature;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A real wabridge on a free loopback port, on SQLite in a temporary directory or on a fresh PostgreSQL
 * database, talking to a fake Graph API. Helpers call its HTTP surfaces as a client would.
 */
public final class TestApp implements AutoCloseable {
  public static final String ADMIN_KEY = "wab_test_admin_key_0123456789";
  private final Wabridge app;
  private final String base;
  private final String postgresUrl;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Configuration as a real start would see it. */
  public record Setup(boolean postgres, String graphUrl, InstantSource clock, Map<String, String> extraEnv) {
  }

  public TestApp(boolean postgres, String graphUrl) {
    this(new Setup(postgres, graphUrl, InstantSource.system(), Map.of()));
  }

  public TestApp(Setup setup) {
    try {
      this.dataDir = Files.createTempDirectory("wabridge-test");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("WABRIDGE_PORT", Integer.toString(port));
    env.put("WABRIDGE_DATA_DIR", dataDir.toString());
    env.put("WABRIDGE_ADMIN_KEY", ADMIN_KEY);
    env.put("WABRIDGE_SANDBOX", "false");
    env.put("WABRIDGE_GRAPH_URL", setup.graphUrl());
    if (setup.postgres()) {
      postgresUrl = TestDatabases.freshPostgres();
      env.put("WABRIDGE_DATABASE_URL", postgresUrl);
      env.put("WABRIDGE_DATABASE_USER", TestDatabases.user());
    } else {
      postgresUrl = null;
    }
    env.putAll(setup.extraEnv());
    this.app = Wabridge.start(Config.from(env), setup.clock());
    this.base = "http://localhost:" + port;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return base;
  }

  public Wabridge app() {
    return app;
  }

  /** A response with its body parsed when it is JSON. */
  public record Reply(int status, String body, Map<String, java.util.List<String>> headers) {
    public JsonNode json() {
      return Json.parse(body);
    }

    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(), java.util.List.of()).stream().findFirst().orElse(null);
    }
  }

  public Reply api(String method, String path, String jsonBody) {
    return request(method, path, jsonBody, ADMIN_KEY, "application/json", Map.of());
  }

  public Reply request(String method, String path, String body, String key, String contentType,
                       Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (contentType != null && body != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Registers a number in the default workspace (the graph fake must answer its lookup); returns its id. */
  public String registerNumber(String phoneNumberId, String appSecret) {
    return api("POST", "/api/numbers", "{\"phone_number_id\":\"" + phoneNumberId + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + appSecret + "\",\"verify_token\":\"v\"}")
        .json().get("id").asString();
  }

  /**
   * One value read straight from the database, or null: for polling, where polling through the API would meet the
   * key's rate limit.
   */
  public String sql(String query, Object... args) {
    return app.database().jdbi().withHandle(h -> {
      var q = h.createQuery(query);
      for (int i = 0; i < args.length; i++) {
        q.bind(i, args[i]);
      }
      return q.mapTo(String.class).findFirst().orElse(null);
    });
  }

  /** POSTs a webhook signed with {@code appSecret} over the exact bytes. */
  public Reply webhook(String body, String appSecret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return request("POST", "/webhooks/whatsapp", body, null, "application/json",
        Map.of("X-Hub-Signature-256", MetaSignature.sign(bytes, appSecret)));
  }

  @Override
  public void close() {
    app.close();
    if (postgresUrl != null) {
      TestDatabases.drop(postgresUrl);
    }
  }
}
