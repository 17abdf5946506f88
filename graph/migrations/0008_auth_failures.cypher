// Failed authentications, counted per client address and per credential hash, shared by every gateway replica.
CREATE CONSTRAINT auth_failures_key IF NOT EXISTS FOR (f:AuthFailures) REQUIRE f.key IS UNIQUE;
CREATE INDEX auth_failures_expiry IF NOT EXISTS FOR (f:AuthFailures) ON (f.expiresAt);
