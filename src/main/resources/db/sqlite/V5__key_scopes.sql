-- What each API key may do: read < send < full < admin (the bootstrap key). Keys made before scopes were full.
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';
UPDATE api_keys SET scope = 'admin' WHERE admin = 1;
