#!/usr/bin/env bash
# The demo: from a fresh machine to a human reading the registry (issue 2), then a deploy and a rollback
# when the deploy commands exist. Every step is a Task target a user would run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step task registry:up
step task sample:publish
step task application:overview
