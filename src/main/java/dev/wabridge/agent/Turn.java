package dev.wabridge.agent;

import dev.wabridge.agent.TurnQueue.Claim;
import dev.wabridge.conversation.Conversation;
import dev.wabridge.conversation.Message;
import dev.wabridge.number.BusinessNumber;

/**
 * A claimed turn with what it was read with: the conversation as it was before the call, its agent and number, and
 * {@code message}, the last of the customer's messages it answers (whose wamid the reply quotes).
 */
record Turn(Claim claim, Conversation conversation, Agent agent, BusinessNumber number, Message message) {
}
