-- Keep in step with the other dialect's V11 (which explains the columns).
ALTER TABLE conversations DROP CONSTRAINT conversations_agent_id_phone_number_key;
ALTER TABLE conversations ADD COLUMN customer_key TEXT;
UPDATE conversations SET customer_key = phone_number;
ALTER TABLE conversations ALTER COLUMN customer_key SET NOT NULL;
ALTER TABLE conversations ALTER COLUMN phone_number DROP NOT NULL;
ALTER TABLE conversations ADD COLUMN user_id TEXT;
ALTER TABLE conversations ADD COLUMN username TEXT;
ALTER TABLE conversations ADD COLUMN group_id TEXT;
ALTER TABLE conversations ADD COLUMN away_sent_at BIGINT;
UPDATE conversations SET user_id = phone_number, phone_number = NULL
  WHERE substr(phone_number, 1, 1) <> '+' AND phone_number <> 'unknown';
UPDATE conversations SET phone_number = NULL WHERE phone_number = 'unknown';
ALTER TABLE conversations ADD CONSTRAINT conversations_agent_number_customer UNIQUE (agent_id, number_id, customer_key);
CREATE INDEX conversations_phone ON conversations(agent_id, phone_number);
CREATE INDEX conversations_user ON conversations(workspace_id, user_id);
CREATE INDEX conversations_customer ON conversations(number_id, customer_key);

ALTER TABLE messages ADD COLUMN author TEXT NOT NULL DEFAULT 'agent';
UPDATE messages SET author = 'customer' WHERE direction = 'inbound';
ALTER TABLE messages ADD COLUMN held TEXT;
ALTER TABLE messages ADD COLUMN sender TEXT;
CREATE INDEX messages_held ON messages(conversation_id, seq) WHERE held IS NOT NULL;

ALTER TABLE agents ADD COLUMN replay_on_deploy INTEGER NOT NULL DEFAULT 1;
ALTER TABLE numbers ADD COLUMN away_message TEXT;
