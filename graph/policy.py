"""`agencies.policy` in Cypher, in the forms the reads need, each next to the pure rule's name.

- `VISIBLE` / `VICTIM_VISIBLE`: a predicate on one case `c`, for reads that already hold the case (`case(id)`).
- `visible_cases(...)`: the same rule from the reader's side, for lists and counts. It starts from what
  agency `$agency` may see — its own cases, its case-team memberships, and the cases its active agreements
  cover (all, labelled or named) — so its cost follows the visible set, never the size of the graph.
- `VISIBLE_IN_CONTEXT` / `VICTIM_VISIBLE_IN_CONTEXT`: the same predicates given the reader's agreements and
  memberships read once (`READER_CONTEXT`), for traversals that test many cases.
- `MAY_EDIT` / `OWNS` / `MAY_CHANGE_PERSON`: who may write on a case or a person, re-checked inside each write
  once `lock` (or `LOCK_PERSON`) holds the nodes they read.
- `SHOWS_PERSON`, `LINKING_IDENTIFIERS`, and the walks `linked_cases`, `HOLDERS_OF` and `link_path`: victims'
  identities, what a case links by, and the POINTER level, where a path ends.

All read `$agency` and `$now`; the property-based test holds each against the pure policy.
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
MAY_EDIT = _ON_TEAM
"""`agencies.policy.may_edit`: the writer agency `$agency` owns case `c` or is on its team."""
OWNS = "c.ownerAgencyId = $agency"
"""`agencies.policy.owns`: closing a case and changing its team, labels or victim-services notes."""
MAY_CHANGE_PERSON = f"""(p.ownerAgencyId = $agency
  AND NOT EXISTS {{ MATCH (c:Case)-[:INVOLVES]->(p) WHERE NOT {MAY_EDIT} }})"""
"""`agencies.policy.may_change_person`: `$agency` recorded person `p` and may edit every case `p` is on."""


def lock(node: str) -> str:
    """Takes the write lock on `node` until the transaction ends, and changes nothing.

    Neo4j reads take no locks: a rule read without one misses a change another transaction has made and not
    yet committed. Read after this, it waits for that transaction and sees what it committed; every write
    that changes what the rules read (a case's team, its status) takes the same lock first.
    """
    return f"SET {node}._lock = true REMOVE {node}._lock"


LOCK_PERSON = f"""{lock("p")}
WITH p
CALL (p) {{
  MATCH (c:Case)-[:INVOLVES]->(p)
  WITH c ORDER BY c.id
  {lock("c")}
}}"""
"""`lock` on person `p`, then on each case `p` is on, whose teams MAY_CHANGE_PERSON reads. The person first: a
write that puts a person on a case locks them first too, so no case joins those locked here before this commits."""
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


SHOWS_PERSON = "(r.role <> 'VICTIM' OR victimVisible)"
"""`shows_person` for `(c)-[r:INVOLVES]->(p)` on a visible case `c` whose VICTIM_VISIBLE is `victimVisible`."""

READER_CONTEXT = f"""CALL () {{
  OPTIONAL MATCH (g:SharingAgreement {{granteeId: $agency}}) WHERE {_ACTIVE}
  RETURN collect(g {{.grantorId, .coverage, .labels, .caseIds, .victimServices}}) AS grants
}}
CALL () {{
  OPTIONAL MATCH (:Agency {{id: $agency}})-[:MEMBER_OF]->(t:Case)
  RETURN collect(t.id) AS teamCases
}}"""
"""What the reader's side holds, read once per query: its active agreements and its case-team memberships.
A traversal tests many cases; with these in hand VISIBLE becomes `VISIBLE_IN_CONTEXT`, an expression without
subqueries, which is cheap to evaluate and to plan however many hops are written out."""
_ON_TEAM_IN_CONTEXT = "(c.ownerAgencyId = $agency OR c.id IN teamCases)"
_FROM_OWNER = "g.grantorId = c.ownerAgencyId"
VISIBLE_IN_CONTEXT = f"({_ON_TEAM_IN_CONTEXT} OR any(g IN grants WHERE {_FROM_OWNER} AND {_COVERS}))"
VICTIM_VISIBLE_IN_CONTEXT = (
    f"({_ON_TEAM_IN_CONTEXT} OR any(g IN grants WHERE {_FROM_OWNER} AND g.victimServices AND {_COVERS}))"
)
"""VISIBLE and VICTIM_VISIBLE of case `c`, given `grants` and `teamCases` from READER_CONTEXT."""
_CONTEXT = "grants, teamCases"

_LINKS_THROUGH_PERSON = f"(r.role <> 'VICTIM' OR {VICTIM_VISIBLE_IN_CONTEXT})"
LINKING_IDENTIFIERS = f"""COLLECT {{
  MATCH (c)-[:HAS_IDENTIFIER]->(i:Identifier) RETURN i
  UNION
  MATCH (c)-[r:INVOLVES]->(:Person)-[:HAS_IDENTIFIER]->(i:Identifier) WHERE {_LINKS_THROUGH_PERSON} RETURN i
}}"""
"""`linking_identifiers` of case `c` (in READER_CONTEXT): its own and those of the persons on it, victims' only
where the reader may see who the victims are (never on a case the reader may not see in full)."""
_HOLDERS = f"""CALL (i, {_CONTEXT}) {{
  MATCH (i)<-[:HAS_IDENTIFIER]-(c:Case) RETURN c
  UNION
  MATCH (i)<-[:HAS_IDENTIFIER]-(:Person)<-[r:INVOLVES]-(c:Case) WHERE {_LINKS_THROUGH_PERSON} RETURN c
}}"""
"""The cases `c` for which identifier `i` is among their LINKING_IDENTIFIERS: the same rule read backwards."""


_FROM_CASES = f"""UNWIND frontier AS c
  UNWIND {LINKING_IDENTIFIERS} AS i"""
_FROM_IDENTIFIERS = "UNWIND frontier AS i"


def _walk(first: str, max_hops: int) -> str:
    """`agencies.policy._walk`: from `frontier` (identifiers at the first hop when `first` is _FROM_IDENTIFIERS,
    else cases) and `seen`, yields `links`, a list of maps {c, via, full, hops}. Each hop leaves only from cases
    visible in full (`full`), so a pointer ends its path and what only hidden cases hold is never reached."""
    return "\n".join(
        f"""CALL (frontier, seen, {_CONTEXT}) {{
  {first if hop == 1 else _FROM_CASES}
  WITH DISTINCT i, seen, {_CONTEXT}
  {_HOLDERS}
  WITH c, i, {VISIBLE_IN_CONTEXT} AS full WHERE NOT c.id IN seen
  WITH c, full, collect(DISTINCT i) AS via
  RETURN collect({{c: c, via: via, full: full}}) AS reached
}}
WITH [r IN reached WHERE r.full | r.c] AS frontier, seen + [r IN reached | r.c.id] AS seen,
     links + [r IN reached | r {{.*, hops: {hop}}}] AS links, {_CONTEXT}"""
        for hop in range(1, max_hops + 1)
    )


def linked_cases(max_hops: int) -> str:
    """`agencies.policy.linked_cases` from the case `$id`; no row when the reader may not see it."""
    return f"""MATCH (c:Case {{id: $id}}) WHERE {VISIBLE}
{READER_CONTEXT}
WITH [c] AS frontier, [c.id] AS seen, [] AS links, {_CONTEXT}
{_walk(_FROM_CASES, max_hops)}"""


HOLDERS_OF = f"""OPTIONAL MATCH (i:Identifier {{kind: $kind, value: $value}})
{READER_CONTEXT}
WITH [x IN [i] WHERE x IS NOT NULL] AS frontier, [] AS seen, [] AS links, {_CONTEXT}
{_walk(_FROM_IDENTIFIERS, 1)}"""
"""`agencies.policy.holders_of` the identifier ($kind, $value)."""


def _path_ends(side: str) -> str:
    """The identifiers an end of a path stands for: those named in `$<side>_identifiers`, or those of the
    person `$<side>_person` where the reader may see who that person is."""
    return f"""COLLECT {{
  UNWIND ${side}_identifiers AS named
  MATCH (i:Identifier {{kind: named.kind, value: named.value}}) RETURN i
  UNION
  MATCH (c:Case)-[r:INVOLVES]->(p:Person {{id: ${side}_person}})
  WITH c, r, p, {VICTIM_VISIBLE} AS victimVisible WHERE {VISIBLE} AND {SHOWS_PERSON}
  MATCH (p)-[:HAS_IDENTIFIER]->(i:Identifier) RETURN DISTINCT i
}}"""


def link_path(max_cases: int) -> str:
    """`agencies.policy.link_path` between the ends `from` and `to` (see `_path_ends`): yields `path`, a list of
    steps {i: identifier} or {c: case, full}, or null, and `ends`, how many identifiers each end stands for.
    The walk leaves only from cases visible in full; a hidden case appears only last, when it holds a target."""
    level = f"""
CALL (found, frontier, seenI, seenC, {_CONTEXT}) {{
  UNWIND CASE WHEN found IS NULL THEN frontier ELSE [] END AS f
  WITH f.i AS i, f.path AS path, seenC, {_CONTEXT}
  {_HOLDERS}
  WITH c, path, {VISIBLE_IN_CONTEXT} AS full, {_CONTEXT} WHERE NOT c.id IN seenC
  WITH c, full, head(collect(path)) AS path, {_CONTEXT}
  WITH c, path, full, {LINKING_IDENTIFIERS} AS held
  RETURN collect({{c: c, path: path, full: full, held: held}}) AS reached
}}
WITH coalesce(found, head([r IN reached WHERE any(t IN r.held WHERE t IN targets) |
       r.path + [{{c: r.c, full: r.full}}, {{i: head([t IN r.held WHERE t IN targets])}}]])) AS found,
     reached, seenI, seenC + [r IN reached | r.c.id] AS seenC, targets, ends, {_CONTEXT}
CALL (reached, seenI) {{
  UNWIND [r IN reached WHERE r.full] AS r
  UNWIND r.held AS i
  WITH r, i WHERE NOT elementId(i) IN seenI
  WITH i, head(collect(r.path + [{{c: r.c, full: true}}, {{i: i}}])) AS path
  RETURN collect({{i: i, path: path}}) AS next
}}
WITH found, next AS frontier, seenI + [f IN next | elementId(f.i)] AS seenI, seenC, targets, ends, {_CONTEXT}"""
    return f"""{READER_CONTEXT}
WITH {_path_ends("from")} AS sources, {_path_ends("to")} AS targets, {_CONTEXT}
WITH sources, targets, [size(sources), size(targets)] AS ends, {_CONTEXT}
WITH CASE WHEN any(s IN sources WHERE s IN targets) THEN [{{i: head([s IN sources WHERE s IN targets])}}] END AS found,
     [s IN sources | {{i: s, path: [{{i: s}}]}}] AS frontier, [s IN sources | elementId(s)] AS seenI, [] AS seenC,
     targets, ends, {_CONTEXT}
{"".join(level for _ in range(max_cases))}
WITH found AS path, ends"""
