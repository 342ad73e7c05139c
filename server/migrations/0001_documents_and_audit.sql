-- Documents, their immutable versions, their files, and the audit log.
-- Statements are separated by semicolons at line ends; no semicolons inside statements.

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  current_version INTEGER NOT NULL,
  category TEXT NOT NULL,
  org_unit TEXT NOT NULL,
  scope TEXT NOT NULL,
  status TEXT NOT NULL,
  year INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX documents_by_category_year ON documents (category, year);
CREATE INDEX documents_by_org_unit ON documents (org_unit);
CREATE INDEX documents_by_year ON documents (year);

-- record: the canonical JSON of the version (metadata, status, files); record_sha256 is what the
-- audit entry that made the version carries as content_sha256.
CREATE TABLE document_versions (
  document_id INTEGER NOT NULL REFERENCES documents (id),
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  record_sha256 TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  PRIMARY KEY (document_id, version)
);

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id),
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE INDEX files_by_document ON files (document_id);

-- entry: the canonical bytes of the audit entry, exactly as hashed and served.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  entry TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL
);

CREATE INDEX audit_by_object ON audit_log (object_type, object_id);
