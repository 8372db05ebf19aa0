# lib.sh — functions the role prepends to apply.sh and restore.sh: atomic files, backup, compose, verify, unlock.
# No value is ever spliced into these scripts: every input arrives as "$1"... (issue 8: data, never code).
PINROLL_FILES="docker-compose.yml docker-compose.override.yml deploy-info.yml"
# the field separator of running_images' lines (and wait_up's listing, which has their form)
PINROLL_TAB=$(printf '\t')

# unpack VALUE STATE NAME: a base64 value, or "@" for the chunks staged in STATE/incoming/NAME.b64 (big files).
unpack() {
  if [ "$1" = "@" ]; then base64 -d < "$2/incoming/$3.b64"; else printf '%s' "$1" | base64 -d; fi
}

# clear_run STATE [incoming]: a run's scratch files gone (what it is doing, its pids, compose's output), and with
# "incoming" its staged chunks too; one rm, as apply.sh's end, its failure and restore.sh each need.
clear_run() { rm -rf "$1/inflight" "$1/apply.pid" "$1/apply.child" "$1/up.log" ${2:+"$1/$2"}; }

# put VALUE STATE NAME FILE: unpack's output to FILE atomically (temp file + rename).
put() { unpack "$1" "$2" "$3" > "$4.pinroll-new" && mv -f "$4.pinroll-new" "$4"; }

# backup DIR STATE RUN: the live files to STATE/previous (apply.sh has made it, with its other directories in one
# mkdir), marked with the run that made the backup. One cp for the files there are (each tool run is a process on
# every host and deploy, issue 14).
backup() {
  backup_from=$1 backup_to=$2/previous backup_run=$3
  set --
  for f in $PINROLL_FILES; do
    if [ -e "$backup_from/$f" ]; then set -- "$@" "$backup_from/$f"; else rm -f "$backup_to/$f"; fi
  done
  if [ $# -gt 0 ]; then cp -p "$@" "$backup_to/"; fi
  printf '%s\n' "$backup_run" > "$backup_to/.run"
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

# compose_exec ARGS...: `docker compose ARGS` in place of the calling (sub)shell, so a pid taken of it is compose's
# own. Where Docker's CLI would find the compose plugin, the plugin runs by itself: through the CLI it runs twice per
# call (once for its metadata), some 50 ms of CPU on every host and deploy (issue 14).
compose_exec() {
  for d in "${DOCKER_CONFIG:-${HOME:-/root}/.docker}/cli-plugins" /usr/local/lib/docker/cli-plugins \
    /usr/local/libexec/docker/cli-plugins /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do
    if [ -x "$d/docker-compose" ]; then exec "$d/docker-compose" "$@"; fi
  done
  exec docker compose "$@"
}

# compose_up DIR PROJECT STATE WAIT_S: start what DIR's files say (override when there is one), then wait_up; the
# child's pid is kept in STATE/apply.child so an interrupted run can stop it.
compose_up() {
  if [ -e "$1/docker-compose.override.yml" ]; then
    (compose_exec --project-name "$2" --project-directory "$1" -f "$1/docker-compose.yml" -f "$1/docker-compose.override.yml" \
      up --detach --pull missing --remove-orphans) 2>&1 &
  else
    (compose_exec --project-name "$2" --project-directory "$1" -f "$1/docker-compose.yml" \
      up --detach --pull missing --remove-orphans) 2>&1 &
  fi
  echo $! > "$3/apply.child"
  wait $! && wait_up "$2" "$4"
}

# wait_up PROJECT WAIT_S: until every container of PROJECT runs, and is healthy where it has a healthcheck: what
# compose's --wait checks, polled every 0.1 s (compose polls every 0.5 s, half a second on every deploy). A container
# that exited or turned unhealthy fails at once; one still starting fails after WAIT_S seconds. Once all run, the
# project's running containers are left for verify in up_listing, in running_images' line form, the image Docker
# lists in place of the repo digests (see verify): a listing fewer, and on the happy path no docker call (issue 14).
wait_up() {
  w_polls=0
  unset up_listing
  while :; do
    # "=" before the labels: an empty one still takes its field
    w_listing=$(docker ps -a --no-trunc --filter "label=com.docker.compose.project=$1" --format \
      '{{.ID}} {{.Names}} {{.Image}} ={{.Label "com.docker.compose.oneoff"}} ={{.Label "com.docker.compose.service"}} {{.State}} {{.Status}}') ||
      return 1
    w_failed='' w_pending='' w_running=''
    while read -r w_id w_name w_image w_oneoff w_service w_state w_status; do
      [ -n "$w_id" ] || continue
      if [ "$w_state" = running ]; then
        w_running="$w_running$w_id$PINROLL_TAB${w_service#=}$PINROLL_TAB$w_image$PINROLL_TAB$w_image
"
      fi
      [ "$w_oneoff" = =False ] || continue
      case "$w_state $w_status" in
        "running "*"(unhealthy)"*) w_failed=${w_failed:-"container $w_name is unhealthy"} ;;
        "running "*"(health: starting)"*) w_pending="$w_pending$w_name " ;;
        running*) ;;
        exited* | dead*) w_failed=${w_failed:-"container $w_name $w_status"} ;;
        *) w_pending="$w_pending$w_name " ;;
      esac
    done <<EOF
