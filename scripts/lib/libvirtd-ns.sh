#!/usr/bin/env bash
# scripts/lib/libvirtd-ns.sh DIR: runs libvirtd with the qemu driver in a private mount and network namespace.
# Everything libvirtd writes lives under DIR (bind-mounted over /var/lib/libvirt, /var/cache/libvirt,
# /var/log/libvirt and /etc/libvirt inside the namespace; /run is a private tmpfs); its socket is
# DIR/run/libvirt/libvirt-sock, reachable from outside the namespace because it is a filesystem path.
# Writes DIR/libvirtd.pid. Nothing on the machine outside DIR changes. Called by scripts/services/libvirt.sh.
set -euo pipefail
dir=${1:?usage: libvirtd-ns.sh DIR}
mkdir -p "$dir"/{etc,lib,cache,log,run/libvirt,images}
# Config: run guests as root without a security driver or cgroups (there are no controllers in the namespace).
cp -a /etc/libvirt/. "$dir/etc/" 2>/dev/null || true
cat > "$dir/etc/qemu.conf" <<CONF
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
CONF
cat > "$dir/etc/libvirtd.conf" <<CONF
unix_sock_dir = "$dir/run/libvirt"
unix_sock_group = "root"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_tls = 0
listen_tcp = 0
log_outputs = "3:file:$dir/libvirtd-debug.log"
CONF
cp /etc/passwd "$dir/passwd"; cp /etc/group "$dir/group"
grep -q '^libvirt-qemu:' "$dir/passwd" || echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin' >> "$dir/passwd"
grep -q '^libvirt-qemu:' "$dir/group" || echo 'libvirt-qemu:x:64055:' >> "$dir/group"
grep -q '^kvm:' "$dir/group" || echo 'kvm:x:64056:' >> "$dir/group"

exec unshare -m -n --propagation private bash -c '
  set -e
  dir=$1
  mount -t tmpfs tmpfs /run
  mkdir -p /var/lib/libvirt /var/cache/libvirt /var/log/libvirt
  mount --bind "$dir/lib" /var/lib/libvirt
  mount --bind "$dir/cache" /var/cache/libvirt
  mount --bind "$dir/log" /var/log/libvirt
  mount --bind "$dir/etc" /etc/libvirt
  mount --bind "$dir/passwd" /etc/passwd
  mount --bind "$dir/group" /etc/group
  ip link set lo up 2>/dev/null || true
  exec /usr/sbin/libvirtd -f "$dir/etc/libvirtd.conf" -p "$dir/libvirtd.pid" > "$dir/libvirtd.log" 2>&1
' libvirtd-ns "$dir"
