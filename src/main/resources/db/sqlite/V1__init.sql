-- Times are epoch milliseconds; JSON is stored as text. Keep in step with postgresql/V1__init.sql.
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  admin INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE numbers (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  phone_number_id TEXT NOT NULL UNIQUE,
  display_phone_number TEXT NOT NULL,
  waba_id TEXT,
  access_token_enc TEXT NOT NULL,
  app_secret_enc TEXT NOT NULL,
  verify_token_hash TEXT NOT NULL,
  throughput_mps INTEGER NOT NULL DEFAULT 80,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX numbers_verify_token ON numbers(verify_token_hash);

CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  webhook_url TEXT NOT NULL,
  webhook_secret_enc TEXT NOT NULL,
  status TEXT NOT NULL,
  number_id TEXT,
  join_code TEXT NOT NULL UNIQUE,
  timeout_seconds INTEGER NOT NULL,
  fallback_message TEXT,
  debounce_ms INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX agents_workspace ON agents(workspace_id, created_at);
CREATE INDEX agents_number ON agents(number_id, status);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  number_id TEXT NOT NULL,
  phone_number TEXT NOT NULL,
  customer_name TEXT,
  last_inbound_at BIGINT,
  last_message_at BIGINT NOT NULL,
  handoff INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (agent_id, phone_number)
);
CREATE INDEX conversations_workspace ON conversations(workspace_id, last_message_at);

CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  workspace_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  type TEXT NOT NULL,
  text TEXT,
  content TEXT,
  media TEXT,
  status TEXT NOT NULL,
  status_rank INTEGER NOT NULL,
  error_code TEXT,
  error_message TEXT,
  wamid TEXT UNIQUE,
  reply_to TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, seq);

-- Agent calls still to make: one row per inbound message; one running per conversation, oldest first.
CREATE TABLE turns (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before BIGINT NOT NULL,
  lease_until BIGINT,
  debounce_ms INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX turns_conversation ON turns(conversation_id, seq);
CREATE INDEX turns_state ON turns(state, not_before);

-- Sends still to make: one row per outbound message; one in flight per conversation, oldest first.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  number_id TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before BIGINT NOT NULL,
  lease_until BIGINT,
  deadline BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX outbox_conversation ON outbox(conversation_id, seq);
CREATE INDEX outbox_state ON outbox(state, not_before);

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (scope, idem_key)
);

-- Statuses that arrived before the send that produced their wamid was recorded.
CREATE TABLE early_statuses (
  wamid TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (wamid, status)
);
