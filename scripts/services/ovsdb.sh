#!/usr/bin/env bash
# scripts/services/ovsdb.sh install|start|stop|restart
# An ovsdb-server (Open vSwitch database, no vswitchd) with the Open_vSwitch schema, all state in
# $KNT_RUN_DIR/ovsdb, listening on a unix socket and on 127.0.0.1:${KNT_OVSDB_PORT:-6640}.
# Writes KNT_OVSDB_SOCKET (unix:PATH), KNT_OVSDB_TCP (tcp:127.0.0.1:PORT), KNT_OVSDB_SCRIPT (this script,
# whose `restart` keeps the database file; the reconnect tests use it), KNT_OVSDB_PORT and KNT_RUN_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
: "${KNT_RUN_DIR:?set KNT_RUN_DIR to a temp dir}"
dir="$KNT_RUN_DIR/ovsdb"
port=${KNT_OVSDB_PORT:-6640}
pidfile="$dir/ovsdb-server.pid"
schema=/usr/share/openvswitch/vswitch.ovsschema

start_server() {
  mkdir -p "$dir"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    knt_log "ovsdb-server already running (pid $(cat "$pidfile"))"
    return 0
  fi
  [ -f "$dir/conf.db" ] || ovsdb-tool create "$dir/conf.db" "$schema"
  ovsdb-server "$dir/conf.db" \
    --remote="punix:$dir/db.sock" --remote="ptcp:$port:127.0.0.1" \
    --pidfile="$pidfile" --detach --log-file="$dir/ovsdb.log" --unixctl="$dir/ovsdb.ctl"
  wait_for ovs-vsctl --db="unix:$dir/db.sock" --no-wait --timeout=2 show
}

case "${1:?usage: ovsdb.sh install|start|stop|restart}" in
  install)
    apt_install openvswitch-switch
    ;;
  start)
    start_server
    # The Open_vSwitch root row must exist for bridges to be added (ovs-vsctl init is idempotent).
    ovs-vsctl --db="unix:$dir/db.sock" --no-wait init
    env_file=$(knt_env_file ovsdb)
    {
      echo "KNT_RUN_DIR=$KNT_RUN_DIR"
      echo "KNT_OVSDB_SOCKET=unix:$dir/db.sock"
      echo "KNT_OVSDB_TCP=tcp:127.0.0.1:$port"
      echo "KNT_OVSDB_SCRIPT=$here/ovsdb.sh"
      echo "KNT_OVSDB_PORT=$port"
    } > "$env_file"
    knt_log "ovsdb-server on unix:$dir/db.sock and tcp:127.0.0.1:$port (pid $(cat "$pidfile"))"
    ;;
  stop)
    stop_pidfile "$pidfile"
    ;;
  restart)
    stop_pidfile "$pidfile"
    start_server
    ;;
  *)
    echo "usage: ovsdb.sh install|start|stop|restart" >&2; exit 2
    ;;
esac
