-- A host's lock: while set, everyone without a role on the room knocks, whatever its access level.
-- Stored, not held in memory, so a restart in the middle of a meeting does not reopen its door.
ALTER TABLE rooms ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;
