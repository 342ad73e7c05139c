-- Bulk import of a legacy archive (gongkai import, POST /api/v1/imports): every catalogue row
-- imported, keyed by the SHA-256 of the row's values as read (core::importRowKey), written in the
-- same transaction as the row's document. An import run again (adopted after a crash or kill -9,
-- started again by hand, or with the bad rows of its catalogue corrected) skips the rows found
-- here, so no row is imported twice. Which catalogue and line it came from is kept beside it.
-- The same DDL serves PostgreSQL (INTEGER becomes BIGINT there).

CREATE TABLE import_rows (
  row_sha256 TEXT PRIMARY KEY,
  catalogue_sha256 TEXT NOT NULL,
  row_line INTEGER NOT NULL,
  document_id INTEGER NOT NULL REFERENCES documents (id),
  job_id INTEGER,
  imported_at TEXT NOT NULL
);
