# lib.sh — functions the role prepends to apply.sh and restore.sh: atomic files, backup, compose, verify, unlock.
# No value is ever spliced into these scripts: every input arrives as "$1"... (issue 8: data, never code).
PINROLL_FILES="docker-compose.yml docker-compose.override.yml deploy-info.yml"

# put FILE: stdin to FILE atomically (temp file + rename).
put() { cat > "$1.pinroll-new" && mv -f "$1.pinroll-new" "$1"; }

# unpack VALUE STATE NAME: a base64 value, or "@" for the chunks staged in STATE/incoming/NAME.b64 (big files).
unpack() {
  if [ "$1" = "@" ]; then base64 -d < "$2/incoming/$3.b64"; else printf '%s' "$1" | base64 -d; fi
}

# backup DIR STATE RUN: the live files to STATE/previous, marked with the run that made the backup.
backup() {
  mkdir -p "$2/previous" "$2/history"
  for f in $PINROLL_FILES; do
    if [ -e "$1/$f" ]; then cp -p "$1/$f" "$2/previous/$f"; else rm -f "$2/previous/$f"; fi
  done
  printf '%s\n' "$3" > "$2/previous/.run"
}

# restore_files DIR STATE: the backed-up files back in place; a file that had no backup is removed.
restore_files() {
  for f in $PINROLL_FILES; do
    if [ -e "$2/previous/$f" ]; then
      cp -p "$2/previous/$f" "$1/.$f.restore" && mv -f "$1/.$f.restore" "$1/$f"
    else
      rm -f "$1/$f"
    fi
  done
}

# compose_up DIR PROJECT STATE WAIT_S: start what DIR's files say (override when there is one), then wait_up; the
# child's pid is kept in STATE/apply.child so an interrupted run can stop it.
compose_up() {
  if [ -e "$1/docker-compose.override.yml" ]; then
    docker compose --project-name "$2" --project-directory "$1" -f "$1/docker-compose.yml" -f "$1/docker-compose.override.yml" \
      up --detach --pull missing --remove-orphans 2>&1 &
  else
    docker compose --project-name "$2" --project-directory "$1" -f "$1/docker-compose.yml" \
      up --detach --pull missing --remove-orphans 2>&1 &
  fi
  echo $! > "$3/apply.child"
  wait $! && wait_up "$2" "$4"
}

# wait_up PROJECT WAIT_S: until every container of PROJECT runs, and is healthy where it has a healthcheck: what
# compose's --wait checks, polled every 0.1 s (compose polls every 0.5 s, half a second on every deploy). A container
# that exited or turned unhealthy fails at once; one still starting fails after WAIT_S seconds.
wait_up() {
  polls=0
  while :; do
    states=$(docker ps -a --filter "label=com.docker.compose.project=$1" --filter "label=com.docker.compose.oneoff=False" \
      --format '{{.Names}} {{.State}} {{.Status}}') || return 1
    verdict=$(printf '%s\n' "$states" | while read -r name state status; do
      [ -n "$name" ] || continue
      case "$state $status" in
        "running "*"(unhealthy)"*) echo "FAIL container $name is unhealthy" ;;
        "running "*"(health: starting)"*) echo "WAIT $name" ;;
        running*) ;;
        exited* | dead*) echo "FAIL container $name $status" ;;
        *) echo "WAIT $name" ;;
      esac
    done)
    failed=$(printf '%s\n' "$verdict" | sed -n 's/^FAIL //p' | head -n 1)
    if [ -n "$failed" ]; then echo "$failed"; return 1; fi
    pending=$(printf '%s\n' "$verdict" | sed -n 's/^WAIT //p' | tr '\n' ' ')
    [ -z "$pending" ] && return 0
    polls=$((polls + 1))
    if [ "$polls" -gt "$(($2 * 10))" ]; then echo "not running and healthy after $2 s: $pending"; return 1; fi
    sleep 0.1
  done
}

compose_down() { docker compose --project-name "$1" down --remove-orphans 2>&1; }

