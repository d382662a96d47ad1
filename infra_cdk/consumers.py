"""The consumer functions, each subscribed to its events on the chosen backbone."""

from __future__ import annotations

from typing import Protocol

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk.eventbridge import Subscribed
from infra_cdk.functions import Platform, deploy_function
from infra_cdk.inventory import FunctionSpec
from infra_cdk.settings import CONSUMER_TIMEOUT

CONSUMER_MEMORY_MB = 512


class Backbone(Protocol):
    def subscribe(
        self, scope: Construct, spec: FunctionSpec, function: lambda_.Function, timeout: Duration
    ) -> Subscribed: ...


class Consumers(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, platform: Platform, backbone: Backbone, specs: list[FunctionSpec]
    ) -> None:
        super().__init__(scope, construct_id)
        self.subscribed: list[Subscribed] = []
        for spec in specs:
            function = deploy_function(self, spec, platform, memory_mb=CONSUMER_MEMORY_MB, timeout=CONSUMER_TIMEOUT)
            self.subscribed.append(backbone.subscribe(self, spec, function, CONSUMER_TIMEOUT))
