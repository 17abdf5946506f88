// Case numbers are unique in their agency as people read them: `spd-2026-0042` is `SPD-2026-0042`.
// The key is `cases.models.case_number_key` (spaces collapsed, case folded); cases stored before it get the
// nearest Cypher form.
MATCH (c:Case) WHERE c.caseNumberKey IS NULL SET c.caseNumberKey = toLower(trim(c.agencyCaseNumber));
CREATE CONSTRAINT case_owner_number_key IF NOT EXISTS FOR (c:Case) REQUIRE (c.ownerAgencyId, c.caseNumberKey) IS UNIQUE;
