// Cases: unique id, and one case per agency case number within its owner agency.
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (c:Case) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT case_owner_number IF NOT EXISTS FOR (c:Case) REQUIRE (c.ownerAgencyId, c.agencyCaseNumber) IS UNIQUE;
CREATE INDEX case_status IF NOT EXISTS FOR (c:Case) ON (c.status);
CREATE INDEX case_review_due IF NOT EXISTS FOR (c:Case) ON (c.reviewDue);
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;
