#!/bin/sh
# finish.sh (after health.sh) DIR STATE PROJECT HISTORY_NAME LIMIT DEPLOY_INFO_B64 OWNER_B64 HEALTH_URL HEALTH_TIMEOUT SERVICE=DIGEST...
# After compose up: verify, check health (when a URL is given), record the release, release the lock.
# One remote command instead of four tasks (issue 3 speed goal). No Go templates here: Ansible renders {{ }}.
set -u
dir=$1 state=$2 project=$3 name=$4 limit=$5 info=$6 owner=$7 url=$8 timeout=$9
shift 9

# 1. Every running container of each pinned service runs an image whose RepoDigests include the pinned digest
#    (seed 003: a compose no-op must never pass as a deploy).
status=0
for pair in "$@"; do
  svc=${pair%%=*}
  want=${pair#*=}
  ids=$(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$svc")
  if [ -z "$ids" ]; then
    echo "verify: $svc: no running container in project $project"
    status=1
    continue
  fi
  for id in $ids; do
    image=$(docker inspect "$id" | sed -n 's/^ *"Image": "\(sha256:[0-9a-f]*\)".*/\1/p' | head -n 1)
    if docker image inspect "$image" | grep -q "@$want\""; then
      echo "verify: $svc: $(echo "$id" | cut -c1-12) on $want"
    else
      echo "verify: $svc: container $(echo "$id" | cut -c1-12) runs $image, not $want"
      status=1
    fi
  done
done
[ $status -eq 0 ] || exit 1

# 2. The app's healthcheck (wait_healthy comes from health.sh, prepended by deploy.yml).
if [ -n "$url" ]; then wait_healthy "$url" "$timeout" || exit 1; fi

# 3. Live now: deploy-info.yml, the history entry, the newest LIMIT kept. Each write is atomic.
set -e
echo "$info" | base64 -d > "$dir/.deploy-info.yml.new" && mv "$dir/.deploy-info.yml.new" "$dir/deploy-info.yml"
cp "$dir/deploy-info.yml" "$state/history/.$name.new" && mv "$state/history/.$name.new" "$state/history/$name"
(cd "$state/history" && ls -1 | grep '\.yml$' | sort -r | tail -n +"$((limit + 1))" | while read -r f; do rm -f -- "$f"; done)

# 4. Release the lock (only ours).
if [ "$(cat "$state/lock/owner" 2>/dev/null)" = "$(echo "$owner" | base64 -d)" ]; then rm -rf "$state/lock"; fi
echo "recorded: $name"
