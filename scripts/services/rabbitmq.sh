#!/usr/bin/env bash
# scripts/services/rabbitmq.sh install|start|stop|kill9|restart
# RabbitMQ (Debian package rabbitmq-server) as an isolated node on 127.0.0.1, all state in $KNT_RUN_DIR/rabbitmq.
# Run as root with the scripts in /usr/lib/rabbitmq/bin (the /usr/sbin wrappers switch to the rabbitmq user).
# Ports: KNT_RABBITMQ_PORT (AMQP, 5672), KNT_RABBITMQ_DIST_PORT (Erlang distribution, 25672, bound to
# 127.0.0.1), KNT_EPMD_PORT (a private epmd, 4370). Writes KNT_RABBITMQ_URL, KNT_RABBITMQ_SCRIPT, KNT_RUN_DIR.
# kill9 (kill -9 by the pid file) and restart (shutdown, then start) are for fault tests.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
: "${KNT_RUN_DIR:?set KNT_RUN_DIR}"

port=${KNT_RABBITMQ_PORT:-5672}
dist_port=${KNT_RABBITMQ_DIST_PORT:-25672}
epmd_port=${KNT_EPMD_PORT:-4370}
dir="$KNT_RUN_DIR/rabbitmq"
bin=/usr/lib/rabbitmq/bin
pidfile="$dir/rabbitmq.pid"

rabbit_env() {
  export HOME="$dir/home" RABBITMQ_CONF_ENV_FILE=/dev/null RABBITMQ_NODENAME=rabbit@localhost
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$dist_port
  export ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=$epmd_port
  export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$pidfile"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

write_config() {
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
loopback_users.guest = true
log.console = false
log.file.level = warning
CONF
  echo "[]." > "$dir/enabled_plugins"
  # server and rabbitmqctl share this cookie through HOME
  [ -f "$dir/home/.erlang.cookie" ] || { head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/home/.erlang.cookie"; chmod 400 "$dir/home/.erlang.cookie"; }
}

write_env() {
  local f; f=$(knt_env_file rabbitmq)
  cat > "$f" <<ENV
KNT_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:$port/
KNT_RABBITMQ_SCRIPT=$here/rabbitmq.sh
KNT_RUN_DIR=$KNT_RUN_DIR
KNT_RABBITMQ_PORT=$port
KNT_RABBITMQ_DIST_PORT=$dist_port
KNT_EPMD_PORT=$epmd_port
ENV
}

is_running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; }

start() {
  rabbit_env
  write_config
  if is_running; then knt_log "already running (pid $(cat "$pidfile"))"; write_env; return 0; fi
  rm -f "$pidfile"
  # setsid: the broker outlives the caller's process group (tests start it again after kill9).
  setsid "$bin/rabbitmq-server" > "$dir/log/server.out" 2>&1 < /dev/null &
  if ! "$bin/rabbitmqctl" wait --timeout 120 "$pidfile" > "$dir/log/wait.out" 2>&1; then
    knt_log "broker did not come up; see $dir/log"; tail -5 "$dir/log/server.out" >&2; return 1
  fi
  write_env
  knt_log "up on 127.0.0.1:$port (pid $(cat "$pidfile"))"
}

stop() {
  rabbit_env
  is_running || { rm -f "$pidfile"; stop_epmd; return 0; }
  "$bin/rabbitmqctl" shutdown > "$dir/log/shutdown.out" 2>&1 || stop_pidfile "$pidfile"
  stop_pidfile "$pidfile"
  stop_epmd
}

kill9() {
  is_running || { knt_log "not running"; return 0; }
  kill -9 "$(cat "$pidfile")"
  for _ in $(seq 1 40); do is_running || break; sleep 0.25; done
  rm -f "$pidfile"
}

# The private epmd (started by the node on $epmd_port) outlives the broker; stop it by the pid listening there.
stop_epmd() {
  local pid
  pid=$(ss -ltnpH "sport = :$epmd_port" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
  [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = epmd ] && kill "$pid" 2>/dev/null
  return 0
}

case "${1:-}" in
  install) apt_install rabbitmq-server ;;
  start) start ;;
  stop) stop ;;
  kill9) kill9 ;;
  restart) stop; start ;;
  *) echo "usage: $0 install|start|stop|kill9|restart" >&2; exit 2 ;;
esac
