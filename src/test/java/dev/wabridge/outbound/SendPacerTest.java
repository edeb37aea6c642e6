package dev.wabridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wabridge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SendPacerTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  final SendPacer pacer = new SendPacer(clock);

  @Test
  void aNumberSendsAtItsThroughputAndNoFaster() {
    int allowed = 0;
    for (int i = 0; i < 200; i++) {
      if (pacer.reserve("num_1", 80, "+1555" + i) == 0) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(80);
    assertThat(pacer.reserve("num_1", 80, "+1999")).isBetween(1L, 13L);
    clock.advance(Duration.ofMillis(500));
    allowed = 0;
    for (int i = 0; i < 100; i++) {
      if (pacer.reserve("num_1", 80, "+1666" + i) == 0) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(40);
  }

  @Test
  void numbersHaveSeparateBudgets() {
    for (int i = 0; i < 80; i++) {
      pacer.reserve("num_1", 80, "+1" + i);
    }
    assertThat(pacer.reserve("num_2", 80, "+1")).isZero();
  }

  @Test
  void aCustomerGetsABurstOf45ThenOneEverySixSeconds() {
    for (int i = 0; i < SendPacer.PAIR_BURST; i++) {
      assertThat(pacer.reserve("num_1", 1000, "+15550001")).as("burst message %d", i).isZero();
      clock.advance(Duration.ofMillis(1));
    }
    long wait = pacer.reserve("num_1", 1000, "+15550001");
    assertThat(wait).isBetween(5_900L, 6_000L);
    assertThat(pacer.reserve("num_1", 1000, "+15550002")).isZero();
    clock.advance(Duration.ofMillis(wait));
    assertThat(pacer.reserve("num_1", 1000, "+15550001")).isZero();
    assertThat(pacer.reserve("num_1", 1000, "+15550001")).isGreaterThan(5_000L);
  }

  @Test
  void metasPairLimitEmptiesTheBurst() {
    assertThat(pacer.reserve("num_1", 80, "+1")).isZero();
    pacer.pairLimited("num_1", "+1");
    assertThat(pacer.reserve("num_1", 80, "+1")).isGreaterThan(5_000L);
  }

  @Test
  void idleCustomersAreForgotten() {
    for (int i = 0; i < 50; i++) {
      pacer.reserve("num_1", 1000, "+1" + i);
    }
    assertThat(pacer.trackedPairs()).isEqualTo(50);
    clock.advance(Duration.ofMinutes(10));
    pacer.reserve("num_1", 1000, "+2");
    assertThat(pacer.trackedPairs()).isEqualTo(1);
  }
}
