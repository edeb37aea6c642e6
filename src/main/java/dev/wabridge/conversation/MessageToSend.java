package dev.wabridge.conversation;

import dev.wabridge.whatsapp.Recipient;

/**
 * A queued message as its send needs it: its type and content, the customer (key and recipient), and the customer's
 * last message as last read (the window only grows, so a sender that finds it closed reads the row again). The
 * workspace and agent of the conversation decide where its media may be fetched from and, in the sandbox, whose chat
 * it lands in. A send started by the transaction that queued it carries this; one claimed from the queue reads it
 * ({@link ConversationStore#toSend}).
 */
public record MessageToSend(String type, String content, String customerKey, Recipient to, Long lastInboundAt,
                            String workspaceId, String agentId) {
  /** Without the message and the phone number: claims are logged. */
  @Override
  public String toString() {
    return "MessageToSend[" + type + "]";
  }
}
