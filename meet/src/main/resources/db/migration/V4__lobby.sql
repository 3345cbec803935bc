-- The lobby (eu.visio.meet.lobby.Lobby through eu.visio.meet.store.JdbcLobbyStore), kept here so
-- that every node of a cluster sees the same knocks: a guest knocks through one node, a host admits
-- it through another. The rules (expiry, the per-room cap, lasting denials) are the Lobby's; these
-- tables only keep its state.
--
-- One row per room with knocks: its lock (SELECT ... FOR UPDATE) makes each change of the room's
-- lobby exclusive across nodes. It goes with the room's last knock.
CREATE TABLE lobby_doors (
  room VARCHAR(255) PRIMARY KEY
);

-- A knock and its decision. Participant: a user's id or a guest's (64 characters at most);
-- name: the display name it gave (eu.visio.meet.identity.Guest: 64 code points).
CREATE TABLE lobby_knocks (
  room          VARCHAR(255) NOT NULL REFERENCES lobby_doors (room) ON DELETE CASCADE,
  participant   VARCHAR(255) NOT NULL,
  name          VARCHAR(500) NOT NULL,
  authenticated BOOLEAN NOT NULL,
  knocked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  status        VARCHAR(8) NOT NULL,
  decided_at    TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (room, participant),
  CONSTRAINT lobby_knocks_status_check CHECK (
    (status = 'WAITING' AND decided_at IS NULL)
    OR (status IN ('ADMITTED', 'DENIED') AND decided_at IS NOT NULL))
);
