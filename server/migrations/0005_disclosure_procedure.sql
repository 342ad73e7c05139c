-- The disclosure procedure (the workflow issue): archived documents get an archival reference
-- code 档号 whose item number runs without gaps within each fonds, year, retention and category.
-- Statements are separated by semicolons at line ends; no semicolons inside statements.

CREATE TABLE reference_sequences (
  fonds TEXT NOT NULL,
  year INTEGER NOT NULL,
  retention TEXT NOT NULL,
  category TEXT NOT NULL,
  last_item INTEGER NOT NULL,
  PRIMARY KEY (fonds, year, retention, category)
);

-- Every code given, once: a second document can never get the same 档号.
CREATE TABLE reference_codes (
  code TEXT PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id),
  fonds TEXT NOT NULL,
  year INTEGER NOT NULL,
  retention TEXT NOT NULL,
  category TEXT NOT NULL,
  item INTEGER NOT NULL
);
