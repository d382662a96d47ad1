"""The code assets: the `functions/` package (every function's code), the layer (the `cryptotalks` package with
the project's dependencies) and, on Kafka, the topic-creating custom resource. On LocalStack, whose community
edition does not apply layers, one lean self-contained asset holds the functions, the package and the
dependencies its target uses (no boto3: LocalStack's runtime has one; no Kafka client on EventBridge). Beside
them, the web client's built files (`make web`, which runs npm), deployed to the site's bucket.

Bundling runs without Docker: pip downloads the wheels built for Lambda's platform
(`--platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64 --only-binary=:all:`) into the asset
folder. CDK keeps the result in `cdk.out/asset.<hash>`, the hash covering the asset's sources (for the layer:
pyproject.toml and layers/), so a synth that changes neither reuses it. Tests skip bundling with CDK's own
switch (context `aws:cdk:bundling-stacks` = []), which needs no network.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3_deployment as s3deploy

from infra_cdk.settings import PYTHON_VERSION

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
# What the client's build is not made from (the packages, earlier builds, the browser tests).
_WEB_NOT_SOURCES = ["node_modules", "dist", "e2e", "*.tsbuildinfo"]
RUNTIME = lambda_.Runtime.PYTHON_3_12
assert RUNTIME.name == f"python{PYTHON_VERSION}"
# Wheels for glibc 2.28 and older; pip picks, per package, the newest release with such a wheel.
_PIP_PLATFORMS = {
    "arm64": ["manylinux_2_28_aarch64", "manylinux2014_aarch64"],
    "x86_64": ["manylinux_2_28_x86_64", "manylinux2014_x86_64"],
}
_NO_BYTECODE = ["**/__pycache__", "**/*.pyc"]
# Left out of the project's own code copied into an asset.
_NOT_SHIPPED = ("__pycache__", "*.pyc", "tests")
# In every Lambda Python runtime (and LocalStack's): the lean LocalStack asset does without them.
PROVIDED_BY_THE_RUNTIME = ("boto3", "botocore", "s3transfer")


def layer_requirements() -> list[str]:
    """The `[project].dependencies` of pyproject.toml: what the functions import at run time. boto3 is in
    Lambda's runtime too; the layer ships the pinned one so boto3 and the botocore that aws-xray-sdk pulls in
    always match."""
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


def requirement_name(requirement: str) -> str:
    """`confluent-kafka>=2.6,<3  # …` → `confluent-kafka`."""
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]


def pip_command(
    requirements: list[str], target: str, architecture: lambda_.Architecture, python_version: str = PYTHON_VERSION
) -> list[str]:
    return [
        "pip",
        "install",
        "--quiet",
        "--no-compile",
        *(option for platform in _PIP_PLATFORMS[architecture.name] for option in ("--platform", platform)),
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        python_version,
        "--target",
        target,
        *requirements,
    ]


@jsii.implements(ILocalBundling)
class LocalPipBundling:
    """Installs `requirements` (wheels for `architecture` and `python_version`) into `<asset>/<into>` and copies
    the project's own code beside them: `copies` maps a name in the asset to a path inside the asset's `source`
    folder. `omit` names distributions pulled in as dependencies that the asset leaves out (the runtime has them);
    `byte_code` False ships sources only."""

    def __init__(
        self,
        requirements: list[str],
        into: str,
        source: Path,
        copies: dict[str, str],
        architecture: lambda_.Architecture,
        python_version: str = PYTHON_VERSION,
        omit: tuple[str, ...] = (),
        byte_code: bool = True,
    ) -> None:
        self.requirements = requirements
        self.into = into
        self.source = source
        self.copies = copies
        self.architecture = architecture
        self.python_version = python_version
        self.omit = omit
        self.byte_code = byte_code

    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        # jsii passes the bundling options positionally, though its stub declares them as keywords.
        site = Path(output_dir) / self.into
        pip = pip_command(self.requirements, str(site), self.architecture, self.python_version)
        subprocess.run([sys.executable, "-m", *pip], check=True)  # noqa: S603 (a fixed command; our requirements)
        for distribution in self.omit:
            _uninstall(site, distribution)
        for name, relative in self.copies.items():
            path = self.source / relative
            if path.is_dir():
                shutil.copytree(path, site / name, ignore=shutil.ignore_patterns(*_NOT_SHIPPED))
            else:
                shutil.copy2(path, site / name)
        if self.byte_code:
            _compile(site, self.python_version)
        return True

    def code(self, exclude: list[str]) -> lambda_.Code:
        """The asset: `source` without `exclude` is what its hash covers; this bundling builds it."""
        return lambda_.Code.from_asset(
            str(self.source),
            exclude=[*exclude, *_NO_BYTECODE],
            bundling=BundlingOptions(
                image=DockerImage.from_registry(f"public.ecr.aws/sam/build-python{self.python_version}"),
                command=self._docker_command(),
                local=self,
            ),
        )

    def _docker_command(self) -> list[str]:
        """The same in the SAM build image, for CDK's Docker fallback (CDK requires one; it is not used here)."""
        pip = pip_command(self.requirements, f"/asset-output/{self.into}", self.architecture, self.python_version)
        copies = "".join(
            f" && cp -r /asset-input/{relative} /asset-output/{self.into}/{name}"
            for name, relative in self.copies.items()
        )
        folder = f"/asset-output/{self.into}"
        uninstall = "".join(f" && rm -rf {folder}/{name} {folder}/{name}-*.dist-info" for name in self.omit)
        return ["bash", "-c", shlex.join(pip) + uninstall + copies]


