// An Identifier node is shared by every agency that holds it: it keeps no agency's way of writing it.
MATCH (i:Identifier) WHERE i.display IS NOT NULL REMOVE i.display;
