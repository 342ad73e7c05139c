-- The public board lists the published documents (of one unit, or of all), newest first: an
-- index on the status, then the unit, serves it with or without the unit, where before every
-- document was read to find the published ones.

CREATE INDEX documents_by_status ON documents (status, org_unit);
