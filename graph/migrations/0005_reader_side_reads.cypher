// Reads start from the reader's side: its agreements by grantee, and an agency's cases in id order.
CREATE INDEX agreement_grantee IF NOT EXISTS FOR (g:SharingAgreement) ON (g.granteeId);
CREATE INDEX case_owner_id IF NOT EXISTS FOR (c:Case) ON (c.ownerAgencyId, c.id);
// The audit log becomes several hash chains, so that unrelated transactions do not queue on one head.
// The entries and head written so far become chain 0, unchanged.
DROP CONSTRAINT audit_entry_seq IF EXISTS;
MATCH (e:AuditEntry) WHERE e.chain IS NULL SET e.chain = 0;
CREATE CONSTRAINT audit_entry_chain_seq IF NOT EXISTS FOR (e:AuditEntry) REQUIRE (e.chain, e.seq) IS UNIQUE;
DROP CONSTRAINT audit_head_id IF EXISTS;
MATCH (h:AuditHead) WHERE h.chain IS NULL SET h.chain = 0 REMOVE h.id;
CREATE CONSTRAINT audit_head_chain IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.chain IS UNIQUE;
// Every chain has its head from the start (its hash is set by the first append), so that a chain removed
// whole, head and entries, is not missed by `sett audit verify`.
UNWIND range(0, 15) AS chain MERGE (h:AuditHead {chain: chain}) ON CREATE SET h.seq = 0;
