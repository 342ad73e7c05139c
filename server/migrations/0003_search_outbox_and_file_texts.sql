-- Search index consistency: every new document version is queued here in the transaction that
-- makes it; the indexing worker applies and then deletes the rows. Text extracted from files is
-- kept by content hash, so a file is extracted once however many versions hold it.
-- Statements are separated by semicolons at line ends; no semicolons inside statements.

CREATE TABLE search_outbox (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL,
  version INTEGER NOT NULL
);

-- Versions stored before search existed are indexed at the first start.
INSERT INTO search_outbox (document_id, version)
  SELECT document_id, version FROM document_versions ORDER BY audit_seq;

-- status: ok or failed; error_code and message say why it failed (shown on the document).
CREATE TABLE file_texts (
  sha256 TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  format TEXT NOT NULL,
  error_code TEXT NOT NULL,
  message TEXT NOT NULL,
  truncated INTEGER NOT NULL,
  text TEXT NOT NULL,
  extracted_at TEXT NOT NULL
);
