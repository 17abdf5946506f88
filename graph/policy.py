"""`agencies.policy.decide_case` in Cypher, in the two forms the reads need.

- `VISIBLE` / `VICTIM_VISIBLE`: a predicate on one case `c`, for reads that already hold the case (`case(id)`).
- `visible_cases(...)`: the same rule from the reader's side, for lists and counts. It starts from what
  agency `$agency` may see — its own cases, its case-team memberships, and the cases its active agreements
  cover (all, labelled or named) — so its cost follows the visible set, never the size of the graph.

Both read `$agency` and `$now`; the property-based test holds each against the pure policy.
"""

from __future__ import annotations

_ACTIVE = "g.revokedAt IS NULL AND g.validFrom <= $now AND (g.validUntil IS NULL OR $now < g.validUntil)"
_COVERS = """(g.coverage = 'ALL_CASES'
           OR (g.coverage = 'LABELLED_CASES' AND any(label IN c.labels WHERE label IN g.labels))
           OR (g.coverage = 'NAMED_CASES' AND c.id IN g.caseIds))"""
_COVERING_AGREEMENT = f"""
    MATCH (g:SharingAgreement {{grantorId: c.ownerAgencyId, granteeId: $agency}})
    WHERE {_ACTIVE} AND {_COVERS}
"""
_ON_TEAM = "(c.ownerAgencyId = $agency OR EXISTS { MATCH (:Agency {id: $agency})-[:MEMBER_OF]->(c) })"
VISIBLE = f"({_ON_TEAM} OR EXISTS {{ {_COVERING_AGREEMENT} }})"
VICTIM_VISIBLE = f"({_ON_TEAM} OR EXISTS {{ {_COVERING_AGREEMENT} AND g.victimServices }})"

_BY_OWNER = "ORDER BY c.ownerAgencyId, c.id"
"""The order of the (ownerAgencyId, id) index: within one owner it is the order of ids, read straight off it."""


def visible_cases(where: str, *, limit: str | None = None) -> str:
    """A `CALL () { ... }` yielding each case `c` the reader may see and `where` accepts, once.

    Each kind of agreement coverage is its own branch, so that an agreement is matched on its coverage before
    any of its grantor's cases are read (a NAMED_CASES agreement reads only the cases it names).

    With `limit` (a parameter such as `$limit`), each source yields at most that many cases in id order,
    so a page reads about `limit` cases per source however many the reader may see.
    """

    def tail(order: str) -> str:
        # DISTINCT before LIMIT: two agreements of one grantor yield a case twice, and a page must not come short
        return f"RETURN DISTINCT c {order} LIMIT {limit}" if limit else "RETURN c"

    return f"""CALL () {{
  MATCH (c:Case) WHERE c.ownerAgencyId = $agency AND {where}
  {tail(_BY_OWNER)}
  UNION
  MATCH (:Agency {{id: $agency}})-[:MEMBER_OF]->(c:Case) WHERE {where}
  {tail("ORDER BY c.id")}
  UNION
  MATCH (g:SharingAgreement {{granteeId: $agency}}) WHERE {_ACTIVE} AND g.coverage = 'ALL_CASES'
  CALL (g) {{
    MATCH (c:Case) WHERE c.ownerAgencyId = g.grantorId AND {where}
    {tail(_BY_OWNER)}
  }}
  {tail("ORDER BY c.id")}
  UNION
  MATCH (g:SharingAgreement {{granteeId: $agency}}) WHERE {_ACTIVE} AND g.coverage = 'LABELLED_CASES'
  CALL (g) {{
    MATCH (c:Case) WHERE c.ownerAgencyId = g.grantorId AND {where}
      AND any(label IN c.labels WHERE label IN g.labels)
    {tail(_BY_OWNER)}
  }}
  {tail("ORDER BY c.id")}
  UNION
  MATCH (g:SharingAgreement {{granteeId: $agency}}) WHERE {_ACTIVE} AND g.coverage = 'NAMED_CASES'
  UNWIND g.caseIds AS named
  MATCH (c:Case {{id: named}}) WHERE c.ownerAgencyId = g.grantorId AND {where}
  {tail("ORDER BY c.id")}
}}"""
