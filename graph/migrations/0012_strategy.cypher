// The National Strategy: strategies, goals, objectives, indicators, measurements, resources, state laws.
// Every node is found by its id; a strategy's nodes also carry `strategyId`, so one strategy is read at once.
CREATE CONSTRAINT strategy_id IF NOT EXISTS FOR (s:Strategy) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT goal_id IF NOT EXISTS FOR (g:Goal) REQUIRE g.id IS UNIQUE;
CREATE CONSTRAINT objective_id IF NOT EXISTS FOR (o:Objective) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT indicator_id IF NOT EXISTS FOR (i:Indicator) REQUIRE i.id IS UNIQUE;
CREATE CONSTRAINT measurement_id IF NOT EXISTS FOR (m:Measurement) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT resource_id IF NOT EXISTS FOR (r:Resource) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT state_law_state_year IF NOT EXISTS FOR (l:StateLaw) REQUIRE (l.state, l.year) IS UNIQUE;
CREATE INDEX goal_strategy IF NOT EXISTS FOR (g:Goal) ON (g.strategyId);
CREATE INDEX objective_strategy IF NOT EXISTS FOR (o:Objective) ON (o.strategyId);
CREATE INDEX indicator_strategy IF NOT EXISTS FOR (i:Indicator) ON (i.strategyId);
CREATE INDEX measurement_strategy IF NOT EXISTS FOR (m:Measurement) ON (m.strategyId);
CREATE INDEX resource_strategy IF NOT EXISTS FOR (r:Resource) ON (r.strategyId);
