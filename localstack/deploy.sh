#!/bin/bash
# Deploys the stack to the compose file's LocalStack with cdklocal (npm's aws-cdk-local around aws-cdk):
# bootstrap once, then deploy with the LocalStack settings (`-c target=localstack`). Extra arguments go to
# `cdklocal deploy`, e.g. `localstack/deploy.sh -c stage=dev`.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck source=localstack/cdklocal.env
. localstack/cdklocal.env
set +a
CDKLOCAL=(npx --yes --package aws-cdk-local@3 --package aws-cdk@2 cdklocal)

until curl -sf "$AWS_ENDPOINT_URL/_localstack/health" >/dev/null; do
  echo "waiting for LocalStack on $AWS_ENDPOINT_URL (make localstack-up)…"
  sleep 2
done
"${CDKLOCAL[@]}" bootstrap "aws://$CDK_DEFAULT_ACCOUNT/$CDK_DEFAULT_REGION"
"${CDKLOCAL[@]}" deploy --all --require-approval never -c target=localstack "$@"
