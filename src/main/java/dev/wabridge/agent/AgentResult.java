package dev.wabridge.agent;

/** What one call to an agent's webhook gave. */
public sealed interface AgentResult {
  /** The agent answered 2xx. */
  record Replied(int status, String contentType, byte[] body, long millis) implements AgentResult {
  }

  /**
   * The call failed. {@code retryable}: a refused connection or 502/503/504 (the agent is not there right now);
   * a timeout is not retried, the agent may still be working and can use reply_callback.
   */
  record Failed(String code, String message, boolean retryable, long millis) implements AgentResult {
  }
}
