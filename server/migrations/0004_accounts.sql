-- Accounts (the accounts issue): the organisation unit tree, users, their roles, and bearer
-- tokens. Passwords are kept only as PBKDF2 hashes and tokens only as SHA-256 digests.
-- Statements are separated by semicolons at line ends; no semicolons inside statements.

-- code: ASCII, as documents name it in org_unit; parent_code '' for a root.
CREATE TABLE org_units (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  parent_code TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- failed_logins counts failures since the last success; locked_until is an RFC 3339 time or ''.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL,
  locked_until TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- unit_code: the unit a unit-bound role is held for, '' for the others.
CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users (id),
  role TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  PRIMARY KEY (user_id, role, unit_code)
);

-- kind: session (from a login) or api (for automated clients); revoked_at '' while valid.
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  digest TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL
);

CREATE INDEX tokens_by_user ON tokens (user_id);
