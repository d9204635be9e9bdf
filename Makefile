# The two set-up commands are `make demo` and `make test`; everything else hangs off them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check format install bench-ingest bench-graph bench-graph-search bench-resolve bench-linkage bench-web bench-victims clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[graph,resolve,spark,web,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/unweave demo

check: $(STAMP)
	$(BIN)/ruff format --check unweave tests benchmarks
	$(BIN)/ruff check unweave tests benchmarks
	$(BIN)/mypy

test: check
	$(BIN)/pytest -q

format: $(STAMP)
	$(BIN)/ruff format unweave tests benchmarks
	$(BIN)/ruff check --fix unweave tests benchmarks

bench-ingest: $(STAMP)
	$(BIN)/python -m benchmarks.ingest

bench-graph: $(STAMP)
	$(BIN)/python -m benchmarks.graph
	$(BIN)/python -m benchmarks.graph_scenario --size medium

# The largest generated graph NetworkX finishes in 10 minutes (about 40 minutes).
bench-graph-search: $(STAMP)
	$(BIN)/python -m benchmarks.graph_search

bench-resolve: $(STAMP)
	$(BIN)/python -m benchmarks.resolve
	$(BIN)/python -m benchmarks.resolve_scenario --size medium

bench-victims: $(STAMP)
	$(BIN)/python -m benchmarks.victims

bench-linkage: $(STAMP)
	$(BIN)/pip install --quiet 'clkhash>=0.18.3' 'anonlink>=0.15' || echo "clkhash/anonlink did not install: baseline left out"
	$(BIN)/pip install --quiet 'mypy_extensions>=1.2'  # clkhash pins an old one; mypy needs this
	nice -n 10 $(BIN)/python -m benchmarks.linkage --size medium
	nice -n 10 $(BIN)/python -m benchmarks.linkage_scale --entries 1000000

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
