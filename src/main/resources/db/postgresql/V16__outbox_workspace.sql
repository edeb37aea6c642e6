-- Keep in step with the other dialect's V16 (which explains the change). Here the column has no default: every
-- insert must name the workspace.
ALTER TABLE outbox ADD COLUMN workspace_id TEXT;
UPDATE outbox SET workspace_id = COALESCE(
  (SELECT c.workspace_id FROM conversations c WHERE c.id = outbox.conversation_id), '');
ALTER TABLE outbox ALTER COLUMN workspace_id SET NOT NULL;
