package dev.wabridge.config;

import dev.wabridge.net.Cidr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsMatchTheContract() {
    Config c = Config.from(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.publicUrl()).isEqualTo("http://localhost:8080");
    assertThat(c.dataDir().toString()).endsWith("data");
    assertThat(c.usesPostgres()).isFalse();
    assertThat(c.graphUrl()).isEqualTo("https://graph.facebook.com");
    assertThat(c.graphVersion()).isEqualTo("v23.0");
    assertThat(c.sandbox()).isTrue();
    assertThat(c.agentNetworkAllowlist()).isEmpty();
    assertThat(c.warnings()).isEmpty();
    assertThat(c.logFormat()).isEqualTo("text");
    assertThat(c.quotas()).isEqualTo(new Quotas(20, 50, 10_000));
    assertThat(c.trustedProxies()).isEmpty();
  }

  @Test
  void quotasAreWholeNumbersAndZeroMeansUnlimited() {
    Config c = Config.from(Map.of("WABRIDGE_QUOTA_NUMBERS", "0", "WABRIDGE_QUOTA_AGENTS", "3",
        "WABRIDGE_QUOTA_QUEUED_MESSAGES", "100"));
    assertThat(c.quotas()).isEqualTo(new Quotas(0, 3, 100));
    assertThat(Quotas.reached(0, 1_000_000)).isFalse();
    assertThat(Quotas.reached(3, 3)).isTrue();
    assertThat(Quotas.reached(3, 2)).isFalse();
  }

  @Test
  void publicUrlFollowsThePortAndLosesATrailingSlash() {
    assertThat(Config.from(Map.of("WABRIDGE_PORT", "9000")).publicUrl()).isEqualTo("http://localhost:9000");
    assertThat(Config.from(Map.of("WABRIDGE_PUBLIC_URL", "https://wa.example.com/")).publicUrl())
        .isEqualTo("https://wa.example.com");
  }

  @Test
  void mediaUrlDefaultsToThePublicUrl() {
    assertThat(Config.from(Map.of("WABRIDGE_PUBLIC_URL", "https://wa.example.com/")).mediaUrl())
        .isEqualTo("https://wa.example.com");
    assertThat(Config.from(Map.of("WABRIDGE_MEDIA_URL", "https://media.example.com/")).mediaUrl())
        .isEqualTo("https://media.example.com");
  }

  @Test
  void eachBadValueNamesItsVariable() {
    assertBad("WABRIDGE_PORT", "http");
    assertBad("WABRIDGE_PORT", "70000");
    assertBad("WABRIDGE_PUBLIC_URL", "localhost:8080");
    assertBad("WABRIDGE_DATABASE_URL", "jdbc:mysql://x/y");
    assertBad("WABRIDGE_ADMIN_KEY", "short");
    assertBad("WABRIDGE_SECRET_KEY", "bm90LTMyLWJ5dGVz");
    assertBad("WABRIDGE_GRAPH_URL", "graph.facebook.com");
    assertBad("WABRIDGE_GRAPH_VERSION", "23");
    assertBad("WABRIDGE_SANDBOX", "maybe");
    assertBad("WABRIDGE_AGENT_NETWORK_ALLOWLIST", "10.0.0.0/8,intranet");
    assertBad("WABRIDGE_AGENT_NETWORK_ALLOWLIST", "10.0.0.0/40");
    assertBad("WABRIDGE_LOG_FORMAT", "xml");
    assertBad("WABRIDGE_MEDIA_URL", "media.example.com");
    assertBad("WABRIDGE_MEDIA_URL", "https://media.example.com/?x=1");
    assertBad("WABRIDGE_QUOTA_NUMBERS", "-1");
    assertBad("WABRIDGE_QUOTA_AGENTS", "many");
    assertBad("WABRIDGE_QUOTA_QUEUED_MESSAGES", "1e4");
    assertBad("WABRIDGE_TRUSTED_PROXIES", "10.0.0.5,proxy.internal");
    assertBad("WABRIDGE_TRUSTED_PROXIES", "fd00::/129");
    assertBad("WABRIDGE_TRUSTED_PROXIES", "10.0.0.5/32,0.0.0.0/0");
    assertBad("WABRIDGE_TRUSTED_PROXIES", "::/0");
  }

  @Test
  void trustedProxiesAreAddressBlocks() {
    Config c = Config.from(Map.of("WABRIDGE_TRUSTED_PROXIES", " 10.0.0.5, fd00:1::/64 "));
    assertThat(c.trustedProxies()).containsExactly(Cidr.parse("10.0.0.5/32"), Cidr.parse("fd00:1::/64"));
    assertThat(c.toString()).contains("trustedProxies=[10.0.0.5/32, fd00:1:0:0:0:0:0:0/64]");
  }

  private static void assertBad(String name, String value) {
    assertThatThrownBy(() -> Config.from(Map.of(name, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(name)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void theAllowlistIsReadAndTheOldBlockingSwitchOnlyWarns() {
    Config c = Config.from(Map.of("WABRIDGE_AGENT_NETWORK_ALLOWLIST", "10.1.0.0/16, fd00:1::/64",
        "WABRIDGE_BLOCK_PRIVATE_NETWORKS", "true"));
    assertThat(c.agentNetworkAllowlist()).containsExactly(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00:1::/64"));
    assertThat(c.warnings()).singleElement().asString().startsWith("WABRIDGE_BLOCK_PRIVATE_NETWORKS is no longer read")
        .contains("WABRIDGE_AGENT_NETWORK_ALLOWLIST").doesNotContain("\n");
  }

  @Test
  void secretsStayOutOfToString() {
    Config c = Config.from(Map.of("WABRIDGE_ADMIN_KEY", "wab_supersecret_admin_key", "WABRIDGE_DATABASE_PASSWORD",
        "pg-password"));
    assertThat(c.toString()).doesNotContain("supersecret").doesNotContain("pg-password");
  }

  @Test
  void theLogLineMasksEverySecretAndShowsTheTuning() {
    Config c = Config.from(Map.of("WABRIDGE_DATABASE_URL", "jdbc:postgresql://db/wabridge?user=w&password=hunter2",
        "WABRIDGE_SECRET_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
        "WABRIDGE_ADMIN_KEY", "wab_supersecret_admin_key"));
    assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("supersecret")
        .doesNotContain(c.secretKey().orElseThrow()).contains("password=***", "adminKey=***", "secretKey=***")
        .contains("apiKeyRequests=100 per 10 s", "callbackRequests=100 per 10 s", "wrongKeys=10 per 900 s")
        .contains("turns: 512 in flight, lease 20 s renewed every 5 s, swept every 5 s", "sends: 256 in flight",
            "writeBatch=512", "preparedStatements=256", "sqliteConnections=8", "postgresReadConnections=16",
            "graph: call 20 s, media 60 s, download 120 s, numberLookup 10 s", "mediaFetchTimeout=60 s",
            "housekeeping: purgeEvery 10 min, lateStatusesEvery 10 s");
  }

  @Test
  void tuningDefaultsAreTheValuesTheServerAlwaysHad() {
    Tuning t = Config.from(Map.of()).tuning();
    assertThat(t).isEqualTo(Tuning.DEFAULTS);
    assertThat(t.apiKeyRequests()).isEqualTo(new Tuning.Limit(100, java.time.Duration.ofSeconds(10)));
    assertThat(t.wrongKeys()).isEqualTo(new Tuning.Limit(10, java.time.Duration.ofMinutes(15)));
    assertThat(t.lookups()).isEqualTo(new Tuning.Cache(java.time.Duration.ofSeconds(5), 10_000));
    assertThat(t.sessionIdle()).hasHours(12);
    assertThat(t.sessionMax()).hasDays(7);
    assertThat(t.typingRefresh()).hasSeconds(20);
    assertThat(t.turns()).isEqualTo(new Tuning.Queue(512, java.time.Duration.ofSeconds(20),
        java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5)));
    assertThat(t.sends()).isEqualTo(t.turns().withInFlight(256));
    assertThat(t.storage()).isEqualTo(new Tuning.Storage(
        Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8), 16, 8, 512, 256));
    assertThat(t.housekeeping()).isEqualTo(new Tuning.Housekeeping(java.time.Duration.ofMinutes(10),
        java.time.Duration.ofSeconds(10)));
    assertThat(t.graph()).isEqualTo(new Tuning.Graph(java.time.Duration.ofSeconds(20),
        java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(120), java.time.Duration.ofSeconds(10)));
    assertThat(t.mediaFetchTimeout()).hasSeconds(60);
  }

  @Test
  void aTuningThatCannotWorkIsRefused() {
    assertThatThrownBy(() -> new Tuning.Limit(0, java.time.Duration.ofSeconds(10)))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new Tuning.Cache(java.time.Duration.ZERO, 10)).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> Tuning.DEFAULTS.turns().withInFlight(0)).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new Tuning.Queue(1, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5),
        java.time.Duration.ofSeconds(5))).hasMessageContaining("renewed more often");
    assertThatThrownBy(() -> new Tuning.Storage(4, 16, 1, 512, 256)).hasMessageContaining("sqliteConnections");
  }

  @Test
  void secretBoxRoundTripsAndRefusesAnotherKey() {
    SecretBox a = SecretBox.of(new byte[32]);
    byte[] other = new byte[32];
    other[0] = 1;
    String sealed = a.encrypt("EAAG-token");
    assertThat(sealed).doesNotContain("EAAG");
    assertThat(a.decrypt(sealed)).isEqualTo("EAAG-token");
    assertThatThrownBy(() -> SecretBox.of(other).decrypt(sealed)).hasMessageContaining("WABRIDGE_SECRET_KEY");
  }
}
