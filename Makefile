# Zebra search — set up, build, serve, test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install build run test bench bench-load clean postgres solr-start solr-stop solr-cloud-start solr-cloud-stop

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade "pip>=24"
	$(BIN)/python -m pip install -e ".[test]"
	touch $(STAMP)

install: $(STAMP)  ## virtualenv in .venv and the project with its pinned dependencies

build: install  ## corpus → SQL store → lexical index (only what is missing); starts the local Solr when it is the backend
	@if [ "$${ZEBRA_SEARCH_BACKEND:-tantivy}" = solr ]; then scripts/java.sh && $(BIN)/zebra solr status >/dev/null 2>&1 || $(BIN)/zebra solr start; fi
	$(BIN)/zebra build --if-missing

run: build  ## serve on http://127.0.0.1:8000
	$(BIN)/zebra serve

test: install  ## the whole test suite
	$(BIN)/python -m pytest -q

bench: build  ## benchmark tables (build time, search latency)
	$(BIN)/python -m bench.bench_foundation

bench-load: build  ## bounded load test of `zebra serve` on 127.0.0.1 (1, 8, 32 clients; fused also without the network; about 6 minutes)
	$(BIN)/python -m bench.bench_load --workers 2 --without-network

postgres:  ## install (Debian package) and start a local PostgreSQL with role and databases for Zebra
	scripts/postgres.sh start

solr-start: install  ## local Solr 9.10 (built from Maven Central) on 127.0.0.1:8983 with the `zebra` core
	scripts/java.sh
	$(BIN)/zebra solr start

solr-stop:
	$(BIN)/zebra solr stop

solr-cloud-start: install  ## 2-node SolrCloud (embedded ZooKeeper) on 8984/8985 with a 2-shard `zebra` collection
	scripts/java.sh
	$(BIN)/zebra solr start --cloud

solr-cloud-stop:
	$(BIN)/zebra solr stop --cloud

clean:
	rm -rf var .pytest_cache
