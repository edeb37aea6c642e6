package dev.wabridge.outbound;

import dev.wabridge.reply.Draft;
import dev.wabridge.reply.ReplyParser;
import dev.wabridge.support.Json;
import dev.wabridge.support.Refused;
import dev.wabridge.auth.WorkspaceQuotas;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.MessageStatus;
import dev.wabridge.conversation.MessageWrites;
import dev.wabridge.reply.Draft.Outgoing;
import dev.wabridge.db.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * The caps on one reply body: at most {@link ReplyParser#MAX_MESSAGES} WhatsApp messages (each part of a text
 * split at 4096 characters counts), and the workspace's queue quota. A reply through the API is refused whole
 * (422 {@code too_many_messages}, 429 {@code queue_full}) with nothing queued. An agent's HTTP answer was already
 * accepted, so it is never dropped silently: its first messages go, and what did not go is a failed message of the
 * conversation that names the limit.
 */
public final class ReplyLimits {
  static final String TOO_MANY = "a reply may hold at most " + ReplyParser.MAX_MESSAGES + " WhatsApp messages (a text "
      + "longer than " + ReplyParser.TEXT_LIMIT + " characters counts once per " + ReplyParser.TEXT_LIMIT
      + "-character part)";

  private final WorkspaceQuotas quotas;
  private final MessageWrites messages = new MessageWrites();

  public ReplyLimits(WorkspaceQuotas quotas) {
    this.quotas = quotas;
  }

  /** A reply through the API or a reply_callback: refused whole when over a limit; else counted as queued. */
  public void check(String workspaceId, List<Draft> drafts) {
    if (drafts.size() > ReplyParser.MAX_MESSAGES) {
      throw new Refused(Refused.Reason.INVALID, "too_many_messages", TOO_MANY + "; nothing was queued: send the rest in another "
          + "request");
    }
    int sends = sends(drafts);
    if (quotas.queueFull(workspaceId, sends)) {
      throw quotas.queueFullError(workspaceId);
    }
    quotas.queued(workspaceId, sends);
  }

  /**
   * An agent's answer as it may go. {@code send} is queued as usual; {@code refused} (over the queue quota) and
   * the {@code dropped} tail are recorded by {@link #recordRefused}; {@code problem} is what the agent call log shows.
   */
  public record AgentReply(List<Draft> send, List<Draft> refused, boolean dropped, String problem) {
    /** The agent call's outcome: its reply broke the message cap, or it replied. */
    public String outcome() {
      return dropped ? "too_many_messages" : "replied";
    }
  }

  public AgentReply forAgent(String workspaceId, List<Draft> drafts) {
    boolean dropped = drafts.size() > ReplyParser.MAX_MESSAGES;
    List<Draft> kept = dropped ? drafts.subList(0, ReplyParser.MAX_MESSAGES) : drafts;
    String problem = dropped ? droppedMessage() : null;
    int sends = sends(kept);
    if (!quotas.queueFull(workspaceId, sends)) {
      quotas.queued(workspaceId, sends);
      return new AgentReply(kept, List.of(), dropped, problem);
    }
    // Invalid drafts still go through the queue, which records them as failed with their own reason.
    List<Draft> send = new ArrayList<>();
    List<Draft> refused = new ArrayList<>();
    for (Draft d : kept) {
      (d instanceof Outgoing ? refused : send).add(d);
    }
    String quota = quotas.queueFullMessage(workspaceId) + "; the agent's reply was not sent";
    return new AgentReply(send, refused, dropped, problem == null ? quota : problem + "; " + quota);
  }

  /** In the transaction that queues {@code r.send()}: what did not go, as failed messages of the conversation. */
  public void recordRefused(Sql.Later later, Conversation c, AgentReply r, long now) {
    if (!r.refused().isEmpty()) {
      String why = quotas.queueFullMessage(c.workspaceId()) + "; this message was not sent";
      for (Draft d : r.refused()) {
        Outgoing o = (Outgoing) d;
        messages.insertUnsentOutbound(later, c, Author.AGENT, o.type(), o.text(), Json.string(o.message()),
            MessageStatus.FAILED, "quota_exceeded", why, now);
      }
    }
    if (r.dropped()) {
      messages.insertUnsentOutbound(later, c, Author.AGENT, "text", null, null, MessageStatus.FAILED,
          "too_many_messages", droppedMessage(), now);
    }
  }

  private static String droppedMessage() {
    return "the agent's reply held more than " + ReplyParser.MAX_MESSAGES + " messages: the first "
        + ReplyParser.MAX_MESSAGES + " were queued and the rest dropped; " + TOO_MANY + ", so send more with the "
        + "reply_callback";
  }

  private static int sends(List<Draft> drafts) {
    int n = 0;
    for (Draft d : drafts) {
      if (d instanceof Outgoing) {
        n++;
      }
    }
    return n;
  }
}
