package dev.wabridge.agent;

import dev.wabridge.reply.TextFormat;

/** A customer's agent behind a webhook ("bring your own agent"). The secret never appears in toString. */
public record Agent(
    String id,
    String workspaceId,
    String name,
    String webhookUrl,
    String webhookSecret,
    String status,
    String numberId,
    String joinCode,
    int timeoutSeconds,
    String fallbackMessage,
    int debounceMs,
    TextFormat format,
    long createdAt,
    long updatedAt) {

  public static final String DRAFT = "draft";
  public static final String DEPLOYED = "deployed";
  public static final String PAUSED = "paused";

  public boolean deployed() {
    return DEPLOYED.equals(status);
  }

  @Override
  public String toString() {
    return "Agent[" + id + ", " + name + ", " + status + ", " + webhookUrl + "]";
  }
}
