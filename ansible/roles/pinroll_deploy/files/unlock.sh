#!/bin/sh
# unlock.sh STATE_DIR OWNER_B64 — release the deploy lock, only when this run holds it (UNLOCKED then, for changed_when).
if [ "$(cat "$1/lock/owner" 2>/dev/null)" = "$(echo "$2" | base64 -d)" ]; then rm -rf "$1/lock" && echo UNLOCKED; fi
