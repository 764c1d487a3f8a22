# ccperf developer commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PROTO_FILES := $(shell find protos -name '*.proto' | sort)

.PHONY: help venv proto proto-check lint test test-unit test-integration test-e2e demo run migrate bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ccperf needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP) ## create the virtualenv and install ccperf with its dev tools

proto: $(STAMP) ## regenerate Python code (with .pyi stubs) from protos/ into gen/
	rm -rf gen/ccperf
	$(PY) -m tools.protogen gen

proto-check: $(STAMP) ## fail when gen/ is not what protos/ generates
	$(PY) -m tools.protogen --check gen

lint: $(STAMP) proto-check ## buf lint/breaking, ruff, mypy, stale protos, Dockerfile and k8s manifests
	$(BIN)/buf lint
	@if git rev-parse --verify --quiet main >/dev/null; then \
		echo "$(BIN)/buf breaking --against '.git#branch=main'"; \
		$(BIN)/buf breaking --against '.git#branch=main'; \
	else echo "no main branch here: buf breaking skipped"; fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy services tests tools migrations bench
	$(PY) -m tools.validate_deploy

test: lint ## lint, then unit, integration (Postgres) and e2e tests
	$(BIN)/pytest

test-unit: $(STAMP) ## unit tests only (no I/O)
	$(BIN)/pytest tests/unit

migrate: $(STAMP) ## upgrade the database at DATABASE_URL (default: SQLite under var/)
	$(BIN)/ccperf migrate

run: $(STAMP) migrate ## serve all three services in the foreground
	$(BIN)/ccperf serve all

demo: $(STAMP) ## migrate, start the services, load a demo org over gRPC and show the flow
	$(BIN)/ccperf demo

bench: $(STAMP) ## run the benchmarks in bench/ (figures, not pass/fail; needs Postgres, ~10 min)
	@for b in bench/[a-z]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean: ## remove the virtualenv, caches and the local SQLite database
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
