# The two commands a newcomer needs: `make demo` and `make test`. Both set up what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test test-embedded bench setup browser neo4j-fetch clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/repgraph demo

# Browser tests need Debian's chromium; installed here when missing (root, apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "could not install chromium: browser tests will skip"; }

# Full suite. Neo4j tests run when REPGRAPH_TEST_NEO4J_URI names a server for tests (or
# Docker is reachable); otherwise they skip with that reason. They never read NEO4J_URI
# and refuse a database holding data they did not create. `.ci/run` starts a real Neo4j
# (scripts/neo4j-test-server) and sets REPGRAPH_TEST_NEO4J_*.
test: $(STAMP) browser
	$(BIN)/pytest -rs $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) *.db visualizations/*.html
