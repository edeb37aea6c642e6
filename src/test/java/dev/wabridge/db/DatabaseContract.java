package dev.wabridge.db;

import dev.wabridge.config.Tuning;
import dev.wabridge.db.Database;
import dev.wabridge.agent.AgentCallLog;
import dev.wabridge.agent.AgentStore;
import dev.wabridge.agent.TurnQueue;
import dev.wabridge.config.SecretBox;
import dev.wabridge.conversation.ConversationMerges;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.ConversationWrites;
import dev.wabridge.conversation.InboundRecorder;
import dev.wabridge.conversation.MessageWrites;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A suite that runs on every database through a subclass: each test gets a fresh database (SQLite in a temporary
 * directory, or a new PostgreSQL database, skipped with a message where there is none), closed and dropped after.
 */
abstract class DatabaseContract {
  Database db;
  ConversationStore conversations;
  InboundRecorder recorder;
  /** Merges with the send queue, the turns and the call log following, as the application wires them. */
  ConversationMerges merges;
  final ConversationWrites conversationWrites = new ConversationWrites();
  final MessageWrites messageWrites = new MessageWrites();
  private String postgresUrl;

  /** Whether the subclass runs on PostgreSQL; else on SQLite. */
  abstract boolean postgres();

  @BeforeEach
  void openDatabase() {
    if (postgres()) {
      postgresUrl = TestDatabases.freshPostgres();
      db = Database.postgres(postgresUrl, TestDatabases.user(), null, Tuning.DEFAULTS.storage());
    } else {
      try {
        db = Database.sqlite(Files.createTempDirectory("wabridge-store").resolve("test.db"), Tuning.DEFAULTS.storage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    AgentStore agents = new AgentStore(db, SecretBox.of(new byte[32]), InstantSource.system(),
        dev.wabridge.config.Tuning.DEFAULTS.lookups());
    conversations = new ConversationStore(db, agents::exists);
    merges = new ConversationMerges(List.of(new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends()), new TurnQueue(db.dialect(), Tuning.DEFAULTS.turns()),
        new AgentCallLog(db)));
    recorder = new InboundRecorder(db.dialect(), merges);
  }

  @AfterEach
  void closeDatabase() {
    db.close();
    if (postgresUrl != null) {
      TestDatabases.drop(postgresUrl);
    }
  }
}
