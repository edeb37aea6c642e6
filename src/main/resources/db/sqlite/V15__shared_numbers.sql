-- A shared number is usable from every workspace (the sandbox's simulated number): it is marked by the plug-in that
-- owns it, so the core asks the number instead of knowing its id.
ALTER TABLE numbers ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
-- The sandbox's number of an existing install stays shared even while the sandbox is off, as it was when the core
-- knew it by its id.
UPDATE numbers SET shared = 1 WHERE id = 'num_sandbox';
