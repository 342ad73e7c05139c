-- The catalogue item a document discloses, as a column: the compliance report reads only the
-- documents linked to the items it checks, instead of every document of the unit. Filled from
-- the current version's record for documents filed before.

ALTER TABLE documents ADD COLUMN catalogue_item INTEGER;
UPDATE documents SET catalogue_item = (
  SELECT json_extract(v.record, '$.catalogue_item') FROM document_versions v
  WHERE v.document_id = documents.id AND v.version = documents.current_version);
CREATE INDEX documents_by_catalogue_item ON documents (catalogue_item) WHERE catalogue_item IS NOT NULL;
