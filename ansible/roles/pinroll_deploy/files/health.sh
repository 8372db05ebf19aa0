#!/bin/sh
# health.sh URL TIMEOUT_S — the healthcheck run on the controller (healthcheck.from: controller).
url=$1
deadline=$(($(date +%s) + $2))
while :; do
  if command -v curl >/dev/null 2>&1; then
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url") || code=000
    [ "$code" -ge 200 ] && [ "$code" -lt 400 ] && { echo "health: healthy: $url"; exit 0; }
  elif python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$url" 2>/dev/null; then
    echo "health: healthy: $url"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "health: not healthy after $2 s: $url"; exit 1; fi
  sleep 1
done
