-- Sign-in sessions (eu.visio.meet.identity.Sessions), kept here so that a restart signs nobody out
-- and several servers on one database share them. V3: V2 belongs to another change.
--
-- The key is the SHA-256 of the session id the cookie carries, never the id: whoever reads this
-- table (a backup, a replica) cannot present anyone's cookie. The CSRF token is kept as it is: a
-- write's header must be compared with it, and it is worth nothing without the cookie.
-- The principal is spelled out in columns, an identity's or a guest's, each set complete and the
-- other empty; lengths are those of users (identities) and of eu.visio.meet.identity.Guest.

CREATE TABLE sessions (
  id_digest    VARCHAR(43) PRIMARY KEY,
  kind         VARCHAR(8) NOT NULL,
  -- kind 'identity': the provider's account and what it said at sign-in.
  issuer       VARCHAR(255),
  subject      VARCHAR(255),
  email        VARCHAR(254),
  full_name    VARCHAR(500),
  -- kind 'guest': the random guest id and the chosen name (64 code points at most).
  guest_id     VARCHAR(64),
  display_name VARCHAR(256),
  csrf_token   VARCHAR(43) NOT NULL,
  -- An OpenID sign-in's ID token, for logout at the provider (IdTokenCheck takes 32 KiB at most).
  id_token     VARCHAR(32768),
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT sessions_kind_check CHECK (kind IN ('identity', 'guest')),
  CONSTRAINT sessions_principal_check CHECK (
    (kind = 'identity'
      AND issuer IS NOT NULL AND subject IS NOT NULL AND email IS NOT NULL
      AND full_name IS NOT NULL AND guest_id IS NULL AND display_name IS NULL)
    OR (kind = 'guest'
      AND guest_id IS NOT NULL AND display_name IS NOT NULL AND issuer IS NULL
      AND subject IS NULL AND email IS NULL AND full_name IS NULL)),
  CONSTRAINT sessions_lifetime_check CHECK (expires_at > created_at)
);

-- Sweeping the expired, and dropping the oldest past the capacity (one lifetime for all sessions,
-- so the first to expire are the oldest).
CREATE INDEX sessions_expires ON sessions (expires_at);
