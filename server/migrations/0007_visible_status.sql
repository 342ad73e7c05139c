-- What a document counts as for visibility: its status, except that a document archived after
-- it was withdrawn stays withdrawn (not public again). Lists filter on this column.
-- Statements are separated by semicolons at line ends; no semicolons inside statements.

ALTER TABLE documents ADD COLUMN visible_status TEXT NOT NULL DEFAULT '';

UPDATE documents SET visible_status = status;
