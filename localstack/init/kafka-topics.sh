#!/bin/bash
# One-shot init of the compose file's Kafka broker: the topics of `cryptotalks dev --bus kafka`, one per
# context, as the CDK stack creates them on MSK (infra_cdk/kafka.py; tests/infra checks the list matches).
set -euo pipefail
BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-kafka:19092}"
for context in audit auth crypto notices posts users; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "cryptotalks.${context}" --partitions 6 --replication-factor 1
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --list
