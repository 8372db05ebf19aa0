#!/bin/sh
# lock.sh STATE_DIR OWNER_B64 — take the app's deploy lock (mkdir is atomic); print LOCKED, or HELD <owner>.
set -e
mkdir -p "$1"
if mkdir "$1/lock" 2>/dev/null; then
  echo "$2" | base64 -d > "$1/lock/owner"
  echo LOCKED
else
  printf 'HELD %s\n' "$(cat "$1/lock/owner" 2>/dev/null || echo unknown)"
fi
