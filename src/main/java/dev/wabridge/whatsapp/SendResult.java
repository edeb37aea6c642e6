package dev.wabridge.whatsapp;

/** What became of one call to the Graph API. An error is a value here, not an exception. */
public sealed interface SendResult {
  record Accepted(String wamid) implements SendResult {
  }

  record Failed(GraphError error, boolean retryable) implements SendResult {
  }
}
