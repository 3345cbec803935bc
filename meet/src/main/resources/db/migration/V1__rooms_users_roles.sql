-- Rooms, the users who signed in, and their roles on rooms. One dialect for PostgreSQL and for
-- H2 in PostgreSQL mode. Lengths and value lists repeat the model's checks (eu.visio.meet.room),
-- so a row written by anything else is held to the same rules.

CREATE TABLE users (
  id         UUID PRIMARY KEY,
  -- OpenID Connect identity: a subject is unique only within its issuer.
  issuer     VARCHAR(255) NOT NULL,
  subject    VARCHAR(255) NOT NULL,
  email      VARCHAR(254) NOT NULL,
  full_name  VARCHAR(500) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT users_identity_unique UNIQUE (issuer, subject)
);

CREATE TABLE rooms (
  id                          UUID PRIMARY KEY,
  code                        VARCHAR(12) NOT NULL,
  name                        VARCHAR(500) NOT NULL,
  kind                        VARCHAR(16) NOT NULL,
  access_level                VARCHAR(16) NOT NULL,
  -- RoomSettings: what participants may publish, muting, the cap.
  publish_camera              BOOLEAN NOT NULL,
  publish_microphone          BOOLEAN NOT NULL,
  publish_screen_share        BOOLEAN NOT NULL,
  publish_screen_share_audio  BOOLEAN NOT NULL,
  everyone_can_mute           BOOLEAN NOT NULL,
  max_participants            INTEGER NOT NULL,
  created_at                  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at                  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT rooms_code_unique UNIQUE (code),
  CONSTRAINT rooms_kind_check CHECK (kind IN ('instant', 'permanent')),
  CONSTRAINT rooms_access_level_check CHECK (access_level IN ('public', 'trusted', 'restricted')),
  CONSTRAINT rooms_max_participants_check CHECK (max_participants BETWEEN 2 AND 1000)
);

CREATE TABLE room_roles (
  -- Deleting a room takes its roles; a user with roles cannot be deleted (rooms would lose owners).
  room_id    UUID NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id    UUID NOT NULL REFERENCES users (id),
  role       VARCHAR(16) NOT NULL,
  granted_at TIMESTAMP WITH TIME ZONE NOT NULL,
  -- One role per user per room.
  PRIMARY KEY (room_id, user_id),
  CONSTRAINT room_roles_role_check CHECK (role IN ('owner', 'administrator', 'member'))
);

-- "My rooms": a user's roles, owners first.
CREATE INDEX room_roles_user ON room_roles (user_id, role);
