#!/bin/sh
# health.sh URL TIMEOUT_S — poll URL once a second until it answers 2xx/3xx, with curl, wget or python3.
url=$1
deadline=$(($(date +%s) + $2))
check() {
  if command -v curl >/dev/null 2>&1; then
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url") || code=000
    [ "$code" -ge 200 ] && [ "$code" -lt 400 ]
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 5 -O /dev/null "$url"
  else
    python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$url" 2>/dev/null
  fi
}
while :; do
  if check; then echo "healthy: $url"; exit 0; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "not healthy after $2 s: $url"; exit 1; fi
  sleep 1
done
