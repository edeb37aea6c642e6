package dev.wabridge.jmh;

import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentStatus;
import dev.wabridge.agent.AgentPayload;
import dev.wabridge.config.Tuning;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.Direction;
import dev.wabridge.conversation.Message;
import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.whatsapp.MetaSignature;
import dev.wabridge.whatsapp.WebhookEvent;
import dev.wabridge.whatsapp.WebhookParser;
import dev.wabridge.outbound.OutboundQueue;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.reply.TextSplitter;
import dev.wabridge.reply.WhatsAppFormatter;
import dev.wabridge.db.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot pieces on their own (issue 6): webhook parse + signature check, Markdown conversion + splitting, the
 * agent payload, and the send queue's claim. Run with {@code .ci/jmh} (see the README); not part of the tests.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HotPathBenchmarks {
  static final String SECRET = "bench-secret";
  byte[] webhook;
  String signature;
  String markdown;
  Agent agent;
  Conversation conversation;
  List<Message> answered;
  Database db;
  OutboundQueue queue;
  final WebhookParser parser = new WebhookParser();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    webhook = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":{"
        + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000000\","
        + "\"phone_number_id\":\"1065\"},\"contacts\":[{\"profile\":{\"name\":\"Kerry\"},\"wa_id\":\"15551234567\"}],"
        + "\"messages\":[{\"from\":\"15551234567\",\"id\":\"wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQUI\",\"timestamp\":"
        + "\"1764000000\",\"text\":{\"body\":\"Hello, I need help with my order #12345\"},\"type\":\"text\"}]},"
        + "\"field\":\"messages\"}]}]}").getBytes(StandardCharsets.UTF_8);
    signature = MetaSignature.sign(webhook, SECRET);
    StringBuilder md = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      md.append("## Step ").append(i).append("\n\nUse **bold** and _italic_ with `code` and a [link](https://ex.am/p/")
          .append(i).append(").\n\n- item one\n  - nested item\n\n```java\nint x = ").append(i).append(";\n```\n\n");
    }
    markdown = md.toString();
    agent = new Agent("agt_1", "default", "A", "https://agent.example/hook", "whsec_x", AgentStatus.DEPLOYED, "num_1",
        "join", 60, null, 0, TextFormat.AUTO, 0, 0, true);
    conversation = new Conversation("conv_1", "default", "agt_1", "num_1", "US.1349120865", "+15551234567",
        "US.1349120865", null, null, "Kerry", 1_764_000_000_000L, 1_764_000_000_000L, false, null, 0);
    answered = List.of(new Message(1, "msg_1", "default", "conv_1", Direction.INBOUND, "text", "Hello, my order",
        "{\"id\":\"wamid.X\",\"type\":\"text\",\"timestamp\":\"1764000000\",\"text\":{\"body\":\"Hello\"}}", null,
        MessageStatus.RECEIVED, null, null, "wamid.X", null, 0, 0, Author.CUSTOMER, null, null));

    db = Database.sqlite(Files.createTempDirectory("jmh").resolve("jmh.db"), Tuning.DEFAULTS.storage());
    queue = new OutboundQueue(db.dialect(), Tuning.DEFAULTS.sends());
    db.writer().execute(h -> {
      for (int i = 0; i < 10_000; i++) {
        h.execute("INSERT INTO outbox(message_id, conversation_id, number_id, state, attempts, not_before, deadline, "
            + "created_at) VALUES (?, ?, 'num_1', 'pending', 0, 0, 9999999999999, 0)", "msg_" + i, "conv_" + (i % 2000));
      }
      return null;
    });
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    db.close();
  }

  @Benchmark
  public boolean webhookParseAndSignatureCheck() {
    List<WebhookEvent> events = parser.parse(webhook);
    return MetaSignature.verify(webhook, signature, SECRET) && !events.isEmpty();
  }

  @Benchmark
  public int markdownToWhatsAppAndSplit() {
    return TextSplitter.split(WhatsAppFormatter.format(markdown, TextFormat.AUTO), 4096).size();
  }

  @Benchmark
  public byte[] agentPayload() {
    return AgentPayload.build(agent, conversation, answered, "https://wabridge.example/api/callback/t", id -> id);
  }

  /** Claims 100 conversation heads out of 10,000 queued sends (2,000 conversations), then gives them back. */
  @Benchmark
  public int queueClaimOf100() {
    return db.writer().execute(h -> {
      int n = queue.claim(h, 1, 2, 100).size();
      queue.releaseAll(h);
      return n;
    });
  }
}
