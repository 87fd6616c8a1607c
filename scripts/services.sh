#!/usr/bin/env bash
# scripts/services.sh install|start|stop [NAME...]
# Installs (Debian packages), starts on 127.0.0.1 in $KNT_RUN_DIR, or stops by pid, each real service the
# tests need. One script per service in scripts/services/NAME.sh with the same three verbs; each writes
# the variables tests read (KNT_*) into $KNT_RUN_DIR/env/NAME.env. Default: every service, or $KNT_SERVICES.
set -uo pipefail
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
verb=${1:?usage: services.sh install|start|stop [NAME...]}; shift
: "${KNT_RUN_DIR:?set KNT_RUN_DIR to a temp dir}"
mkdir -p "$KNT_RUN_DIR/env"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  if [ -n "${KNT_SERVICES:-}" ]; then read -r -a names <<< "$KNT_SERVICES"
  else
    # Dependencies first (Nova needs the broker, Keystone and Glance); any other script after, in name order.
    read -r -a order <<< "${KNT_SERVICE_ORDER:-rabbitmq ovsdb libvirt keystone glance nova}"
    for n in "${order[@]}"; do [ -x "$here/services/$n.sh" ] && names+=("$n"); done
    for f in "$here"/services/*.sh; do
      n=$(basename "$f" .sh)
      [[ " ${order[*]} " == *" $n "* ]] || names+=("$n")
    done
  fi
fi
[ "$verb" = stop ] && names=($(printf '%s\n' "${names[@]}" | tac))
rc=0
for n in "${names[@]}"; do
  s="$here/services/$n.sh"
  [ -x "$s" ] || { echo "[services] no such service: $n" >&2; rc=2; continue; }
  # Any verb but install/start acts on a running service: use the ports it was started with (its env file).
  envfile="$KNT_RUN_DIR/env/$n.env"
  if [ "$verb" != install ] && [ "$verb" != start ] && [ -f "$envfile" ]; then
    ( set -a; . "$envfile"; set +a; KNT_SERVICE=$n exec "$s" "$verb" )
  else
    KNT_SERVICE=$n "$s" "$verb"
  fi || { echo "[services] $n $verb failed (its tests will be skipped with the reason)" >&2; rc=1; }
done
exit $rc
