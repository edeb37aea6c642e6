package dev.wabridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.number.BusinessNumber;
import dev.wabridge.reply.TextFormat;
import org.junit.jupiter.api.Test;

/** The status names are stored and shown in the API; who answers follows from the status and the number. */
class AgentStatusTest {
  private static final BusinessNumber OWN = number("num_1", false);
  private static final BusinessNumber SHARED = number("num_shared", true);

  @Test
  void namesOnTheWireAreUnchanged() {
    assertThat(AgentStatus.DRAFT.wire()).isEqualTo("draft");
    assertThat(AgentStatus.DEPLOYED.wire()).isEqualTo("deployed");
    assertThat(AgentStatus.PAUSED.wire()).isEqualTo("paused");
    for (AgentStatus s : AgentStatus.values()) {
      assertThat(AgentStatus.fromWire(s.wire())).isEqualTo(s);
    }
  }

  @Test
  void aDraftAnswersOnlyOnTheSharedTestNumber() {
    assertThat(agent(AgentStatus.DEPLOYED).answersOn(OWN)).isTrue();
    assertThat(agent(AgentStatus.DRAFT).answersOn(OWN)).isFalse();
    assertThat(agent(AgentStatus.DRAFT).answersOn(SHARED)).isTrue();
    assertThat(agent(AgentStatus.DRAFT).answersOn(SHARED.shared())).isTrue();
    assertThat(agent(AgentStatus.PAUSED).answersOn(SHARED)).isFalse();
    assertThat(agent(AgentStatus.PAUSED).answersOn(OWN.shared())).isFalse();
  }

  private static Agent agent(AgentStatus status) {
    return new Agent("agt_1", "default", "A", "https://agent.example/hook", "whsec_x", status, "num_1", "join", 30,
        null, 0, TextFormat.AUTO, 0, 0, true);
  }

  private static BusinessNumber number(String id, boolean shared) {
    return new BusinessNumber(id, "default", "pnid_" + id, "+1 555 0100", "waba", "token", "secret", 80, 0, 0, null,
        shared);
  }
}
