package dev.wabridge.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The store contract on SQLite (WAL). */
class SqliteStoreTest extends StoreContract {
  private Path dir;

  @Override
  Database open() {
    try {
      dir = Files.createTempDirectory("wabridge-store");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Database.sqlite(dir.resolve("test.db"));
  }

  @Override
  void cleanup() {
  }
}
