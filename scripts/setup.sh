#!/usr/bin/env bash
# pinroll setup: installs only what is missing, at pinned versions, and says what it does.
# Safe to run again: a second run checks and returns in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

CRANE_VERSION=v0.21.9
TASK_VERSION=v3.53.1
REGISTRY_VERSION=v3.1.1
COMPOSE_VERSION=v2.40.3
COSIGN_VERSION=v2.6.5
ANSIBLE_SPEC='ansible>=12,<13'
ANSIBLE_LINT_VERSION=26.10.1 # runs with ansible-core 2.19 on Python 3.11 (ansible-lint's newest need 3.12)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
have_version() { # have_version BINARY EXPECTED -- true when BINARY prints EXPECTED in its version
  [ -x "$1" ] && "$1" "${@:3}" 2>/dev/null | grep -q -- "${2#v}"
}

mkdir -p "$PINROLL_TOOLS_BIN"

# --- Debian packages -------------------------------------------------------
apt_missing=()
command -v dockerd >/dev/null || apt_missing+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || apt_missing+=(busybox-static)
command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || apt_missing+=(openssh-server)
command -v tmux >/dev/null || apt_missing+=(tmux)
command -v ip >/dev/null || apt_missing+=(iproute2)
command -v htpasswd >/dev/null || apt_missing+=(apache2-utils)
command -v openssl >/dev/null || apt_missing+=(openssl)
# The dashboard's browser tests (issue 13) drive Debian's chromium headless; fonts so the page has text to see.
command -v chromium >/dev/null || apt_missing+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || apt_missing+=(fonts-dejavu-core)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# --- Go tools (crane, task, registry, cosign) ----------------------------------------
go_tool() { # go_tool NAME VERSION MODULE_PATH VERSION_ARGS...
  local name=$1 version=$2 module=$3
  shift 3
  if have_version "$PINROLL_TOOLS_BIN/$name" "$version" "$@"; then return; fi
  say "go install $module@$version"
  GOBIN="$PINROLL_TOOLS_BIN" GOFLAGS=-trimpath go install "$module@$version"
}
go_tool crane "$CRANE_VERSION" github.com/google/go-containerregistry/cmd/crane version
go_tool task "$TASK_VERSION" github.com/go-task/task/v3/cmd/task --version
go_tool registry "$REGISTRY_VERSION" github.com/distribution/distribution/v3/cmd/registry --version
# cosign signs and verifies releases (issue 12); its build takes about 5 minutes once
go_tool cosign "$COSIGN_VERSION" github.com/sigstore/cosign/v2/cmd/cosign version

# --- Docker Compose v2: go install refuses its go.mod (exclude lines), so build from the module source
COMPOSE_BIN="$HOME/.docker/cli-plugins/docker-compose"
if ! have_version "$COMPOSE_BIN" "$COMPOSE_VERSION" version; then
  say "building docker compose $COMPOSE_VERSION from module source (takes a few minutes once)"
  dir=$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  work=$(mktemp -d)
  cp -r "$dir/." "$work/"
  chmod -R u+w "$work"
  mkdir -p "$(dirname "$COMPOSE_BIN")"
  (cd "$work" && CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
    -o "$COMPOSE_BIN.tmp" ./cmd)
  mv "$COMPOSE_BIN.tmp" "$COMPOSE_BIN"
  rm -rf "$work"
fi

# --- Docker Engine: start dockerd when none answers ---------------------------
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $PINROLL_TOOLS_BIN/../dockerd.log)"
  setsid nohup dockerd >"$PINROLL_TOOLS_BIN/../dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "setup: dockerd did not start, see $PINROLL_TOOLS_BIN/../dockerd.log" >&2; exit 1; }
fi

# --- Ansible in a project-local virtualenv ------------------------------------
if ! "$ROOT/.venv/bin/ansible-doc" community.docker.docker_compose_v2 >/dev/null 2>&1; then
  say "pip install '$ANSIBLE_SPEC' into .venv"
  [ -x "$ROOT/.venv/bin/python" ] || python3 -m venv "$ROOT/.venv"
  "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check "$ANSIBLE_SPEC"
fi
if [ "$("$ROOT/.venv/bin/ansible-lint" --version 2>/dev/null | awk 'NR==1{print $2}')" != "$ANSIBLE_LINT_VERSION" ]; then
  say "pip install ansible-lint==$ANSIBLE_LINT_VERSION into .venv"
  "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check "ansible-lint==$ANSIBLE_LINT_VERSION" "$ANSIBLE_SPEC"
fi

# --- Node dependencies and the compiled CLI ------------------------------------
if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  say "npm ci"
  # This machine's npm registry lacks some optional platform packages (e.g. rollup's android builds), so npm
  # cannot record them in the lock and `npm ci` refuses it; `npm install --no-save` installs the same versions.
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error 2>/dev/null) || {
    say "npm ci refused the lock file; npm install --no-save (same locked versions)"
    (cd "$ROOT" && npm install --no-save --no-audit --no-fund --loglevel=error)
  }
  touch "$ROOT/node_modules/.package-lock.json"
fi
# the bundle too: `pinroll` on PATH (bin/pinroll, after `source scripts/env.sh`) runs it
if [ ! -f "$ROOT/dist/.tsbuildinfo" ] || [ ! -f "$ROOT/dist/cli/pinroll.cjs" ] || [ -n "$(find "$ROOT/src" "$ROOT/scripts" -name '*.ts' -newer "$ROOT/dist/.tsbuildinfo" -print -quit)" ]; then
  say "compiling TypeScript"
  (cd "$ROOT" && npm run --silent build)
fi

say "ready: crane $("$PINROLL_TOOLS_BIN/crane" version), cosign $COSIGN_VERSION, task $("$PINROLL_TOOLS_BIN/task" --version | awk '{print $NF}'), compose $("$COMPOSE_BIN" version --short), docker engine $(docker version --format '{{.Server.Version}}')"
