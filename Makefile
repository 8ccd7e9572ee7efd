# Set-up is part of every target: the first run creates .venv and installs
# the pinned dependencies from pyproject.toml, later runs reuse them.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the main job on the embedded DuckDB default with synthetic data.
demo: install
	$(BIN)/zl demo

## Load every source from its live API, then build (needs API keys).
run: install
	$(BIN)/zl run

## Lint Python and SQL, then run the test suite.
test: install lint
	$(BIN)/pytest

## Measure demo, real-data load and build; writes docs/benchmarks.md.
bench: install
	$(BIN)/python -m benchmarks.run

lint: install
	$(BIN)/ruff check ingest tests benchmarks
	$(BIN)/ruff format --check ingest tests benchmarks
	$(BIN)/sqlfluff lint models --processes 1

clean:
	rm -rf data/demo.duckdb data/demo.duckdb.lock data/.dlt-demo data/dbt data/demo_landing target