def _uninstall(site: Path, distribution: str) -> None:
    """Removes an installed distribution's files (those its RECORD lists) from a `pip --target` folder."""
    normalized = re.sub(r"[-_.]+", "_", distribution).lower()
    for info in site.glob("*.dist-info"):
        if re.sub(r"[-_.]+", "_", info.name.split("-", 1)[0]).lower() != normalized:  # name-version.dist-info
            continue
        for row in (info / "RECORD").read_text().splitlines():
            path = site / row.split(",", 1)[0]
            if path.is_file():
                path.unlink()
        shutil.rmtree(info, ignore_errors=True)
    for folder in sorted((p for p in site.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _compile(site: Path, python_version: str) -> None:
    """Lambda's file system is read-only, so byte code must ship in the asset or it is compiled again on every
    cold start. It takes the runtime's Python: `python3.12` from the PATH, else the asset ships without it.
    Unchecked-hash .pyc files stay valid whatever timestamps the zip gives the sources."""
    python = _runtime_python(python_version)
    if python is None:
        print(f"no working python{python_version} on PATH: the asset ships without byte code", file=sys.stderr)
        return
    compile_all = [python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(site)]
    subprocess.run(compile_all, check=True)  # noqa: S603 (a fixed command)


def _runtime_python(python_version: str) -> str | None:
    """`python3.12` if it is on the PATH and runs (a pyenv shim of an inactive version does not)."""
    python = shutil.which(f"python{python_version}")
    if python is None:
        return None
    answer = subprocess.run(  # noqa: S603 (a fixed command)
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
    )
    return python if answer.returncode == 0 and answer.stdout.strip() == python_version else None


def _only(paths: list[str]) -> list[str]:
    """Exclude patterns that keep only `paths` (folders or files at the repository's root)."""
    return ["*", *(f"!{path}" for path in paths), *(f"!{path}/**" for path in paths)]


def layer_code(architecture: lambda_.Architecture) -> lambda_.Code:
    """pyproject.toml and layers/ are the source: a change to either rebuilds the layer."""
    bundling = LocalPipBundling(
        layer_requirements(), "python", ROOT, {"cryptotalks": "layers/cryptotalks"}, architecture
    )
    return bundling.code(_only(["pyproject.toml", "layers"]))


def function_code() -> lambda_.Code:
    """The `functions` package, at the root of the zip so handlers are `functions.api.user.sign_up.handler`."""
    return lambda_.Code.from_asset(str(ROOT), exclude=[*_only(["functions"]), *_NO_BYTECODE])


def self_contained_code(
    architecture: lambda_.Architecture, python_version: str, leave_out: tuple[str, ...]
) -> lambda_.Code:
    """The functions, the cryptotalks package and the dependencies in one asset, for LocalStack, whose
    community edition applies no layers and so unpacks this asset once per function: lean, then. No byte code
    (LocalStack writes it on first import), no boto3 and botocore (LocalStack's runtime has them, and in host
    mode its own already-imported copies win anyway), nor the requirements in `leave_out`."""
    requirements = [r for r in layer_requirements() if requirement_name(r) not in leave_out]
    bundling = LocalPipBundling(
        requirements,
        ".",
        ROOT,
        {"cryptotalks": "layers/cryptotalks", "functions": "functions"},
        architecture,
        python_version,
        omit=PROVIDED_BY_THE_RUNTIME,
        byte_code=False,
    )
    return bundling.code(_only(["pyproject.toml", "layers", "functions"]))


@jsii.implements(ILocalBundling)
class LocalWebBuild:
    """The web client as `make web` builds it (packages from the lock file, then Vite), copied into the asset."""

    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        make = shutil.which("make")
        if make is None or shutil.which("npm") is None:
            raise RuntimeError("the web client is built with make and npm (Node 20.19+): install them first")
        subprocess.run([make, "--no-print-directory", "-C", str(ROOT), "web"], check=True)  # noqa: S603
        shutil.copytree(WEB / "dist", output_dir, dirs_exist_ok=True)
        return True


def web_client_files() -> s3deploy.ISource:
    """web/ without its packages and builds is what the hash covers: an unchanged client is not built again."""
    return s3deploy.Source.asset(
        str(WEB),
        exclude=_WEB_NOT_SOURCES,
        bundling=BundlingOptions(
            image=DockerImage.from_registry("public.ecr.aws/docker/library/node:20"),
            command=["bash", "-c", "npm ci && npm run build -- --outDir /asset-output --emptyOutDir"],
            local=LocalWebBuild(),
        ),
    )
