-- Keep in step with the other dialect's V14 (which explains the changes).

CREATE INDEX messages_held_since ON messages(created_at) WHERE held IS NOT NULL;

ALTER TABLE turns ADD COLUMN replayed INTEGER NOT NULL DEFAULT 0;
