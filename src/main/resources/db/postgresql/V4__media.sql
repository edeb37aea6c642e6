-- Media we host: customers' media downloaded from Meta (served to agents by signed link). Bytes live in
-- WABRIDGE_DATA_DIR/media; this row says what they are.
CREATE TABLE media (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  filename TEXT,
  created_at BIGINT NOT NULL
);

-- Media ids Meta gave us for files we uploaded, so the same file (by URL for a day, by content for 29 days)
-- is not uploaded twice.
CREATE TABLE media_uploads (
  number_id TEXT NOT NULL,
  source_key TEXT NOT NULL,
  media_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (number_id, source_key)
);
