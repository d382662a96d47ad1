# Quick start: `make dev` serves everything on http://127.0.0.1:3000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test lint schemas bench install clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

dev: $(STAMP)
	$(BIN)/cryptotalks dev

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/cryptotalks openapi

bench: $(STAMP)
	$(BIN)/python bench/handler_import_time.py
	$(BIN)/python bench/runtime_overhead.py

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache
