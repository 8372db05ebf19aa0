#!/usr/bin/env bash
# Every test pinroll has: setup (idempotent), types, lint, format, then vitest (unit + integration against the real tools).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
npm run --silent build
npx eslint .
npx prettier --check .
npx vitest run "$@"
