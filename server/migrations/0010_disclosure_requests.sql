-- Applications for disclosure on request (依申请公开), versioned and audited like feedback
-- (object type "disclosure_request"). The receipt code is kept only as its SHA-256.

CREATE TABLE disclosure_requests (
  id INTEGER PRIMARY KEY,
  current_version INTEGER NOT NULL,
  status TEXT NOT NULL,
  decide_by TEXT NOT NULL,
  received_at TEXT NOT NULL,
  receipt_sha256 TEXT NOT NULL UNIQUE
);

CREATE INDEX disclosure_requests_by_status ON disclosure_requests (status, decide_by);

CREATE TABLE disclosure_request_versions (
  request_id INTEGER NOT NULL REFERENCES disclosure_requests (id),
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  record_sha256 TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  PRIMARY KEY (request_id, version)
);
