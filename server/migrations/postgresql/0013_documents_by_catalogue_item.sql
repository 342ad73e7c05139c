-- PostgreSQL's form of ../0013: the catalogue item read from the JSON record with its operators
-- instead of SQLite's json_extract.

ALTER TABLE documents ADD COLUMN catalogue_item BIGINT;
UPDATE documents SET catalogue_item = (
  SELECT CAST(CAST(v.record AS json) ->> 'catalogue_item' AS BIGINT) FROM document_versions v
  WHERE v.document_id = documents.id AND v.version = documents.current_version);
CREATE INDEX documents_by_catalogue_item ON documents (catalogue_item) WHERE catalogue_item IS NOT NULL;
