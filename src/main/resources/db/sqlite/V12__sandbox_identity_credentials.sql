-- Keep in step with postgresql/V12__sandbox_identity_credentials.sql.
-- Sandbox customers carry Meta's business-scoped user id (BSUID, e.g. US.13491208655302741918), derived once from
-- the workspace and the number under the server secret and kept, an optional username, and whether they withhold
-- their number (then webhooks carry only the BSUID, as Meta's do for such users). Rows from before get their
-- BSUID when wabridge next starts (SQL cannot compute the keyed hash).
ALTER TABLE sandbox_phones ADD COLUMN user_id TEXT;
ALTER TABLE sandbox_phones ADD COLUMN username TEXT;
ALTER TABLE sandbox_phones ADD COLUMN withhold_phone INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX sandbox_phones_user_id ON sandbox_phones(workspace_id, user_id);

-- Each workspace's access token for the simulated Graph API. The token is derived from the salt under the server
-- secret, so it can be shown again; only its HMAC is stored, to find the workspace a presented token belongs to.
CREATE TABLE sandbox_credentials (
  workspace_id TEXT PRIMARY KEY,
  salt TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
