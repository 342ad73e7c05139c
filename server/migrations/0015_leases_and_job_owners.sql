-- Several servers may share one PostgreSQL database. What only one of them may do at a time is
-- held as a lease that its holder renews and that another takes over once it has expired: the
-- search index writer ("search.writer"), and each running server ("server:<id>"), whose lease
-- says it is alive. A job belongs to the server that runs it (owner); the jobs of a server whose
-- lease expired are taken over by another, which counts the attempt.

CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  address TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL
);

ALTER TABLE jobs ADD COLUMN owner TEXT;
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
