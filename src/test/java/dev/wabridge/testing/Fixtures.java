package dev.wabridge.testing;

import java.nio.file.Path;

/**
 * Meta's real webhook payloads kept in the repository ({@code src/test/resources/webhook-fixtures}, MIT, with their
 * licences), so the suites that read them run from a bare clone. The system property {@code wabridge.fixtures}
 * points them at another copy.
 */
public final class Fixtures {
  private Fixtures() {
  }

  /** The directory holding {@code pywa/} and {@code bindambc/}. */
  public static Path webhooks() {
    return Path.of(System.getProperty("wabridge.fixtures", "src/test/resources/webhook-fixtures"))
        .toAbsolutePath().normalize();
  }
}
