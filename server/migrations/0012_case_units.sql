-- Applications for disclosure on request are handled by a unit, as feedback is: handlers see and
-- decide those of the units their roles cover. Applications filed before have no unit ("") and
-- stay with the roles bound to no unit until one is named on acknowledgement.

ALTER TABLE disclosure_requests ADD COLUMN org_unit TEXT NOT NULL DEFAULT '';
CREATE INDEX disclosure_requests_by_unit ON disclosure_requests (org_unit, id);
