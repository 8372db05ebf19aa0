#!/bin/sh
# restore.sh DIR — put the files backed up in DIR/.pinroll/previous back (atomically), removing what had no
# backup; prints which of "compose" and "override" a previous release had.
set -e
dir=$1
for f in docker-compose.yml docker-compose.override.yml deploy-info.yml; do
  if [ -e "$dir/.pinroll/previous/$f" ]; then
    cp -p "$dir/.pinroll/previous/$f" "$dir/.$f.restore" && mv "$dir/.$f.restore" "$dir/$f"
  else
    rm -f "$dir/$f"
  fi
done
[ -e "$dir/docker-compose.yml" ] && echo compose
[ -e "$dir/docker-compose.override.yml" ] && echo override
exit 0
