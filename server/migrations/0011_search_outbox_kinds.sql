-- The search outbox queues feedback records and applications beside document versions: `kind`
-- says which (their id goes in document_id). Existing rows are document versions.

ALTER TABLE search_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'document';
