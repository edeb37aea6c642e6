-- Console and sandbox sign-ins (POST /api/session). The browser holds a random 256-bit token in an HttpOnly cookie;
-- only its HMAC under the server secret is kept here, so this table signs nobody in. The caller is re-derived from
-- key_id on every request: deleting the key ends its sessions at once. A session expires 12 h after its last use
-- and 7 days after sign-in at the latest (expires_at is the earlier of the two).
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_expires_at ON sessions(expires_at);
CREATE INDEX sessions_key_id ON sessions(key_id);
