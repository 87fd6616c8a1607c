# Shared helpers for the project's scripts. Source it; do not run it.
# Every daemon: 127.0.0.1 only, state under $KNT_RUN_DIR/<name>, a pid file there, stopped by that pid.

knt_log() { printf '[%s] %s\n' "${KNT_SERVICE:-scripts}" "$*" >&2; }

# apt_install PKG...: installs the Debian packages that are missing (no recommends, no service start).
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  # Debian's policy-rc.d keeps package scripts from starting daemons; make sure one exists.
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
  if [ ! -f /tmp/.knt-apt-updated ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null && touch /tmp/.knt-apt-updated
  fi
  knt_log "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# knt_env NAME: the env file a service writes its KNT_* variables into.
knt_env_file() { mkdir -p "$KNT_RUN_DIR/env"; echo "$KNT_RUN_DIR/env/$1.env"; }

# wait_for CMD...: retries a command for up to $WAIT_SECONDS (default 60).
wait_for() {
  local deadline=$(( $(date +%s) + ${WAIT_SECONDS:-60} ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

# stop_pidfile FILE: stops the process in FILE (TERM, then KILL after 10 s) and removes the file.
stop_pidfile() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$f"
}
