// The one script doctor runs on each host (one SSH exec): fixed text, inputs as $1.. (src/tools/ssh.ts remoteScript).
// Prints one line per check: NAME<TAB>ok|fail|...<TAB>DETAIL. wait_healthy (health.sh) is prepended to it.
// $1 deploy_dir  $2 python interpreter ("" = Ansible's discovery list)  $3 healthcheck URL ("" = checked elsewhere)
export const HOST_SCRIPT = `
t=$(printf '\\t')
last() { tr -d '\\r' | tail -n 1; }
if v=$(docker version --format '{{.Server.Version}}' 2>&1); then echo "docker\${t}ok\${t}engine $v"; else echo "docker\${t}fail\${t}$(echo "$v" | last)"; fi
if v=$(docker compose version --short 2>&1); then
  case $v in 2.*|v2.*) echo "compose\${t}ok\${t}$v" ;; *) echo "compose\${t}fail\${t}version $v" ;; esac
else echo "compose\${t}fail\${t}$(echo "$v" | last)"; fi
d=$1; p=$d
while [ ! -e "$p" ]; do p=$(dirname "$p"); done
if [ -d "$d" ]; then
  f="$d/.pinroll-doctor.$$"
  if (: > "$f") 2>/dev/null; then rm -f "$f"; echo "deploy_dir\${t}ok\${t}$d exists and is writable"
  else echo "deploy_dir\${t}fail\${t}$d is not writable by $(id -un)"; fi
elif [ -d "$p" ] && [ -w "$p" ]; then echo "deploy_dir\${t}ok\${t}$d can be made (in $p)"
else echo "deploy_dir\${t}fail\${t}$d does not exist and $p is not writable by $(id -un)"; fi
py=$2
if [ -z "$py" ]; then
  for c in python3.13 python3.12 python3.11 python3.10 python3.9 python3.8 /usr/bin/python3 python3; do
    if command -v "$c" >/dev/null 2>&1; then py=$(command -v "$c"); break; fi
  done
fi
if [ -z "$py" ]; then echo "python\${t}fail\${t}no python3 found"
elif v=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3]); sys.exit(sys.version_info < (3, 8))' 2>&1); then echo "python\${t}ok\${t}$py $v"
else echo "python\${t}fail\${t}$py: $(echo "$v" | last)"; fi
if [ -f "$d/deploy-info.yml" ]; then echo "deployed\${t}yes\${t}"; else echo "deployed\${t}no\${t}"; fi
if [ -n "$3" ]; then
  if h=$(wait_healthy "$3" 0 2>&1); then echo "health\${t}ok\${t}$3 answers"; else echo "health\${t}fail\${t}$3 does not answer"; fi
fi
if [ -d "$d/.pinroll/lock" ]; then echo "lock\${t}held\${t}$(cat "$d/.pinroll/lock/owner" 2>/dev/null | tr '\\n\\t' '  ')"
else echo "lock\${t}free\${t}"; fi
`;
