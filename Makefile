# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NPM_CI := npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

.PHONY: run test lint unit neo4j redis chromium npm graphiql http-audit db-start db-stop schema documents bench clean

# GraphiQL is a convenience of development: without Node.js the API is served all the same, and the page says
# how to install it.
run: $(INSTALLED) neo4j
	@$(MAKE) --no-print-directory graphiql || echo "GraphiQL's files are not installed; serving the API without them" >&2
	SETT_ENVIRONMENT=$${SETT_ENVIRONMENT:-development} $(BIN)/sett run

test: lint neo4j redis chromium graphiql http-audit
	$(BIN)/pytest

unit: $(INSTALLED)
	$(BIN)/pytest tests/unit

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/sett schema --check
	$(BIN)/sett documents --check

# Fetches the Neo4j jars and compiles the launcher unless NEO4J_URI names a server to use instead.
neo4j: $(INSTALLED)
	@if [ -z "$${NEO4J_URI:-}" ]; then $(BIN)/sett db install; fi

# The tests start their own Redis (the broker between gateways and the CLI) from Debian's redis-server.
redis:
	@command -v redis-server >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
	  else echo "redis-server is missing: sudo apt-get install redis-server" >&2; exit 1; fi; }

# A test opens GraphiQL in Debian's Chromium, headless and offline.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }

# npm packages, each folder pinned by its package-lock.json: tools/graphiql holds GraphiQL's browser bundles,
# which the gateway serves itself in development; tools/http-audit the graphql-http audit that the tests run.
graphiql: tools/graphiql/node_modules/.installed
	@:
http-audit: tools/http-audit/node_modules/.installed
	@:

tools/%/node_modules/.installed: tools/%/package.json tools/%/package-lock.json
	@$(MAKE) --no-print-directory npm
	cd tools/$* && $(NPM_CI)
	touch $@

npm:
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "npm is missing: install Node.js 18 or later with npm (sudo apt-get install nodejs npm)" >&2; exit 1; fi; }

db-start: $(INSTALLED)
	$(BIN)/sett db start

db-stop: $(INSTALLED)
	$(BIN)/sett db stop

schema: $(INSTALLED)
	$(BIN)/sett schema --write

documents: $(INSTALLED)
	$(BIN)/sett documents --write

bench: $(INSTALLED) neo4j redis
	$(BIN)/python -m bench.reads
	$(BIN)/python -m bench.links
	$(BIN)/python -m bench.seed_agencies

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

clean:
	-$(BIN)/sett db stop
	rm -rf $(VENV) .sett .pytest_cache .mypy_cache .ruff_cache .hypothesis tools/*/node_modules
