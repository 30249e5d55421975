# The two commands a newcomer needs: `make demo` and `make test`. Both set up what they need:
# `make demo` only the runtime (quick), `make test` also the test tools (pytest, playwright,
# schemathesis, testcontainers, hypothesis).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
TESTDEPS := $(VENV)/.installed-test
PYTEST_ARGS ?=
CHROMIUM := /usr/bin/chromium
# seconds apt waits for a lock held by another apt/dpkg (e.g. unattended upgrades)
APT_LOCK_WAIT ?= 300

.PHONY: demo test test-embedded bench setup browser neo4j-fetch clean

# One set-up at a time (flock): `make demo` and `make test` started together share the venv,
# and the second waits for the first instead of failing half-way (`.venv/bin/pip: not found`).
$(RUNTIME): pyproject.toml
	flock $(VENV).lock sh -c '[ $(RUNTIME) -nt pyproject.toml ] || { $(PY) -m venv $(VENV) && \
	  $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e . && touch $(RUNTIME); }'

$(TESTDEPS): $(RUNTIME)
	flock $(VENV).lock sh -c '[ $(TESTDEPS) -nt $(RUNTIME) ] || { $(BIN)/pip install -q -e ".[test]" && touch $(TESTDEPS); }'

setup: $(TESTDEPS)

demo: $(RUNTIME)
	$(BIN)/repgraph demo

# Browser tests need Debian's chromium ($(CHROMIUM)); installed here when missing (root, apt),
# waiting for the apt lock. The last line says whether browser tests will run or skip.
browser:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian chromium for browser tests (waiting up to $(APT_LOCK_WAIT) s for the apt lock)"; \
	  waited=0; \
	  until out=$$(apt-get -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) update -qq 2>&1); do \
	    case "$$out" in *lock*) [ $$waited -lt $(APT_LOCK_WAIT) ] || break; sleep 5; waited=$$((waited + 5));; \
	      *) echo "$$out"; break;; esac; \
	  done; \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) install -y -qq chromium >/dev/null \
	    || echo "apt-get install chromium failed"; \
	fi; \
	if [ -x $(CHROMIUM) ]; then echo "chromium: $(CHROMIUM) present, browser tests will run"; \
	else echo "chromium: $(CHROMIUM) absent, browser tests will skip (as root: apt-get install chromium)"; fi

# Full suite. Neo4j tests run when REPGRAPH_TEST_NEO4J_URI names a server for tests (or
# Docker is reachable); otherwise they skip with that reason. They never read NEO4J_URI
# and refuse a database holding data they did not create. `.ci/run` starts a real Neo4j
# (scripts/neo4j-test-server) and sets REPGRAPH_TEST_NEO4J_*.
test: $(TESTDEPS) browser
	@# The suite reads and writes UTF-8 whatever the locale (PYTHONUTF8=1); the tests of a
	@# non-UTF-8 locale (tests/test_cli_locale.py) set LANG=C and PYTHONUTF8=0 for the CLI they run.
	PYTHONUTF8=1 $(BIN)/pytest -rs $(PYTEST_ARGS)

bench: $(RUNTIME)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) *.db visualizations/*.html
