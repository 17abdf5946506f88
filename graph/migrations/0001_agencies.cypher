// Agencies: one node per agency, keyed by its ORI-style code.
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (a:Agency) REQUIRE a.id IS UNIQUE;
CREATE INDEX agency_level_state IF NOT EXISTS FOR (a:Agency) ON (a.level, a.state);
CREATE INDEX agency_state IF NOT EXISTS FOR (a:Agency) ON (a.state);
CREATE TEXT INDEX agency_name IF NOT EXISTS FOR (a:Agency) ON (a.name);
CREATE POINT INDEX agency_location IF NOT EXISTS FOR (a:Agency) ON (a.location);
