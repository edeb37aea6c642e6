-- Sandbox customers, chats and media belong to a workspace: two workspaces may use the same customer number without
-- seeing each other's chats, and a reply is filed under the agent that sent it. Existing rows take the workspace
-- of their agent (rows of deleted agents keep none and are no longer shown).
CREATE TABLE sandbox_phones_by_workspace (
  workspace_id TEXT NOT NULL,
  phone TEXT NOT NULL,
  name TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, phone)
);
INSERT INTO sandbox_phones_by_workspace(workspace_id, phone, name, agent_id, updated_at)
  SELECT a.workspace_id, p.phone, p.name, p.agent_id, p.updated_at FROM sandbox_phones p JOIN agents a ON a.id = p.agent_id;
DROP TABLE sandbox_phones;
ALTER TABLE sandbox_phones_by_workspace RENAME TO sandbox_phones;

ALTER TABLE sandbox_messages ADD COLUMN workspace_id TEXT;
UPDATE sandbox_messages SET workspace_id = (SELECT a.workspace_id FROM agents a WHERE a.id = sandbox_messages.agent_id);
DROP INDEX sandbox_messages_phone;
CREATE INDEX sandbox_messages_chat ON sandbox_messages(workspace_id, phone, agent_id, seq);

-- Whose media it is: the customer's workspace for their uploads, the sending agent's for the business's.
ALTER TABLE sandbox_media ADD COLUMN workspace_id TEXT;
