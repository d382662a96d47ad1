"""`python -m infra_cdk` (the app entry of cdk.json) writes the cloud assembly to cdk.out."""

import os

# Node 20 is what this machine has; jsii would print a banner about its end of life on every synth.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from infra_cdk.app import main

main()
