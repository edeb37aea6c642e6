package dev.wabridge.agent;

import dev.wabridge.reply.TextFormat;

/**
 * A customer's agent behind a webhook ("bring your own agent"). The secret never appears in toString.
 * {@code format} is how its text replies are read (Markdown, WhatsApp's own, or auto); {@code replayOnDeploy}:
 * whether messages that waited for it (held while it was paused or missing) go to it, in order, when it is deployed
 * or resumed, if the customer wrote them within the last 24 hours.
 */
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
    long updatedAt,
    boolean replayOnDeploy) {


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
