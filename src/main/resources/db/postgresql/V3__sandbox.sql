-- The sandbox's simulated WhatsApp: customers' phones, what each phone shows, and the simulated media store.
-- Keep in step with sqlite/V3__sandbox.sql.
CREATE TABLE sandbox_phones (
  phone TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE sandbox_messages (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  wamid TEXT NOT NULL UNIQUE,
  phone TEXT NOT NULL,
  agent_id TEXT,
  direction TEXT NOT NULL,
  type TEXT NOT NULL,
  text TEXT,
  content TEXT NOT NULL,
  media_id TEXT,
  status TEXT NOT NULL,
  status_rank INTEGER NOT NULL,
  reaction TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sandbox_messages_phone ON sandbox_messages(phone, agent_id, seq);

CREATE TABLE sandbox_media (
  id TEXT PRIMARY KEY,
  mime_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  filename TEXT,
  bytes BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);
