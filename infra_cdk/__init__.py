"""The CDK app that deploys Cryptotalks, derived from the declarations in `functions.registry`."""
