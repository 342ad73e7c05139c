-- Background jobs (building archive bundles) and the bundles they made. A bundle's tar lives in
-- DATA_DIR/archives/<sha256>.tar and never changes; building again adds a row and keeps the old.

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  params TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  items_done INTEGER NOT NULL DEFAULT 0,
  items_total INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  bytes_total INTEGER NOT NULL DEFAULT 0,
  result TEXT,
  error_code TEXT,
  error_message TEXT
);

CREATE TABLE archives (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  fonds TEXT NOT NULL,
  category TEXT NOT NULL,
  year INTEGER NOT NULL,
  item_count INTEGER NOT NULL,
  audit_entry_count INTEGER NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  signer_key TEXT NOT NULL,
  sm2_signed INTEGER NOT NULL,
  checkpoint_size INTEGER NOT NULL,
  job_id INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE INDEX archives_by_category_year ON archives (category, year);
