#!/usr/bin/env bash
# Regenerates samples/demo-out: the reports `ttusage demo` writes (the sandbox's numbers are fixed by its seed;
# the range is the last full calendar month, so the dates move once a month).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf samples/demo-out
swift run ttusage demo --out samples/demo-out
