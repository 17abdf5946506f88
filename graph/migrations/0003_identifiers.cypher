// Identifiers: one node per normalised (kind, value), so two cases that share one meet at the same node.
CREATE CONSTRAINT identifier_kind_value IF NOT EXISTS FOR (i:Identifier) REQUIRE (i.kind, i.value) IS UNIQUE;
CREATE INDEX identifier_value IF NOT EXISTS FOR (i:Identifier) ON (i.value);
