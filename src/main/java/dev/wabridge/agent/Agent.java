package dev.wabridge.agent;

import dev.wabridge.number.BusinessNumber;
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
    AgentStatus status,
    String numberId,
    String joinCode,
    int timeoutSeconds,
    String fallbackMessage,
    int debounceMs,
    TextFormat format,
    long createdAt,
    long updatedAt,
    boolean replayOnDeploy) {

  public boolean deployed() {
    return status == AgentStatus.DEPLOYED;
  }

  /**
   * Whether this agent answers its customers' messages on {@code number}: when deployed, or, as a draft, on the
   * shared test number, so that it can be tried before it is deployed.
   */
  public boolean answersOn(BusinessNumber number) {
    return answersOn(number.shared());
  }

  /** As {@link #answersOn(BusinessNumber)}, for a number known only as shared or not. */
  public boolean answersOn(boolean sharedNumber) {
    return deployed() || status == AgentStatus.DRAFT && sharedNumber;
  }

  @Override
  public String toString() {
    return "Agent[" + id + ", " + name + ", " + status.wire() + ", " + webhookUrl + "]";
  }
}
