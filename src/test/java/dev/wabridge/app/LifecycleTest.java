package dev.wabridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  final List<String> events = new ArrayList<>();
  final Lifecycle lifecycle = new Lifecycle();

  private void part(String name) {
    lifecycle.manage(name, name, () -> events.add("start " + name), () -> events.add("stop " + name));
  }

  private void resource(String name) {
    lifecycle.closeAtEnd(name, () -> events.add("close " + name));
  }

  @Test
  void startsInTheOrderBuiltAndStopsInReverse() {
    resource("database");
    part("worker");
    resource("client");
    part("http");
    lifecycle.start();
    lifecycle.close();
    lifecycle.close();
    assertThat(events).containsExactly("start worker", "start http", "stop http", "close client", "stop worker",
        "close database");
  }

  @Test
  void afterAFailedStartWhatNeverStartedIsNotStoppedAndTheRestIs() {
    resource("database");
    part("worker");
    lifecycle.manage("http", "http", () -> {
      throw new IllegalStateException("port in use");
    }, () -> events.add("stop http"));
    part("late");
    assertThatThrownBy(lifecycle::start).hasMessage("port in use");
    lifecycle.close();
    assertThat(events).containsExactly("start worker", "stop worker", "close database");
  }

  @Test
  void aPartThatFailsToStopDoesNotKeepTheOthersRunning() {
    resource("database");
    lifecycle.manage("worker", "worker", () -> { }, () -> {
      throw new IllegalStateException("stuck");
    });
    part("http");
    lifecycle.start();
    lifecycle.close();
    assertThat(events).containsExactly("start http", "stop http", "close database");
  }
}
