-- Keep in step with the other dialect's V11.
-- Customers are identified by Meta's business-scoped user id (user_id) when Meta sends one and by phone otherwise;
-- a group's messages share one conversation. customer_key is what makes a conversation unique for its agent:
-- 'group:<group id>', else the user_id, else '+<phone>'. phone_number is null while Meta withholds the phone.
-- agent_id is '' for a conversation on a number that no agent answers yet (its messages wait for the next deploy).
-- A conversation is unique per agent, number and customer: one without an agent belongs to the number the customer
-- wrote to, so the same customer writing to two numbers that no agent answers (in two workspaces, say) has two
-- conversations, each adopted by the agent later deployed on its number. (An agent moved to another number also
-- starts new conversations there, so that its replies leave from the number the customer wrote to.)
CREATE TABLE conversations_v11 (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  number_id TEXT NOT NULL,
  customer_key TEXT NOT NULL,
  phone_number TEXT,
  user_id TEXT,
  username TEXT,
  group_id TEXT,
  customer_name TEXT,
  last_inbound_at BIGINT,
  last_message_at BIGINT NOT NULL,
  handoff INTEGER NOT NULL DEFAULT 0,
  away_sent_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (agent_id, number_id, customer_key)
);
INSERT INTO conversations_v11(id, workspace_id, agent_id, number_id, customer_key, phone_number, user_id,
    customer_name, last_inbound_at, last_message_at, handoff, created_at)
  SELECT id, workspace_id, agent_id, number_id, phone_number,
    CASE WHEN substr(phone_number, 1, 1) = '+' THEN phone_number END,
    CASE WHEN substr(phone_number, 1, 1) <> '+' AND phone_number <> 'unknown' THEN phone_number END,
    customer_name, last_inbound_at, last_message_at, handoff, created_at FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_v11 RENAME TO conversations;
CREATE INDEX conversations_workspace ON conversations(workspace_id, last_message_at);
CREATE INDEX conversations_phone ON conversations(agent_id, phone_number);
CREATE INDEX conversations_user ON conversations(workspace_id, user_id);
CREATE INDEX conversations_customer ON conversations(number_id, customer_key);

-- Who wrote each message, and for a customer's message that no agent was called for, why it waits (no_agent,
-- agent_paused, handoff): such a message is "unanswered" until an agent is called for it. sender: a group member.
ALTER TABLE messages ADD COLUMN author TEXT NOT NULL DEFAULT 'agent';
UPDATE messages SET author = 'customer' WHERE direction = 'inbound';
ALTER TABLE messages ADD COLUMN held TEXT;
ALTER TABLE messages ADD COLUMN sender TEXT;
CREATE INDEX messages_held ON messages(conversation_id, seq) WHERE held IS NOT NULL;

ALTER TABLE agents ADD COLUMN replay_on_deploy INTEGER NOT NULL DEFAULT 1;
ALTER TABLE numbers ADD COLUMN away_message TEXT;
