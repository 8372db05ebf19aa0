# apply.sh (after lib.sh and health.sh) — one exec per host for the whole happy path (issue 14): ship, compose up,
# verify, health, record. On a failure it puts the previous release back itself, in the same exec.
#   apply.sh MODE DIR STATE PROJECT OWNER_B64 HEALTH_URL LIMIT WAIT_S NENV ENV... RUN NAME HEALTH_S COMPOSE OVERRIDE INFO PAUSE SERVICE=DIGEST...
# (what may differ from host to host first, then the release's own arguments: see pinroll_apply_args)
# MODE: the steps to run, e.g. ship,up,verify,health,record (see step below), or `refused`: another run holds some
# host of the play, so this host only gives back the lock this run took (if it took it) and says why.
# COMPOSE, OVERRIDE, INFO: base64, or "@" for chunks staged under STATE/incoming/.
# STATE/inflight holds "RUN PHASE" until the release is recorded or put back: what a cut-off run leaves behind.
set -u
mode=$1 dir=$2 state=$3 project=$4 owner=$5 url=$6 limit=$7 wait_s=$8 nenv=$9
shift 9
while [ "$nenv" -gt 0 ]; do export_env "$1" || exit 2; nenv=$((nenv - 1)); shift; done
run=$1 name=$2 health_s=$3 compose=$4 override=$5 info=$6 pauses=$7
shift 7

if [ "$mode" = refused ]; then
  if [ -n "$(unlock_ours "$state" "$owner")" ]; then echo "FAILED refused: another host is held"; else echo "FAILED deploy lock held"; fi
  exit 1
fi

# mkdir only the first time: a process less on every host and deploy after that (issue 14)
[ -d "$state/history" ] && [ -d "$state/previous" ] && [ -d "$dir" ] || mkdir -p "$dir" "$state/history" "$state/previous"
echo $$ > "$state/apply.pid"

phase() {
  printf '%s %s\n' "$run" "$1" > "$state/inflight"
  echo "PHASE $1"
  pause_at "$1" "$pauses"
}

# fail MESSAGE: put the previous release back (files, then containers), release our lock, say what happened.
fail() {
  echo "FAILED $1"
  put_back "$dir" "$state" "$project" "$wait_s"
  clear_run "$state"
  unlock_ours "$state" "$owner"
  exit 1
}

# prune_history: keep the newest LIMIT entries of the history (their names sort by time; the glob sorts them).
prune_history() {
  set -- "$state"/history/*.yml
  n=$(($# - limit))
  while [ "$n" -gt 0 ] && [ -e "$1" ]; do rm -f -- "$1"; shift; n=$((n - 1)); done
}

record() {
  phase record
  put "$info" "$state" info "$dir/deploy-info.yml"
  cp "$dir/deploy-info.yml" "$state/history/.$name.new" && mv -f "$state/history/.$name.new" "$state/history/$name"
  prune_history
  pause_at recorded "$pauses"
  clear_run "$state" incoming
  unlock_ours "$state" "$owner"
  echo "RECORDED $name"
}

# STEPS: which of ship, up, verify, health, record this exec does, in that order (comma-separated). The default
# path is all five in one exec; healthcheck.from: controller and pinroll_compose_runner: module split them.
step() { case ",$mode," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

cut=
if step ship; then
  # A run cut off before (its controller died): say so; its backup still holds the last release that was whole.
  { read -r cut < "$state/inflight"; } 2>/dev/null || :
  phase ship
  if [ -n "$cut" ]; then
    echo "HALFDONE $cut"
    if [ "$(cat "$state/previous/.run" 2>/dev/null)" = "${cut%% *}" ]; then printf '%s\n' "$run" > "$state/previous/.run"; else backup "$dir" "$state" "$run"; fi
  else
    backup "$dir" "$state" "$run"
  fi
  put "$compose" "$state" compose "$dir/docker-compose.yml" || fail "ship: could not write docker-compose.yml"
  put "$override" "$state" override "$dir/docker-compose.override.yml" || fail "ship: could not write the override"
fi

if step up; then
  phase up
  # In this shell, not a $(...): wait_up leaves the running containers' ids for verify (lib.sh).
  compose_up "$dir" "$project" "$state" "$wait_s" > "$state/up.log" || fail "compose up: $(grep -v '^ *$' "$state/up.log" | tail -n 1)"
fi

if step verify; then
  phase verify
  out=$(verify "$project" "$@")
  status=$?
  printf '%s\n' "$out"
  [ $status -eq 0 ] || fail "verify: $(printf '%s\n' "$out" | grep -v ' on sha256:' | tr '\n' ';' | sed 's/;$//')"
fi

if step health; then
  phase health
  if [ -n "$url" ]; then
    out=$(wait_healthy "$url" "$health_s") || fail "$out"
  fi
fi

if step record; then
  record
  # The outcome as data, for pinroll's callback plugin: the same line the playbook's report task prints (pinroll
  # skips that task, a worker per host, when this exec does the whole release). HALFDONE's value is "RUN PHASE".
  halfdone=''
  if [ -n "$cut" ]; then halfdone=$(printf '%s' "$cut" | tr -d '"\\\n'); fi
  printf 'PINROLL_RESULT {"ok": true, "halfdone": "%s"}\n' "$halfdone"
else
  echo "DONE $mode"
fi
