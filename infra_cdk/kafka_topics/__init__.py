"""The custom resource that creates the Kafka topics on MSK Serverless."""
