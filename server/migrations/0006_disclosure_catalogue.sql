-- The disclosure catalogue (公开目录): items per organisation unit and year, each change a new
-- immutable version with its audit entry, like documents.
-- Statements are separated by semicolons at line ends; no semicolons inside statements.

CREATE TABLE catalogue_items (
  id INTEGER PRIMARY KEY,
  current_version INTEGER NOT NULL,
  org_unit TEXT NOT NULL,
  year INTEGER NOT NULL,
  category TEXT NOT NULL
);

CREATE INDEX catalogue_by_unit_year ON catalogue_items (org_unit, year);

CREATE TABLE catalogue_item_versions (
  item_id INTEGER NOT NULL REFERENCES catalogue_items (id),
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  record_sha256 TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  PRIMARY KEY (item_id, version)
);
