package dev.wabridge.auth;

/** How many sends a workspace has waiting, as the queue's owner counts them (the quota only reads it). */
public interface QueueDepth {
  /** About how many sends the workspace has waiting. */
  long count(String workspaceId);

  /** This node just queued {@code n} more for the workspace. */
  void added(String workspaceId, int n);
}
