// Imported cases and persons are named by the id their records system gives them (`sourceId`) within their
// agency: importing the same record again finds it (MERGE on these constraints) instead of adding another, even
// when two imports run at once. Cases and persons recorded through the API have no sourceId, and no constraint
// applies to them.
CREATE CONSTRAINT case_owner_source IF NOT EXISTS FOR (c:Case) REQUIRE (c.ownerAgencyId, c.sourceId) IS UNIQUE;
CREATE CONSTRAINT person_owner_source IF NOT EXISTS FOR (p:Person) REQUIRE (p.ownerAgencyId, p.sourceId) IS UNIQUE;
