# restore.sh (after lib.sh) — put back what run RUN changed on this host, after an interrupt or a failure the
# host could not handle itself: stop RUN's apply if it still runs, restore files and containers when RUN made
# the backup, drop RUN's history entry, release RUN's lock. Prints LIVE and the live deploy-info (base64) last.
#   restore.sh DIR STATE PROJECT RUN NAME OWNER_B64 WAIT_S NENV ENV...
set -u
dir=$1 state=$2 project=$3 run=$4 name=$5 owner=$6 wait_s=$7 nenv=$8
shift 8
while [ "$nenv" -gt 0 ]; do export_env "$1" || exit 2; nenv=$((nenv - 1)); shift; done

# 1. An apply of this run still going (its ssh cut): stop it, then whatever it started.
for f in apply.pid apply.child; do
  pid=$(cat "$state/$f" 2>/dev/null) || continue
  case $pid in '' | *[!0-9]*) continue ;; esac
  kill -TERM "$pid" 2>/dev/null || continue
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
  kill -KILL "$pid" 2>/dev/null
done

# 2. Put back what this run changed: the backup is ours when previous/.run names this run.
if [ "$(cat "$state/previous/.run" 2>/dev/null)" = "$run" ] && { [ -e "$state/inflight" ] || [ -e "$state/history/$name" ]; }; then
  put_back "$dir" "$state" "$project" "$wait_s"
  rm -f "$state/history/$name"
  rm -f "$state/previous/.run"
else
  echo "UNCHANGED"
fi
clear_run "$state" incoming

# 3. Our lock only.
unlock_ours "$state" "$owner"
printf 'LIVE %s\n' "$(base64 < "$dir/deploy-info.yml" 2>/dev/null | tr -d '\n')"
