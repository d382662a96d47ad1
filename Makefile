# Quick start: `make dev` serves everything on http://127.0.0.1:3000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test lint schemas bench install clean synth localstack-up localstack-deploy localstack-smoke web web-test

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
	$(BIN)/lint-imports --no-cache

# The OpenAPI document from the endpoint declarations, then the web client's types from the document.
schemas: $(STAMP) web/node_modules/.package-lock.json
	$(BIN)/cryptotalks openapi
	cd web && npm run generate:api

# Every benchmark (bench/report.py finds them), its figures and the load average in docs/benchmarks.md. The posts
# benchmark loads 100,000 then 1,000,000 posts: allow an hour on 2 cores.
bench: $(STAMP)
	$(BIN)/python -m bench.report

# The CDK app (infra_cdk/README.md): `make synth STAGE=prod BUS=kafka` writes cdk.out, no Docker needed.
STAGE ?= dev
BUS ?= eventbridge
synth: $(STAMP)
	CDK_CONTEXT_JSON='{"stage":"$(STAGE)","bus":"$(BUS)"}' $(BIN)/python -m infra_cdk

# LocalStack with Docker (current LocalStack, LOCALSTACK_AUTH_TOKEN set): the compose file, then the stack on it.
localstack-up:
	docker compose -f localstack/docker-compose.yml up -d --wait

localstack-deploy: $(STAMP)
	localstack/deploy.sh

# Without Docker: LocalStack 1.4 in host mode, the stack deployed with cdklocal, the e2e tests against its API
# Gateway (localstack/smoke.py; needs PostgreSQL at DATABASE_URL, default 127.0.0.1:5432, and Node's npx).
localstack-smoke: $(STAMP)
	$(BIN)/python localstack/smoke.py

clean:
	rm -rf $(VENV) .local .localstack .pytest_cache .mypy_cache .ruff_cache cdk.out web/dist web/node_modules
