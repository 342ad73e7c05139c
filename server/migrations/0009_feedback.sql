-- Feedback (公开意见): each record versioned like documents, each version made by one audit
-- entry (object type "feedback"). The feedback table holds what lists filter on; the receipt
-- code a person follows their case with is kept only as its SHA-256.

CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  current_version INTEGER NOT NULL,
  status TEXT NOT NULL,
  channel TEXT NOT NULL,
  org_unit TEXT NOT NULL,
  category TEXT NOT NULL,
  deadline TEXT NOT NULL,
  received_at TEXT NOT NULL,
  receipt_sha256 TEXT NOT NULL UNIQUE
);

CREATE INDEX feedback_by_unit ON feedback (org_unit);
CREATE INDEX feedback_by_status ON feedback (status, deadline);

CREATE TABLE feedback_versions (
  feedback_id INTEGER NOT NULL REFERENCES feedback (id),
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  record_sha256 TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  PRIMARY KEY (feedback_id, version)
);
