-- Keep in step with the other dialect's V16.
-- Each send names its workspace, so that the queue quota counts a workspace's sends in the outbox alone (the outbound
-- package owns the table) instead of joining the conversations. Every insert writes it; SQLite adds a NOT NULL
-- column only with a default, and a row whose conversation is gone (none should be) gets the empty one.
ALTER TABLE outbox ADD COLUMN workspace_id TEXT NOT NULL DEFAULT '';
UPDATE outbox SET workspace_id = COALESCE(
  (SELECT c.workspace_id FROM conversations c WHERE c.id = outbox.conversation_id), '');
-- No index: the count reads the whole queue (short: what waits to be sent) at most once a second, as the join did,
-- while an index would cost every send's insert and delete.
