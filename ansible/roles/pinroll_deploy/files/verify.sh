#!/bin/sh
# verify.sh PROJECT SERVICE=DIGEST... — every running container of each pinned service must run an image whose
# RepoDigests include the pinned digest (seed 003: a compose no-op must never pass as a deploy).
project=$1
shift
status=0
for pair in "$@"; do
  svc=${pair%%=*}
  want=${pair#*=}
  ids=$(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$svc")
  if [ -z "$ids" ]; then
    echo "$svc: no running container in project $project"
    status=1
    continue
  fi
  for id in $ids; do
    image_id=$(docker inspect -f '{{.Image}}' "$id")
    digests=$(docker image inspect -f '{{join .RepoDigests " "}}' "$image_id")
    case " $digests " in
      *"@$want "*) echo "$svc: $(echo "$id" | cut -c1-12) on $want" ;;
      *)
        echo "$svc: container $(echo "$id" | cut -c1-12) runs $image_id ($digests), not $want"
        status=1
        ;;
    esac
  done
done
exit $status
