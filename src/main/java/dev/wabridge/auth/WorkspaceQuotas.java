package dev.wabridge.auth;

import dev.wabridge.support.Workspaces;

import dev.wabridge.support.Refused;
import dev.wabridge.config.Quotas;
import dev.wabridge.db.Database;

/**
 * Per-workspace quotas on numbers, agents and sends waiting in the queue ({@link Quotas}, from
 * {@code WABRIDGE_QUOTA_*}). The operator's {@code default} workspace has none. Numbers and agents are counted
 * exactly at each creation (two creations racing may both pass); the queue through {@link QueueDepth}, which
 * costs no database round trip per send.
 */
public final class WorkspaceQuotas {
  /** What a caller refused with {@code queue_full} is told to wait: about how long a busy queue takes to move. */
  public static final long RETRY_AFTER_SECONDS = 5;
  /** API keys per workspace other than {@code default}. */
  public static final int MAX_KEYS = 50;

  /** {@code queue_full}: too much of the workspace waits to be sent; retry after {@link #RETRY_AFTER_SECONDS}. */
  public static final class QueueFull extends Refused {
    QueueFull(String message) {
      super(Reason.BUSY, "queue_full", message, RETRY_AFTER_SECONDS);
    }
  }

  private final Quotas quotas;
  private final Database db;
  private final QueueDepth queued;

  public WorkspaceQuotas(Quotas quotas, Database db, QueueDepth queued) {
    this.quotas = quotas;
    this.db = db;
    this.queued = queued;
  }

  /** Throws 422 {@code quota_exceeded} when the workspace may not register another number. */
  public void checkNumbers(String workspaceId) {
    check(workspaceId, quotas.numbers(), "numbers", "WABRIDGE_QUOTA_NUMBERS", "delete a number you no longer use");
  }

  /** Throws 422 {@code quota_exceeded} when the workspace may not create another agent. */
  public void checkAgents(String workspaceId) {
    check(workspaceId, quotas.agents(), "agents", "WABRIDGE_QUOTA_AGENTS", "delete an agent you no longer use");
  }

  /**
   * Keys per workspace: a fixed cap, since each key has a rate limit of its own and a workspace must not multiply its
   * budget by minting keys. Throws 422 {@code quota_exceeded}.
   */
  public void checkKeys(String workspaceId) {
    if (exempt(workspaceId)) {
      return;
    }
    long count = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_keys WHERE workspace_id = :w")
        .bind("w", workspaceId).mapTo(Long.class).one());
    if (count >= MAX_KEYS) {
      throw new Refused(Refused.Reason.INVALID, "quota_exceeded", "this workspace has " + count + " API keys, the most a workspace "
          + "may have (" + MAX_KEYS + "); delete a key you no longer use (DELETE /api/keys/{id})");
    }
  }

  private void check(String workspaceId, int quota, String table, String variable, String remedy) {
    if (exempt(workspaceId) || quota == 0) {
      return;
    }
    long count = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE workspace_id = :w")
        .bind("w", workspaceId).mapTo(Long.class).one());
    if (Quotas.reached(quota, count)) {
      throw new Refused(Refused.Reason.INVALID, "quota_exceeded", "this workspace has " + count + " " + table + " and its quota is "
          + quota + " (" + variable + "); " + remedy + ", or ask the operator to raise " + variable);
    }
  }

  /** Whether queueing {@code adding} more sends would take the workspace past its queue quota. */
  public boolean queueFull(String workspaceId, int adding) {
    if (exempt(workspaceId) || quotas.queuedMessages() == 0 || adding <= 0) {
      return false;
    }
    return queued.count(workspaceId) + adding > quotas.queuedMessages();
  }

  /** The refusal for a send that {@link #queueFull} refused, naming the quota. */
  public QueueFull queueFullError(String workspaceId) {
    return new QueueFull(queueFullMessage(workspaceId) + "; nothing was queued: retry after " + RETRY_AFTER_SECONDS
        + " s, once sends have left the queue");
  }

  /** Why a send over the queue quota was refused, for the API and the conversation's history alike. */
  public String queueFullMessage(String workspaceId) {
    return "this workspace has about " + queued.count(workspaceId) + " messages waiting to be sent and its quota is "
        + quotas.queuedMessages() + " (WABRIDGE_QUOTA_QUEUED_MESSAGES)";
  }

  /** This node queued {@code n} sends for the workspace (counted until the next look at the queue). */
  public void queued(String workspaceId, int n) {
    if (!exempt(workspaceId) && quotas.queuedMessages() != 0) {
      queued.added(workspaceId, n);
    }
  }

  private static boolean exempt(String workspaceId) {
    return Workspaces.isDefault(workspaceId);
  }
}
