package dev.wabridge.conversation;

import org.jdbi.v3.core.Handle;

/**
 * A table of another package whose rows belong to a conversation: the send queue, the turns, the agent call log. When
 * a conversation merges into another ({@link ConversationMerges#adopt}), the table's owner moves its rows, so that the
 * conversation package runs no statement on a table it does not own.
 */
public interface ConversationFollower {
  /** Moves the rows of {@code from} to {@code into}, in the merge's transaction ({@code h}). */
  void move(Handle h, Conversation from, Conversation into);
}
