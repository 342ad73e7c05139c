-- Retention and disposition (到期鉴定与销毁) and legal holds (法律保全). A proposal to dispose
-- of an archived record waits in dispositions until a second person approves or rejects it; the
-- approval itself is the document's disposed version (its audit entry is the tombstone). A hold
-- names one document, or a scope of unit, category and year (any of them; none is everything),
-- and blocks disposition until an inspector releases it. Rows are kept after release or decision:
-- they are the record of who did what. The same DDL serves PostgreSQL (INTEGER becomes BIGINT).

CREATE TABLE dispositions (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id),
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  proposed_at TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at TEXT NOT NULL DEFAULT '',
  decision_note TEXT NOT NULL DEFAULT ''
);

CREATE INDEX dispositions_by_document ON dispositions (document_id, state);

CREATE TABLE legal_holds (
  id INTEGER PRIMARY KEY,
  document_id INTEGER REFERENCES documents (id),
  org_unit TEXT,
  category TEXT,
  year INTEGER,
  reason TEXT NOT NULL,
  placed_by TEXT NOT NULL,
  placed_at TEXT NOT NULL,
  released_by TEXT NOT NULL DEFAULT '',
  released_at TEXT NOT NULL DEFAULT '',
  release_reason TEXT NOT NULL DEFAULT ''
);
