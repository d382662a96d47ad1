"""A synthesised stage for the infra tests: the parent stack's template, its nested stacks' ones and, in prod,
the edge stack's (the site's web ACL in us-east-1)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_cdk import NestedStack, Stack
from aws_cdk.assertions import Template

from infra_cdk.app import build_app
from infra_cdk.stack import CryptotalksStack

NESTED = ("Api", "Consumers", "Jobs")


@dataclass
class Synthesis:
    """One stage as synthesised, its resources searchable across the parent and nested templates."""

    stack: CryptotalksStack
    outdir: Path
    templates: dict[str, Template] = field(default_factory=dict)  # "Parent", "Api", "Consumers", "Jobs", "Edge"

    def resources(self, resource_type: str, template: str | None = None) -> dict[str, dict[str, Any]]:
        """Resources of a type, by logical id, in one template or in all of them."""
        found: dict[str, dict[str, Any]] = {}
        for name, each in self.templates.items():
            if template in (None, name):
                found.update({i: dict(resource) for i, resource in each.find_resources(resource_type).items()})
        return found

    def python_functions(self) -> dict[str, dict[str, Any]]:
        """The project's functions (their handlers are in the `functions` package), by logical id."""
        return {
            logical_id: resource
            for logical_id, resource in self.resources("AWS::Lambda::Function").items()
            if resource["Properties"].get("Handler", "").startswith("functions.")
        }

    def validation_report(self) -> dict[str, Any]:
        return dict(json.loads((self.outdir / "validation-report.json").read_text()))


def synthesise(
    context: dict[str, str], outdir: Path, account: str | None = None, region: str | None = None
) -> Synthesis:
    app, stack = build_app({"aws:cdk:bundling-stacks": [], **context}, str(outdir), account, region)
    app.synth()  # raises on an unacknowledged cdk-nag finding
    synthesis = Synthesis(stack, outdir, {"Parent": Template.from_stack(stack)})
    for name in NESTED:
        nested = stack.node.find_child(name)
        assert isinstance(nested, NestedStack)
        synthesis.templates[name] = Template.from_stack(nested)
    edge = app.node.try_find_child(f"{stack.stack_name}-edge")
    if isinstance(edge, Stack):
        synthesis.templates["Edge"] = Template.from_stack(edge)
    return synthesis
