package dev.wabridge.agent;

import dev.wabridge.agent.AgentResult.Replied;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.db.Sql;
import dev.wabridge.outbound.ReplyLimits;
import dev.wabridge.reply.Draft;
import dev.wabridge.reply.ReplyParser;
import java.util.List;

/**
 * What an agent's answer becomes: its body read in the agent's format, capped by the message limit and the
 * workspace's queue quota; or, when the call failed, its fallback message.
 */
public final class AgentReplies {
  private final ReplyParser parser;
  private final ReplyLimits limits;

  public AgentReplies(ReplyParser parser, ReplyLimits limits) {
    this.parser = parser;
    this.limits = limits;
  }

  /**
   * The drafts to queue, and those the limits refused.
   *
   * @throws ReplyParser.UnreadableReplyException when the body is not a reply
   */
  ReplyLimits.AgentReply read(Agent a, Conversation c, Replied r) {
    List<Draft> drafts = parser.writtenIn(a.format()).parseResponse(r.status(), r.contentType(), r.body());
    return limits.forAgent(c.workspaceId(), drafts);
  }

  /** In the transaction that queues {@code r.send()}: what did not go, recorded on the conversation. */
  void recordRefused(Sql.Later later, Conversation c, ReplyLimits.AgentReply r, long now) {
    limits.recordRefused(later, c, r, now);
  }

  /** The agent's fallback message as drafts, or empty when it has none. */
  List<Draft> fallback(Agent a) {
    return a.fallbackMessage() == null || a.fallbackMessage().isBlank() ? List.of()
        : parser.textDrafts(a.fallbackMessage());
  }
}
