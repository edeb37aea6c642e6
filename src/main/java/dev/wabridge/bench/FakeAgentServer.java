package dev.wabridge.bench;

import dev.wabridge.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's agent, in its own process: answers at once with {@code re: <message> @<received>,<answered>}
 * (epoch microseconds), so that the agent's own time can be taken out of wabridge's.
 */
@Command(name = "bench-agent", hidden = true, description = "The benchmark's fake agent.")
public final class FakeAgentServer implements Runnable {
  @Option(names = "--port", required = true)
  int port;

  @Override
  public void run() {
    try {
      BenchHttp.server(port, (ex, body) -> {
        long received = BenchHttp.nowMicros();
        String message = Json.text(Json.parse(body), "message");
        String reply = "{\"type\":\"message\",\"content\":\"re: " + message + " @" + received + ","
            + BenchHttp.nowMicros() + "\"}";
        ex.respond(200, "application/json", reply.getBytes(StandardCharsets.UTF_8));
      });
      System.out.println("ready");
      new CountDownLatch(1).await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
