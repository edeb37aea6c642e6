package dev.wabridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.testing.Meta;
import dev.wabridge.testing.TestApp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 12's hostile review: each test names the finding it guards. */
class Issue12ReviewTest {
  static FakeServer graph;
  static TestApp app;

  @BeforeAll
  static void start() {
    graph = new FakeServer(r -> Response.json(200, "{\"messages\":[{\"id\":\"wamid.X" + System.nanoTime() + "\"}]}"));
    app = new TestApp(false, graph.url());
  }

  @AfterAll
  static void stop() {
    app.close();
    graph.close();
  }

  static TestApp.Reply call(String method, String path, String body, String key) {
    return app.request(method, path, body, key, "application/json", Map.of());
  }

  static String newWorkspaceKey(String name) {
    return app.api("POST", "/api/workspaces", "{\"name\":\"" + name + "\"}").json().get("api_key").asString();
  }

  static String registerNumber(String key, String pnid, String secret, String wabaId) {
    TestApp.Reply r = call("POST", "/api/numbers", "{\"phone_number_id\":\"" + pnid + "\",\"display_phone_number\":"
        + "\"+1 555\",\"access_token\":\"t\",\"app_secret\":\"" + secret + "\",\"verify_token\":\"v" + pnid + "\","
        + "\"waba_id\":\"" + wabaId + "\"}", key);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asString();
  }

  static String userIdUpdate(String wabaId, String previous, String current) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + wabaId + "\",\"changes\":[{\"field\":"
        + "\"user_id_update\",\"value\":{\"messaging_product\":\"whatsapp\",\"detail\":\"changed\","
        + "\"user_id\":{\"previous\":\"" + previous + "\",\"current\":\"" + current + "\"},\"timestamp\":\"1\"}}]}]}";
  }

  // Finding: an account-level user_id_update (no phone_number_id) was applied to every workspace with a number
  // claiming its entry[].id, whichever of those numbers' app secrets signed it. A tenant that sets another tenant's
  // WABA id on its own number could sign one with its own secret and re-key the other tenant's customers.
  @Test
  void anAccountLevelIdentityChangeReachesOnlyTheWorkspacesWhoseSecretSignedIt() {
    String victimNumber = registerNumber(TestApp.ADMIN_KEY, "880000001", "victim-secret", "880000999");
    String attacker = newWorkspaceKey("Attacker");
    registerNumber(attacker, "880000002", "attacker-secret", "880000999");
    assertThat(app.webhook(Meta.envelope("880000001", "\"contacts\":[{\"profile\":{\"name\":\"V\"},\"user_id\":"
        + "\"US.880VICTIM\"}],\"messages\":[{\"from_user_id\":\"US.880VICTIM\",\"id\":\"wamid.R880\",\"timestamp\":"
        + "\"" + System.currentTimeMillis() / 1000 + "\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]"),
        "victim-secret").status()).isEqualTo(200);
    String userIdOfVictim = "SELECT user_id FROM conversations WHERE number_id = ?";
    assertThat(app.sql(userIdOfVictim, victimNumber)).isEqualTo("US.880VICTIM");

    assertThat(app.webhook(userIdUpdate("880000999", "US.880VICTIM", "US.880EVIL"), "attacker-secret").status())
        .isEqualTo(200);
    assertThat(app.sql(userIdOfVictim, victimNumber)).isEqualTo("US.880VICTIM");

    // Meta's own, signed with the victim's app secret, still applies.
    assertThat(app.webhook(userIdUpdate("880000999", "US.880VICTIM", "US.880NEW"), "victim-secret").status())
        .isEqualTo(200);
    assertThat(app.sql(userIdOfVictim, victimNumber)).isEqualTo("US.880NEW");
  }
}
