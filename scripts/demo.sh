#!/usr/bin/env bash
# The demo: setup (idempotent, compiles), then the steps in scripts/demo.ts (a zx script).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
node dist/scripts/demo.js
