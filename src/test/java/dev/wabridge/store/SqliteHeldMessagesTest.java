package dev.wabridge.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The held-messages contract on SQLite. */
class SqliteHeldMessagesTest extends HeldMessagesContract {
  @Override
  Database open() {
    try {
      return Database.sqlite(Files.createTempDirectory("wabridge-held").resolve("test.db"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  void cleanup() {
  }
}
