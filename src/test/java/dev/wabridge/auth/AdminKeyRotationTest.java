package dev.wabridge.auth;

import dev.wabridge.config.Tuning;
import dev.wabridge.auth.ApiKeyStore;
import dev.wabridge.auth.SessionStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.config.SecretBox;
import dev.wabridge.db.Database;
import dev.wabridge.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md tells an operator whose admin key leaked to restart with a new {@code WABRIDGE_ADMIN_KEY}: whoever
 * signed in with the old one must be signed out by that too (the key row keeps its id, {@code key_admin}).
 */
class AdminKeyRotationTest {
  private static final String OLD = "wab_old_admin_key_0123456789";
  private static final String NEW = "wab_new_admin_key_9876543210";

  @Test
  void aNewAdminKeyEndsTheOldKeysSessionsAndTheSameKeyKeepsThem() throws Exception {
    Path dir = Files.createTempDirectory("rotation");
    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    SecretBox secrets = SecretBox.of(new byte[32]);
    try (Database db = Database.sqlite(dir.resolve("wabridge.db"), Tuning.DEFAULTS.storage())) {
      ApiKeyStore keys = new ApiKeyStore(db, secrets, clock, Tuning.DEFAULTS.lookups());
      SessionStore sessions = new SessionStore(db, secrets, clock, Tuning.DEFAULTS.sessionIdle(),
          Tuning.DEFAULTS.sessionMax());
      keys.bootstrap(Optional.of(OLD));
      String kept = sessions.create(ApiKeyStore.ADMIN_KEY_ID).token();

      keys.bootstrap(Optional.of(OLD)); // an ordinary restart
      assertThat(sessions.find(kept)).as("a restart with the same key").isPresent();

      keys.bootstrap(Optional.of(NEW)); // the rotation
      assertThat(sessions.find(kept)).as("a session made with the replaced key").isEmpty();
      assertThat(keys.authenticate(OLD)).isEmpty();
      assertThat(keys.authenticate(NEW)).map(ApiKeyStore.Principal::admin).contains(true);
    }
  }
}
