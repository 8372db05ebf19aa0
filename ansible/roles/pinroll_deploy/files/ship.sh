#!/bin/sh
# ship.sh DIR COMPOSE_B64 OVERRIDE_B64 — back up the live files to DIR/.pinroll/previous, then write the new
# compose file and override atomically (temp file + rename).
set -e
dir=$1
mkdir -p "$dir/.pinroll/previous" "$dir/.pinroll/history"
for f in docker-compose.yml docker-compose.override.yml deploy-info.yml; do
  if [ -e "$dir/$f" ]; then cp -p "$dir/$f" "$dir/.pinroll/previous/$f"; else rm -f "$dir/.pinroll/previous/$f"; fi
done
echo "$2" | base64 -d > "$dir/.docker-compose.yml.new" && mv "$dir/.docker-compose.yml.new" "$dir/docker-compose.yml"
echo "$3" | base64 -d > "$dir/.docker-compose.override.yml.new" && mv "$dir/.docker-compose.override.yml.new" "$dir/docker-compose.override.yml"
