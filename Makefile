# Quick start: `make dev` serves everything on http://127.0.0.1:3000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test lint schemas bench install clean synth localstack-up localstack-deploy web web-test

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

dev: $(STAMP)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory web; \
	else echo "npm not found: serving the API without the web client (install Node 20.19+, then make web)"; fi
	$(BIN)/cryptotalks dev

# The web client (web/): packages from the lock file, built into web/dist when missing or older than its sources.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) \
	web/index.html web/vite.config.ts web/tsconfig.json web/package-lock.json

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

web: web/dist/index.html

web-test: web/node_modules/.package-lock.json
	cd web && npm test

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/cryptotalks openapi

# Every benchmark (bench/report.py finds them), its figures and the load average in docs/benchmarks.md. The posts
# benchmark loads 100,000 then 1,000,000 posts: allow an hour on 2 cores.
bench: $(STAMP)
	$(BIN)/python -m bench.report

# The CDK app (infra_cdk/README.md): `make synth STAGE=prod BUS=kafka` writes cdk.out, no Docker needed.
STAGE ?= dev
BUS ?= eventbridge
synth: $(STAMP)
	CDK_CONTEXT_JSON='{"stage":"$(STAGE)","bus":"$(BUS)"}' $(BIN)/python -m infra_cdk

localstack-up:
	docker compose -f localstack/docker-compose.yml up -d --wait

localstack-deploy: $(STAMP)
	localstack/deploy.sh

clean:
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache cdk.out web/dist web/node_modules
