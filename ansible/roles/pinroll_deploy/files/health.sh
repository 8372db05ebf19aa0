# wait_healthy URL TIMEOUT_S — the app's healthcheck: poll URL once a second until it answers 2xx/3xx, with
# curl, wget or python3. A function only: deploy.yml prepends it to finish.sh (on the host) or calls it alone
# (on the controller, healthcheck.from: controller).
wait_healthy() {
  deadline=$(($(date +%s) + $2))
  while :; do
    if command -v curl >/dev/null 2>&1; then
      code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1") || code=000
      [ "$code" -ge 200 ] && [ "$code" -lt 400 ] && break
    elif command -v wget >/dev/null 2>&1; then
      wget -q -T 5 -O /dev/null "$1" && break
    elif python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$1" 2>/dev/null; then
      break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "health: not healthy after $2 s: $1"
      return 1
    fi
    sleep 1
  done
  echo "health: healthy: $1"
}
