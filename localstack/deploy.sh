#!/bin/bash
# Deploys the stack to the compose file's LocalStack (current LocalStack, in Docker, with an auth token) with
# cdklocal (npm's aws-cdk-local around the CDK CLI, both pinned as in localstack/smoke.py): bootstrap, deploy with
# the LocalStack settings (`-c target=localstack`), then the migrations and a first coin sync
# (localstack/run_jobs.py). Extra arguments go to `cdklocal deploy`, e.g. `localstack/deploy.sh -c stage=dev`.
# Untested here (no Docker on the machine it was written on): `make localstack-smoke` proves the same stack on
# LocalStack 1.4 in host mode.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck source=localstack/cdklocal.env
. localstack/cdklocal.env
set +a
CDKLOCAL=(npx --yes --package aws-cdk-local@3.0.4 --package aws-cdk@2.1148.1 cdklocal)

until curl -sf "$AWS_ENDPOINT_URL/_localstack/health" >/dev/null; do
  echo "waiting for LocalStack on $AWS_ENDPOINT_URL (make localstack-up)…"
  sleep 2
done
"${CDKLOCAL[@]}" bootstrap "aws://$CDK_DEFAULT_ACCOUNT/$CDK_DEFAULT_REGION"
"${CDKLOCAL[@]}" deploy --all --require-approval never -c target=localstack "$@"
.venv/bin/python localstack/run_jobs.py
