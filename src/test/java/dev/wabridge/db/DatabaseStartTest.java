package dev.wabridge.db;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wabridge.config.Tuning;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A database that cannot be used at start fails as a store exception naming what failed, in one line. */
class DatabaseStartTest {
  @Test
  void aFileThatIsNotADatabaseCannotBeOpened() throws Exception {
    Path file = Files.createTempDirectory("db-start").resolve("wabridge.db");
    Files.writeString(file, "not a database, but a file of text that is long enough to have a header page ".repeat(20));
    assertThatThrownBy(() -> Database.sqlite(file, Tuning.DEFAULTS.storage()).close())
        .isInstanceOf(StoreException.UnableToConnect.class)
        .hasMessage("SQLite database " + file + " cannot be opened: [SQLITE_NOTADB] File opened that is not a "
            + "database file (file is not a database)")
        .hasMessageNotContaining("\n");
  }
}