$w_listing
EOF
    if [ -n "$w_failed" ]; then echo "$w_failed"; return 1; fi
    if [ -z "$w_pending" ]; then up_listing=$w_running; return 0; fi
    w_polls=$((w_polls + 1))
    if [ "$w_polls" -gt "$(($2 * 10))" ]; then echo "not running and healthy after $2 s: $w_pending"; return 1; fi
    sleep 0.1
  done
}

compose_down() { (compose_exec --project-name "$1" down --remove-orphans) 2>&1; }

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
  # Three docker calls whatever the number of containers (issue 14): the list (wait_up's, when it just made one), one
  # inspect of every container, one of every image. A container stopped or gone since the listing is left out.
  if [ -n "${up_listing+set}" ]; then
    r_ids=''
    while IFS="$PINROLL_TAB" read -r r_id r_rest; do
      if [ -n "$r_id" ]; then r_ids="$r_ids $r_id"; fi
    done <<EOF
$up_listing
EOF
  else
    r_ids=$(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$1") || return 1
  fi
  [ -n "$r_ids" ] || return 0
  r_containers=$(docker inspect -f "{{if .State.Running}}{{.Id}}$PINROLL_TAB{{index .Config.Labels \"com.docker.compose.service\"}}$PINROLL_TAB{{.Image}}{{end}}" $r_ids 2>/dev/null)
  r_images=''
  while IFS="$PINROLL_TAB" read -r r_id r_svc r_image; do
    [ -n "$r_id" ] || continue
    case " $r_images " in *" $r_image "*) ;; *) r_images="$r_images $r_image" ;; esac
  done <<EOF
$r_containers
EOF
  [ -n "${r_images# }" ] || return 0
  r_repo_digests=$(docker image inspect -f "{{.Id}}$PINROLL_TAB{{range .RepoDigests}}{{.}} {{end}}" $r_images 2>/dev/null)
  while IFS="$PINROLL_TAB" read -r r_id r_svc r_image; do
    [ -n "$r_id" ] || continue
    r_digests=''
    while IFS="$PINROLL_TAB" read -r r_iid r_ds; do
      if [ "$r_iid" = "$r_image" ]; then r_digests=$r_ds; break; fi
    done <<EOF
$r_repo_digests
EOF
    printf '%s\t%s\t%s\t%s\n' "$r_id" "$r_svc" "$r_image" "$r_digests"
  done <<EOF
$r_containers
EOF
}

# on_digest REPO_DIGESTS DIGEST: whether one of the repo digests names DIGEST (ends in @DIGEST); the rule of
# runsDigest in src/hosts/running.ts, checked against it in test/unit/hosts/running.test.ts.
on_digest() {
  case " $1 " in *"@$2 "*) return 0 ;; *) return 1 ;; esac
}

# verify PROJECT SERVICE=DIGEST...: every running container of each pinned service runs an image whose
# RepoDigests include the pinned digest (seed 003: a compose no-op must never pass as a deploy). Right after wait_up,
# its listing is checked first: Docker lists a container's image as the reference it was created from (compose:
# REPO:TAG@DIGEST) only while that reference still resolves to the image the container runs, as its image id
# otherwise, so a listed reference ending in @DIGEST is that container running the image Docker holds as
# REPO@DIGEST, whose RepoDigests name DIGEST. When the check passes there, no docker call; when it does not (another
# digest, an image id, a service missing), running_images asks Docker in full and the answer is its (issue 14).
verify() {
  project=$1
  shift
  if [ -n "${up_listing+set}" ] && v_out=$(verify_running "$project" "$up_listing" "$@"); then
    if [ -n "$v_out" ]; then printf '%s\n' "$v_out"; fi
    return 0
  fi
  verify_running "$project" "$(running_images "$project")" "$@"
}

# verify_running PROJECT RUNNING SERVICE=DIGEST...: verify's check of RUNNING, lines in running_images' form.
verify_running() {
  project=$1 running=$2
  shift 2
  verify_status=0
  for pair in "$@"; do
    svc=${pair%%=*}
    want=${pair#*=}
    found=0
    while IFS="$PINROLL_TAB" read -r id s image digests; do
      [ "$s" = "$svc" ] || continue
      found=1
      if on_digest "$digests" "$want"; then
        echo "verify: $svc: ${id%"${id#????????????}"} on $want"
      else
        echo "verify: $svc: container ${id%"${id#????????????}"} runs $image, not $want"
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
