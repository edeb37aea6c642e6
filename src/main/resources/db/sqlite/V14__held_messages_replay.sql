-- Keep in step with the other dialect's V14.
-- A conversation is unique per agent, number and customer: a conversation without an agent (agent_id '') belongs to
-- the number the customer wrote to, so the same customer writing to two numbers that no agent answers (in two
-- workspaces, say) has two conversations, each adopted by the agent later deployed on its number. (An agent moved to
-- another number also starts new conversations there, so that its replies leave from the number the customer wrote to.)
CREATE TABLE conversations_v14 (
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
INSERT INTO conversations_v14(id, workspace_id, agent_id, number_id, customer_key, phone_number, user_id, username,
    group_id, customer_name, last_inbound_at, last_message_at, handoff, away_sent_at, created_at)
  SELECT id, workspace_id, agent_id, number_id, customer_key, phone_number, user_id, username, group_id,
    customer_name, last_inbound_at, last_message_at, handoff, away_sent_at, created_at FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_v14 RENAME TO conversations;
CREATE INDEX conversations_workspace ON conversations(workspace_id, last_message_at);
CREATE INDEX conversations_phone ON conversations(agent_id, phone_number);
CREATE INDEX conversations_user ON conversations(workspace_id, user_id);
CREATE INDEX conversations_number ON conversations(number_id, agent_id);

-- Held messages still young enough to be replayed, found without reading the ones that stay unanswered for good.
CREATE INDEX messages_held_since ON messages(created_at) WHERE held IS NOT NULL;

-- A turn that replays a held message (the agent payload says "replayed": true).
ALTER TABLE turns ADD COLUMN replayed INTEGER NOT NULL DEFAULT 0;