# put_back DIR STATE PROJECT WAIT_S: the backed-up files, then the containers they describe (none: stopped);
# prints RESTORED or RESTORE-FAILED for pinroll to read.
put_back() {
  restore_files "$1" "$2"
  if [ -e "$1/docker-compose.yml" ]; then
    if compose_up "$1" "$3" "$2" "$4" > "$2/restore.log"; then
      echo "RESTORED previous release put back"
    else
      echo "RESTORE-FAILED putting the previous release back failed too: $(tail -n 1 "$2/restore.log")"
    fi
  else
    compose_down "$3" > /dev/null
    echo "RESTORED nothing was live before, stopped"
  fi
}

# running_images PROJECT: one line per running container of the compose project, CONTAINER<TAB>SERVICE<TAB>IMAGE<TAB>
# REPO_DIGESTS (space-separated). The one reader of what runs (issue 10): verify below and pinroll's drift warnings
# over SSH (src/hosts/running.ts) both use it. Fails only when Docker cannot list the containers.
running_images() {
  ids=$(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$1") || return 1
  [ -n "$ids" ] || return 0
  # Three docker calls whatever the number of containers (issue 14): the list, one inspect of every container, one
  # of every image. A container gone since the listing is left out of the inspect (not running).
  t=$(printf '\t')
  containers=$(docker inspect -f "{{.Id}}$t{{index .Config.Labels \"com.docker.compose.service\"}}$t{{.Image}}" $ids 2>/dev/null)
  [ -n "$containers" ] || return 0
  images=$(printf '%s\n' "$containers" | cut -f3 | sort -u)
  repo_digests=$(docker image inspect -f "{{.Id}}$t{{range .RepoDigests}}{{.}} {{end}}" $images 2>/dev/null)
  printf '%s\n' "$containers" | while IFS="$t" read -r id svc image; do
    printf '%s\t%s\t%s\t%s\n' "$id" "$svc" "$image" "$(printf '%s\n' "$repo_digests" | sed -n "s|^$image$t||p" | head -n 1)"
  done
}

# on_digest REPO_DIGESTS DIGEST: whether one of the repo digests names DIGEST (ends in @DIGEST); the rule of
# runsDigest in src/hosts/running.ts, checked against it in test/unit/hosts/running.test.ts.
on_digest() {
  case " $1 " in *"@$2 "*) return 0 ;; *) return 1 ;; esac
}

# verify PROJECT SERVICE=DIGEST...: every running container of each pinned service runs an image whose
# RepoDigests include the pinned digest (seed 003: a compose no-op must never pass as a deploy).
verify() {
  project=$1
  shift
  verify_status=0
  running=$(running_images "$project")
  tab=$(printf '\t')
  for pair in "$@"; do
    svc=${pair%%=*}
    want=${pair#*=}
    found=0
    while IFS="$tab" read -r id s image digests; do
      [ "$s" = "$svc" ] || continue
      found=1
      if on_digest "$digests" "$want"; then
        echo "verify: $svc: $(echo "$id" | cut -c1-12) on $want"
      else
        echo "verify: $svc: container $(echo "$id" | cut -c1-12) runs $image, not $want"
        verify_status=1
      fi
    done <<EOF
$running
EOF
    if [ $found -eq 0 ]; then
      echo "verify: $svc: no running container in project $project"
      verify_status=1
    fi
  done
  return $verify_status
}

# unlock_ours STATE OWNER_B64: release the deploy lock, only when this run holds it.
unlock_ours() {
  # UNLOCKED tells Ansible's changed_when that the host changed even when nothing else was put back.
  if [ "$(cat "$1/lock/owner" 2>/dev/null)" = "$(printf '%s' "$2" | base64 -d)" ]; then rm -rf "$1/lock" && echo UNLOCKED; fi
}

# export_env NAME=VALUE...: the host's app_env for compose interpolation (names checked, values as given).
export_env() {
  for pair in "$@"; do
    case ${pair%%=*} in
      '' | [0-9]* | *[!A-Za-z0-9_]*) echo "bad environment variable name in app_env: ${pair%%=*}" >&2; return 2 ;;
    esac
    export "$pair"
  done
}

# pause_at PHASE PAUSES: fault-injection for tests (PINROLL_PAUSE=phase:seconds); nothing when empty.
pause_at() {
  case ",$2," in *",$1:"*) s=${2#*"$1":}; sleep "${s%%,*}" ;; esac
}
