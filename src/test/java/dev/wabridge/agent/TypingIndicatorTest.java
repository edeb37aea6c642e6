package dev.wabridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.config.Tuning;
import dev.wabridge.number.BusinessNumber;
import dev.wabridge.testing.Await;
import dev.wabridge.testing.FakeServer;
import dev.wabridge.testing.FakeServer.Response;
import dev.wabridge.whatsapp.GraphClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The typing indicator is refreshed before Meta drops it, and stops with the reply or at the timeout. The
 * refresh period is shortened here (production uses 20 s, inside Meta's 25 s).
 */
class TypingIndicatorTest {
  static final BusinessNumber NUMBER = new BusinessNumber("num_1", "default", "123", "+1", null, "tok", "secret", 80,
      0, 0);

  @Test
  void refreshesWhileTheAgentWorksAndStopsWithTheReply() {
    try (FakeServer graph = new FakeServer(r -> Response.json(200, "{\"success\":true}"));
         TypingIndicator typing = new TypingIndicator(new GraphClient(n -> graph.url() + "/v23.0", "test",
             Tuning.DEFAULTS.graph().call()),
             Duration.ofMillis(100))) {
      TypingIndicator.Shown shown = typing.show(NUMBER, "wamid.IN", 60_000);
      Await.until("three refreshes", Duration.ofSeconds(10), () -> graph.requests().size() >= 4);
      shown.stop();
      assertThat(typing.active()).isZero();
      int afterStop = graph.requests().size();
      quiet(300);
      assertThat(graph.requests().size()).isLessThanOrEqualTo(afterStop + 1);
      assertThat(graph.requests().getFirst().bodyText()).contains("\"typing_indicator\":{\"type\":\"text\"}")
          .contains("\"message_id\":\"wamid.IN\"");
    }
  }

  /** Real time on purpose: this is the scheduler under test, run with a 50–100 ms period instead of 20 s. */
  private static void quiet(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void stopsAtTheAgentsTimeout() {
    try (FakeServer graph = new FakeServer(r -> Response.json(200, "{\"success\":true}"));
         TypingIndicator typing = new TypingIndicator(new GraphClient(n -> graph.url() + "/v23.0", "test",
             Tuning.DEFAULTS.graph().call()),
             Duration.ofMillis(50))) {
      typing.show(NUMBER, "wamid.IN", 120);
      Await.until("the first mark-read", Duration.ofSeconds(5), () -> !graph.requests().isEmpty());
      Await.until("the indicator ends itself, nobody having stopped it", Duration.ofSeconds(5),
          () -> typing.active() == 0);
      quiet(200); // a refresh sent just before the end may still be arriving
      int settled = graph.requests().size();
      quiet(200);
      assertThat(graph.requests().size()).isEqualTo(settled).isBetween(1, 4);
    }
  }
}
