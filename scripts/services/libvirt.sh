#!/usr/bin/env bash
# scripts/services/libvirt.sh install|start|stop
# libvirt for the tests. The test driver (test:///<file>.xml) needs no daemon: "install" is enough for it.
# "start" also tries a real libvirtd with the qemu driver inside a private mount and network namespace
# (unshare -m -n --propagation private), with a tmpfs on /run and private copies of /var/lib/libvirt,
# /etc/libvirt, /etc/passwd and /etc/group, so nothing on the machine changes. When it comes up (and
# /dev/kvm works) the env file gets KNT_LIBVIRTD_URI, KNT_LIBVIRTD_PID, KNT_LIBVIRTD_DIR and KNT_LIBVIRT_SCRIPT.
# The project's qemu hook (deploy/libvirt-hooks/qemu) is installed into that libvirtd's private /etc/libvirt before it
# starts (libvirtd looks for hooks only then). Its last step calls $KNT_LIBVIRTD_HOOK_TARGET (DIR/kvm-nova-tuner-hook)
# instead of /usr/lib/kvm-nova-tuner/kvm-nova-tuner: a stub that does nothing until a test replaces it with a script
# running the built `kvm-nova-tuner hook` against its agent's socket and spool.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/common.sh"
: "${KNT_RUN_DIR:?set KNT_RUN_DIR}"
dir="$KNT_RUN_DIR/libvirt"
env_file=$(knt_env_file libvirt)

install() {
  apt_install libvirt0 libvirt-clients libvirt-daemon libvirt-dev libxml2-utils
  # The real-libvirtd test boots a tiny KVM guest; without qemu that test is skipped with the reason.
  apt_install qemu-system-x86 || knt_log "qemu-system-x86 not installed: the real-libvirtd test will be skipped"
}

install_hook() {
  local hooks="$dir/etc/hooks/qemu.d" target="$dir/kvm-nova-tuner-hook"
  mkdir -p "$hooks"
  printf '#!/bin/sh\n# Replaced by a test with one that runs the built hook; until then libvirt calls are let through.\ncat >/dev/null\nexit 0\n' > "$target"
  chmod 0755 "$target"
  sed "s|^bin=/usr/lib/kvm-nova-tuner/kvm-nova-tuner\$|bin='$target'|" "$here/../deploy/libvirt-hooks/qemu" > "$hooks/50-kvm-nova-tuner"
  grep -q "^bin='$target'\$" "$hooks/50-kvm-nova-tuner" || { knt_log "the shipped hook no longer sets bin=/usr/lib/kvm-nova-tuner/kvm-nova-tuner"; return 1; }
  chmod 0755 "$hooks/50-kvm-nova-tuner"
}

libvirt_so() { ldconfig -p 2>/dev/null | awk '/libvirt\.so\.0 /{print $NF; exit}'; }

start() {
  mkdir -p "$dir"
  : > "$env_file"
  local so; so=$(libvirt_so)
  [ -n "$so" ] && echo "KNT_LIBVIRT_SO=$so" >> "$env_file"
  echo "KNT_LIBVIRT_TEST_DRIVER=1" >> "$env_file"
  if [ "${KNT_LIBVIRTD:-1}" = 0 ]; then knt_log "real libvirtd disabled (KNT_LIBVIRTD=0)"; return 0; fi
  if [ ! -x /usr/sbin/libvirtd ] || [ ! -x /usr/bin/qemu-system-x86_64 ]; then
    knt_log "libvirtd or qemu missing: only the test driver is available"; return 0
  fi
  if [ ! -c /dev/kvm ]; then knt_log "/dev/kvm missing: only the test driver is available"; return 0; fi
  install_hook
  "$here/lib/libvirtd-ns.sh" "$dir" &
  local launcher=$!
  echo "$launcher" > "$dir/launcher.pid"
  if ! WAIT_SECONDS=30 wait_for test -s "$dir/libvirtd.pid"; then
    knt_log "libvirtd did not start (see $dir/libvirtd.log)"; stop_pidfile "$dir/launcher.pid"; return 0
  fi
  local pid; pid=$(cat "$dir/libvirtd.pid")
  local uri="qemu+unix:///system?socket=$dir/run/libvirt/libvirt-sock"
  if ! WAIT_SECONDS=30 wait_for virsh -c "$uri" version; then
    knt_log "libvirtd socket did not answer (see $dir/libvirtd.log)"; stop; return 0
  fi
  {
    echo "KNT_LIBVIRTD_URI=$uri"
    echo "KNT_LIBVIRTD_PID=$pid"
    echo "KNT_LIBVIRTD_DIR=$dir"
    echo "KNT_LIBVIRT_SCRIPT=$here/services/libvirt.sh"
    echo "KNT_LIBVIRTD_HOOK_TARGET=$dir/kvm-nova-tuner-hook"
  } >> "$env_file"
  knt_log "libvirtd running (pid $pid) at $uri"
}

stop() {
  if [ -f "$dir/libvirtd.pid" ]; then
    # Guests first (they live in the same namespace), then the daemon, then the launcher shell.
    # Guests the tests left behind run in the daemon's namespace: destroy them through libvirt first.
    local uri="qemu+unix:///system?socket=$dir/run/libvirt/libvirt-sock"
    for d in $(virsh -c "$uri" list --name 2>/dev/null); do virsh -c "$uri" destroy "$d" >/dev/null 2>&1; done
    stop_pidfile "$dir/libvirtd.pid"
  fi
  stop_pidfile "$dir/launcher.pid"
  return 0
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  # restart: what a libvirtd upgrade or crash looks like to a client (the reconnect test uses it).
  restart) stop; start ;;
  *) echo "usage: $0 install|start|stop|restart" >&2; exit 2 ;;
esac
