#!/usr/bin/env bash
# The demo: from a fresh machine to a human reading the registry, then a deploy, a second deploy and a
# rollback on this machine (the `web` group of ansible/inventory/local.yml). Every step is a Task target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
source scripts/env.sh
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step task registry:up
step task sample:publish
step task application:overview
# The two newest SHA tags, from overview's JSON (scripts read --json, never the table).
mapfile -t tags < <(node dist/cli/pinroll.cjs overview --json | node -e '
  let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () =>
    JSON.parse(s).tags.filter((t) => t.immutable).slice(0, 2).forEach((t) => console.log(t.tag)));')
step task deploy TAG="${tags[1]}"
step task deploy TAG="${tags[0]}"
step task application:overview
step task rollback -- --list
step task rollback N=2
step task version
printf '\nThe app answers on http://127.0.0.1:18080/: %s\n' "$(curl -s http://127.0.0.1:18080/)"
