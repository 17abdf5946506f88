// 28 CFR Part 23 retention: what each agency's supervisors must review, their validations, and purge records.
CREATE INDEX case_owner_review_due IF NOT EXISTS FOR (c:Case) ON (c.ownerAgencyId, c.reviewDue);
CREATE CONSTRAINT validation_id IF NOT EXISTS FOR (v:Validation) REQUIRE v.id IS UNIQUE;
CREATE CONSTRAINT purge_id IF NOT EXISTS FOR (p:Purge) REQUIRE p.id IS UNIQUE;
CREATE INDEX purge_owner_at IF NOT EXISTS FOR (p:Purge) ON (p.ownerAgencyId, p.at);
// Which disclosed cases were purged (the access report), and which source records an import must not bring back.
CREATE INDEX purge_owner_case IF NOT EXISTS FOR (p:Purge) ON (p.ownerAgencyId, p.caseId);
CREATE INDEX purge_owner_source IF NOT EXISTS FOR (p:Purge) ON (p.ownerAgencyId, p.sourceId);
