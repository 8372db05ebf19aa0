#!/usr/bin/env bash
# Every test pinroll has: setup (idempotent), types, lint, format, the Ansible role (ansible-lint, each playbook's
# --syntax-check), then vitest (unit + integration against the real tools).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
npm run --silent build
npx eslint .
npx prettier --check .
(cd ansible && ansible-lint --offline --strict . && for p in *.yml; do ANSIBLE_CONFIG=ansible.cfg ansible-playbook --syntax-check -i localhost, -e pinroll_hosts=all "$p"; done)
npx vitest run "$@"
