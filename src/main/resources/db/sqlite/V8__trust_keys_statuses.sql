-- Keep in step with the other dialect's V8.
-- API keys: only a short display prefix of generated keys is kept ('wab_' and 4 characters); none for the admin key,
-- which may have come from WABRIDGE_ADMIN_KEY (an empty prefix stands for none). Key hashes become HMAC-SHA-256
-- under the server secret as each key is next used (SQL cannot compute them).
UPDATE api_keys SET prefix = '' WHERE id = 'key_admin' OR substr(prefix, 1, 4) <> 'wab_' OR length(prefix) > 8;

-- Statuses kept until their send is recorded carry the number the webhook named: a kept status applies only to a
-- message of that number. Rows kept before this change have no number ('') and are dropped without effect.
CREATE TABLE early_statuses_v8 (
  wamid TEXT NOT NULL,
  number_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (wamid, number_id, status)
);
INSERT INTO early_statuses_v8(wamid, status, error_code, error_message, received_at)
  SELECT wamid, status, error_code, error_message, received_at FROM early_statuses;
DROP TABLE early_statuses;
ALTER TABLE early_statuses_v8 RENAME TO early_statuses;
