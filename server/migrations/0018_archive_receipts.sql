-- Receipts (接收回执) of transferred bundles: the receiving office's countersignature of one
-- bundle, as the canonical record whose SHA-256 the audit entry that made it carries (so a
-- changed row no longer matches the signed log). Numbered per bundle from 1; a bundle holds at
-- most one acceptance, and further receipts only after a refusal. The same DDL serves PostgreSQL.

CREATE TABLE archive_receipts (
  id INTEGER PRIMARY KEY,
  archive_id INTEGER NOT NULL REFERENCES archives (id),
  number INTEGER NOT NULL,
  decision TEXT NOT NULL,
  record TEXT NOT NULL,
  record_sha256 TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  UNIQUE (archive_id, number)
);
