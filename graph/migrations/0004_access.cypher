// Access: tokens (looked up by hash), sharing agreements, dissemination records, the audit log.
CREATE CONSTRAINT token_id IF NOT EXISTS FOR (t:Token) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT token_hash IF NOT EXISTS FOR (t:Token) REQUIRE t.hash IS UNIQUE;
CREATE CONSTRAINT agreement_id IF NOT EXISTS FOR (g:SharingAgreement) REQUIRE g.id IS UNIQUE;
CREATE INDEX agreement_parties IF NOT EXISTS FOR (g:SharingAgreement) ON (g.grantorId, g.granteeId);
CREATE CONSTRAINT disclosure_id IF NOT EXISTS FOR (d:Disclosure) REQUIRE d.id IS UNIQUE;
CREATE INDEX disclosure_owner_at IF NOT EXISTS FOR (d:Disclosure) ON (d.ownerAgencyId, d.at);
CREATE CONSTRAINT audit_entry_seq IF NOT EXISTS FOR (e:AuditEntry) REQUIRE e.seq IS UNIQUE;
CREATE CONSTRAINT audit_head_id IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.id IS UNIQUE;
CREATE INDEX case_owner IF NOT EXISTS FOR (c:Case) ON (c.ownerAgencyId);
