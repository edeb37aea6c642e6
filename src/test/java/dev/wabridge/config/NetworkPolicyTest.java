package dev.wabridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.agent.Agent;
import dev.wabridge.agent.AgentClient;
import dev.wabridge.agent.AgentResult;
import java.net.URI;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** WABRIDGE_BLOCK_PRIVATE_NETWORKS: loopback, private, link-local and unique-local targets are refused. */
class NetworkPolicyTest {
  final NetworkPolicy blocking = new NetworkPolicy(true);

  @Test
  void privateTargetsAreRefusedWhenBlocking() {
    for (String url : new String[] {"http://127.0.0.1:8000/hook", "http://10.1.2.3/", "http://192.168.1.5/",
        "http://172.16.0.9/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00::1]/",
        "http://0.0.0.0/"}) {
      assertThat(blocking.refusal(URI.create(url))).as(url).contains("WABRIDGE_BLOCK_PRIVATE_NETWORKS");
    }
  }

  @Test
  void publicTargetsPassAndNothingIsRefusedWhenOff() {
    assertThat(blocking.refusal(URI.create("https://8.8.8.8/hook"))).isNull();
    assertThat(NetworkPolicy.open().refusal(URI.create("http://127.0.0.1/"))).isNull();
  }

  @Test
  void anAgentOnAPrivateAddressIsNotCalled() {
    Agent agent = new Agent("agt_1", "default", "A", "http://127.0.0.1:9/hook", "whsec_x", Agent.DEPLOYED, "num_1",
        "join", 5, null, 0, 0, 0);
    AgentResult r = new AgentClient(InstantSource.system(), "test", blocking).call(agent, "dlv_1", new byte[0]);
    assertThat(r).isInstanceOfSatisfying(AgentResult.Failed.class, f -> {
      assertThat(f.code()).isEqualTo("agent_url_refused");
      assertThat(f.retryable()).isFalse();
    });
  }
}
