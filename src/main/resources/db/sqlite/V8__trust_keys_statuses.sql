-- Keep in step with the other dialect's V8.
-- API keys: only a short display prefix of generated keys is kept ('wab_' and 4 characters); none for the admin key,
-- which may have come from WABRIDGE_ADMIN_KEY (an empty prefix stands for none). Key hashes become HMAC-SHA-256
-- under the server secret as each key is next used (SQL cannot compute them).
UPDATE api_keys SET prefix = '' WHERE id = 'key_admin' OR substr(prefix, 1, 4) <> 'wab_' OR length(prefix) > 8;
