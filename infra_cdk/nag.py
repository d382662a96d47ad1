"""cdk-nag: the AWS Solutions checks run as a policy-validation plugin, so an unacknowledged finding fails the
synth. Every acknowledgement names the finding it covers and why it is accepted."""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Aws, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

# Findings of constructs that CDK itself adds (custom resource providers), acknowledged where they appear.
LAMBDA_BASIC_ROLE = "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
LAMBDA_VPC_ROLE = "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"


_PSEUDO_PARAMETERS = {
    "partition": (Aws.PARTITION, "<AWS::Partition>"),
    "region": (Aws.REGION, "<AWS::Region>"),
    "account": (Aws.ACCOUNT_ID, "<AWS::AccountId>"),
}


def arn(template: str) -> tuple[str, str]:
    """An ARN from a template with `{partition}`, `{region}` and `{account}`: its value for the template, and
    the way cdk-nag spells it in a finding (the same in the parent stack and in nested ones)."""
    value = template.format(**{name: token for name, (token, _) in _PSEUDO_PARAMETERS.items()})
    spelled = template.format(**{name: spelling for name, (_, spelling) in _PSEUDO_PARAMETERS.items()})
    return value, spelled


def check(app: App) -> None:
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def acknowledge(scope: IConstruct, rule: str, reason: str, *findings: str) -> None:
    """Accept `rule` on `scope` and everything under it; `findings` narrow it to parts of the rule
    (IAM4's `Policy::…`, IAM5's `Action::…` / `Resource::…`)."""
    ids = [f"{rule}[{finding}]" for finding in findings] or [rule]
    Validations.of(scope).acknowledge(*(Acknowledgment(id=i, reason=reason) for i in ids))
