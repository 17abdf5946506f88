// Persons by the agency that recorded them.
CREATE INDEX person_owner IF NOT EXISTS FOR (p:Person) ON (p.ownerAgencyId);
// Linked cases are paged in (hops, linkKey) order: a random key per case, so that a cursor never carries the id
// of a case the reader may not see. New cases get theirs when they are created.
MATCH (c:Case) WHERE c.linkKey IS NULL SET c.linkKey = randomUUID();
// Search over what a case says; searched only among the cases a reader may see in full.
CREATE FULLTEXT INDEX case_text IF NOT EXISTS FOR (c:Case) ON EACH [c.title, c.summary];
