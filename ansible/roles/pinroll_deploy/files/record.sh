#!/bin/sh
# record.sh DIR HISTORY_NAME LIMIT DEPLOY_INFO_B64 — the release is live: write deploy-info.yml, append it to the
# history, keep the newest LIMIT entries. Each write is atomic.
set -e
dir=$1
echo "$4" | base64 -d > "$dir/.deploy-info.yml.new" && mv "$dir/.deploy-info.yml.new" "$dir/deploy-info.yml"
cp "$dir/deploy-info.yml" "$dir/.pinroll/history/.$2.new" && mv "$dir/.pinroll/history/.$2.new" "$dir/.pinroll/history/$2"
cd "$dir/.pinroll/history"
ls -1 | grep '\.yml$' | sort -r | tail -n +"$(($3 + 1))" | while read -r f; do rm -f -- "$f"; done
