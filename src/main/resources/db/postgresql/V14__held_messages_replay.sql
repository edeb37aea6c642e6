-- Keep in step with the other dialect's V14 (which explains the changes).
ALTER TABLE conversations DROP CONSTRAINT conversations_agent_customer;
ALTER TABLE conversations ADD CONSTRAINT conversations_agent_number_customer UNIQUE (agent_id, number_id, customer_key);

CREATE INDEX messages_held_since ON messages(created_at) WHERE held IS NOT NULL;

ALTER TABLE turns ADD COLUMN replayed INTEGER NOT NULL DEFAULT 0;
