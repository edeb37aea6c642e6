-- Keep in step with the other dialect's V14.
-- Held messages still young enough to be replayed, found without reading the ones that stay unanswered for good.
CREATE INDEX messages_held_since ON messages(created_at) WHERE held IS NOT NULL;

-- A turn that replays a held message (the agent payload says "replayed": true).
ALTER TABLE turns ADD COLUMN replayed INTEGER NOT NULL DEFAULT 0;
