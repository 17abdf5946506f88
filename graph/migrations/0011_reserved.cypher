// PLACEHOLDER, to be deleted when the change that owns migration 0011 (retention) lands: migrations are numbered
// without gaps, and this branch's own migration is 0012. It does nothing.
MATCH (n:SettReservedMigration0011) DELETE n;
