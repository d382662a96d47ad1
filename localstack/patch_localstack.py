"""The two changes `make localstack-smoke` makes to LocalStack 1.4.0 after installing it.

1. With `LAMBDA_EXECUTOR=local`, each invocation forks LocalStack's process, loads the handler's module in the child
and then removes from `sys.modules` every module that loading imported (meant to keep one function's modules
from another's, which the fork already does: the child ends with the call). The handler then runs with its own
package gone from `sys.modules`, so an import made during the call (Powertools imports parts of its OpenAPI
validation lazily) loads a second copy of a module, whose classes are not the first copy's:
`AssertionError: Path parameters must be of type Path`. The patch keeps the modules for the call.

2. S3 (1.4's default, moto-based provider) answers with the Date and Server headers of the server behind it, and
the edge server (hypercorn) adds its own: two Date headers, which the CDK CLI's SDK reads as one invalid date,
failing every asset upload with `RangeError: Invalid time value`. (1.4's newer S3 provider, `PROVIDER_OVERRIDE_S3=v2`,
answers one Date but breaks CloudFormation's buckets: GetBucketLocation fails.) The patch leaves those two headers
to hypercorn.

    python localstack/patch_localstack.py <LocalStack's site-packages>
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Patch:
    path: str  # relative to site-packages
    original: str
    patched: str


KEEP_THE_HANDLERS_MODULES = Patch(
    "localstack/services/awslambda/lambda_api.py",
    """                post_sys_modules_keys = set(exec_sys.modules.keys())
                for key in post_sys_modules_keys:
                    if key not in pre_sys_modules_keys:
                        exec_sys.modules.pop(key)
""",
    """                # cryptotalks: the modules stay for the call (localstack/patch_localstack.py); this runs in
                # the invocation's own forked process, which ends with it.
""",
)
ONE_DATE_HEADER = Patch(
    "localstack/http/asgi.py",
    """                    "headers": [(h[0].encode("latin1"), h[1].encode("latin1")) for h in headers],
""",
    """                    # cryptotalks: hypercorn adds Date and Server (localstack/patch_localstack.py)
                    "headers": [
                        (h[0].encode("latin1"), h[1].encode("latin1"))
                        for h in headers
                        if h[0].lower() not in ("date", "server")
                    ],
""",
)
PATCHES = (KEEP_THE_HANDLERS_MODULES, ONE_DATE_HEADER)


def apply(site_packages: Path, patches: tuple[Patch, ...] = PATCHES) -> list[str]:
    """Applies each patch once; returns what it changed. Refuses a file that holds neither version."""
    changed = []
    for patch in patches:
        target = site_packages / patch.path
        text = target.read_text()
        if patch.patched in text:
            continue
        if text.count(patch.original) != 1:
            raise RuntimeError(f"{target}: not the LocalStack 1.4.0 code this patch is for")
        target.write_text(text.replace(patch.original, patch.patched))
        changed.append(patch.path)
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_packages", type=Path)
    for path in apply(parser.parse_args().site_packages):
        print(f"patched {path}")


if __name__ == "__main__":
    main()
