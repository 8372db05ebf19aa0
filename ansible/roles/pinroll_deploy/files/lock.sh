#!/bin/sh
# lock.sh STATE_DIR OWNER_B64 [PAUSES] — take the app's deploy lock (mkdir is atomic); print LOCKED, or HELD <owner>.
# PAUSES: PINROLL_PAUSE's fault injection for tests ("lock:S" holds the lock S seconds before the run goes on).
set -e
[ -d "$1" ] || mkdir -p "$1"
if mkdir "$1/lock" 2>/dev/null; then
  echo "$2" | base64 -d > "$1/lock/owner"
  echo LOCKED
  case ",${3:-}," in *",lock:"*) s=${3#*lock:}; sleep "${s%%,*}" ;; esac
else
  printf 'HELD %s\n' "$(cat "$1/lock/owner" 2>/dev/null || echo unknown)"
fi
