"""Secrets Manager secrets the functions read through Powertools parameters (`<NAME>_SECRET_ARN`, cached by
`cryptotalks.config`). The JWT key is generated at deploy; the third-party keys start as generated placeholders
that the operator replaces (infra_cdk/README.md)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra_cdk import nag
from infra_cdk.settings import DeploySettings

JWT_SECRET = "JWT_SECRET"
SENDGRID_API_KEY = "SENDGRID_API_KEY"
TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN"
COINRANKING_API_KEY = "COINRANKING_API_KEY"

DESCRIPTIONS = {
    JWT_SECRET: "The key that signs access and refresh tokens (generated at deploy)",
    SENDGRID_API_KEY: "SendGrid API key for account emails (replace the generated placeholder)",
    TWILIO_AUTH_TOKEN: "Twilio auth token for SMS codes (replace the generated placeholder)",
    COINRANKING_API_KEY: "Coinranking API key for the coin sync (replace the generated placeholder)",
}


GENERATED = secretsmanager.SecretStringGenerator(password_length=64, exclude_punctuation=True)


def stage_secret(
    scope: Construct, construct_id: str, settings: DeploySettings, name: str, description: str, **value: Any
) -> secretsmanager.Secret:
    """A secret named `<prefix>/<name>`, kept or deleted with the stage; `value`: how it is made (generated
    unless given)."""
    return secretsmanager.Secret(
        scope,
        construct_id,
        secret_name=f"{settings.prefix}/{name}",
        description=description,
        removal_policy=settings.profile.removal_policy,
        **(value or {"generate_secret_string": GENERATED}),
    )


class AppSecrets(Construct):
    def __init__(self, scope: Construct, construct_id: str, settings: DeploySettings) -> None:
        super().__init__(scope, construct_id)
        self.by_setting: dict[str, secretsmanager.Secret] = {}
        for setting, description in DESCRIPTIONS.items():
            name = setting.lower().replace("_", "-")
            secret = stage_secret(self, setting.title().replace("_", ""), settings, name, description)
            self.by_setting[setting] = secret
        nag.acknowledge(
            self,
            "AwsSolutions-SMG4",
            "These are a signing key and third-party API keys: none can be rotated by a Secrets Manager function"
            " without the provider's side; the README gives the rotation procedure (a new JWT key signs every"
            " session out).",
        )

    def grant(self, settings_names: list[str], role: iam.IRole) -> dict[str, str]:
        """Lets `role` read these secrets; returns the environment that tells the function where they are."""
        environment = {}
        for name in settings_names:
            secret = self.by_setting[name]
            secret.grant_read(role)
            environment[f"{name}_SECRET_ARN"] = secret.secret_arn
        return environment
