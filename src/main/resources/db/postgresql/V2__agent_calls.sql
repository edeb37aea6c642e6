-- One row per attempt to call an agent, for the console's "recent calls" (status, latency, error).
CREATE TABLE agent_calls (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  latency_ms BIGINT NOT NULL,
  error_message TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX agent_calls_agent ON agent_calls(agent_id, seq);
