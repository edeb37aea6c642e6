package dev.wabridge.web;

import dev.wabridge.auth.Scope;
import dev.wabridge.web.ApiAuth;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each request needs of a key's scope: reads read, sending sends, everything else (and anything new) full. */
class ApiAuthTest {
  @Test
  void readsNeedRead() {
    for (String m : new String[] {"GET", "HEAD", "OPTIONS"}) {
      assertThat(ApiAuth.needed(m, "/api/conversations/conv_1/messages")).isEqualTo(Scope.READ);
    }
  }

  @Test
  void sendingAsTheBusinessNeedsSend() {
    assertThat(ApiAuth.needed("POST", "/api/conversations/conv_1/messages")).isEqualTo(Scope.SEND);
    assertThat(ApiAuth.needed("POST", "/sandbox/api/messages")).isEqualTo(Scope.SEND);
  }

  @Test
  void everyOtherChangeNeedsFull() {
    assertThat(ApiAuth.needed("POST", "/api/conversations/conv_1/handoff")).isEqualTo(Scope.FULL);
    assertThat(ApiAuth.needed("POST", "/api/conversations/conv_1/messages/x")).isEqualTo(Scope.FULL);
    assertThat(ApiAuth.needed("POST", "/api/conversations/a/b/messages")).isEqualTo(Scope.FULL);
    assertThat(ApiAuth.needed("PUT", "/api/conversations/conv_1/messages")).isEqualTo(Scope.FULL);
    assertThat(ApiAuth.needed("DELETE", "/api/keys/key_1")).isEqualTo(Scope.FULL);
    assertThat(ApiAuth.needed("PATCH", "/api/agents/agt_1")).isEqualTo(Scope.FULL);
    assertThat(ApiAuth.needed("POST", "/api/some-route-added-later")).isEqualTo(Scope.FULL);
    assertThat(ApiAuth.needed("POST", "/sandbox/api/demo-agent")).isEqualTo(Scope.FULL);
  }
}
