package dev.wabridge.bench;

import dev.wabridge.app.Commands;
import java.util.List;

/** The benchmark's subcommands: {@code bench}, and the fake agent, fake Graph API and relay it starts as processes. */
public final class BenchCommands implements Commands {
  @Override
  public List<Object> commands() {
    return List.of(new BenchCommand(), new FakeAgentServer(), new FakeGraphServer(), new RelayServer());
  }
}
