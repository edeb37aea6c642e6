package dev.wabridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Fault plans fail the share of sends they are set to, with Meta's status and title for the code. */
class FaultsTest {
  @Test
  void theRateDecidesWhichSendsFail() {
    AtomicReference<Double> next = new AtomicReference<>(0.2);
    Faults faults = new Faults(next::get);
    assertThat(faults.roll()).isEmpty();
    faults.set(new Faults.Plan(131056, 0.5, 0));
    assertThat(faults.roll()).hasValueSatisfying(e -> {
      assertThat(e.httpStatus()).isEqualTo(400);
      assertThat(e.body().get("error").get("message").asString())
          .isEqualTo("(#131056) (Business Account, Consumer Account) pair rate limit hit");
    });
    next.set(0.7);
    assertThat(faults.roll()).isEmpty();
    faults.clear();
    next.set(0.0);
    assertThat(faults.roll()).isEmpty();
  }

  @Test
  void metaStatusesFollowTheCode() {
    assertThat(MetaError.of(80007).orElseThrow().httpStatus()).isEqualTo(429);
    assertThat(MetaError.of(4).orElseThrow().httpStatus()).isEqualTo(429);
    assertThat(MetaError.of(131047).orElseThrow().httpStatus()).isEqualTo(400);
    assertThat(MetaError.of(131000).orElseThrow().httpStatus()).isEqualTo(500);
    assertThat(MetaError.of(2).orElseThrow().httpStatus()).isEqualTo(500);
    assertThat(MetaError.badToken().httpStatus()).isEqualTo(401);
    assertThat(MetaError.badToken().body().get("error").has("error_data")).isFalse();
    assertThat(MetaError.of(130429).orElseThrow().body().get("error").get("is_transient").asBoolean()).isTrue();
  }
}
