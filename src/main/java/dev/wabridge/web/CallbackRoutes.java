package dev.wabridge.web;

import dev.wabridge.outbound.ReplySubmission;
import dev.wabridge.reply.CallbackTokens;
import dev.wabridge.reply.TextFormat;
import dev.wabridge.web.Api;
import dev.wabridge.web.ApiException;
import dev.wabridge.auth.KeyRateLimiter;
import dev.wabridge.conversation.Author;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.ConversationStore;
import dev.wabridge.conversation.Message;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.function.Function;

/**
 * {@code POST /api/callback/{token}}: an agent's later replies. The token is the credential; it is valid for
 * 24 hours from the customer's message it belongs to, any number of times, within a rate limit per conversation
 * (every token of a conversation shares it). A token whose MAC is wrong is refused without a database read.
 */
public final class CallbackRoutes {
  private final CallbackTokens tokens;
  private final ConversationStore conversations;
  private final ReplySubmission submissions;
  private final Runnable wakeSender;
  private final KeyRateLimiter limiter;
  private final InstantSource clock;
  private final Function<String, TextFormat> agentFormat;

  /** @param agentFormat how the agent with this id writes its text (auto when it is gone) */
  public CallbackRoutes(CallbackTokens tokens, ConversationStore conversations, ReplySubmission submissions,
                        Runnable wakeSender, KeyRateLimiter limiter, InstantSource clock,
                        Function<String, TextFormat> agentFormat) {
    this.agentFormat = agentFormat;
    this.tokens = tokens;
    this.limiter = limiter;
    this.conversations = conversations;
    this.submissions = submissions;
    this.wakeSender = wakeSender;
    this.clock = clock;
  }

  public void register(RoutesConfig r) {
    r.post("/api/callback/{token}", this::callback);
  }

  private void callback(Context ctx) {
    String token = ctx.pathParam("token");
    Message m = tokens.messageIdOf(token).flatMap(conversations::message)
        .orElseThrow(() -> new ApiException(404, "unknown_callback", "this reply_callback URL is not valid; use the "
            + "reply_callback field of the webhook call exactly as given"));
    long wait = limiter.acquire(m.conversationId());
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
      throw new ApiException(429, "rate_limited", "too many reply_callback requests for this conversation; retry "
          + "after " + wait + " s");
    }
    if (clock.millis() >= m.createdAt() + CallbackTokens.VALIDITY_MILLIS) {
      throw new ApiException(410, "callback_expired", "this reply_callback expired 24 hours after the customer's "
          + "message; wait for the customer to write again");
    }
    Conversation c = conversations.byId(m.conversationId())
        .orElseThrow(() -> new ApiException(404, "unknown_callback", "the conversation of this callback was deleted"));
    var key = ReplySubmission.IdempotencyKey.of("callback:" + m.id(), ctx.header("Idempotency-Key"));
    var queued = submissions.submit(c, Author.AGENT, ctx.contentType(), ctx.bodyAsBytes(), agentFormat.apply(c.agentId()),
            m.wamid(), key);
    wakeSender.run();
    Api.json(ctx, 202, ReplySubmission.view(queued));
  }
}
