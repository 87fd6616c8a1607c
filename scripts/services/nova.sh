#!/usr/bin/env bash
# A single-node Nova control plane with the fake virt driver (Debian's nova-common + placement-api):
# placement (uwsgi, :${KNT_PLACEMENT_PORT:-8778}), nova-api (uwsgi, :${KNT_NOVA_PORT:-8774}), conductor, scheduler,
# compute (compute_driver = fake.FakeDriver), and the NETWORK STAND-IN (neutron-stand-in.py, :${KNT_NEUTRON_PORT:-9696};
# not Neutron: it answers Nova's port/network/security-group lookups with empty lists). sqlite files with WAL
# and BEGIN IMMEDIATE (python/knt_sqlite_immediate.py). Needs rabbitmq, keystone and glance started first.
# Nova publishes versioned notifications to the broker (exchange "nova").
# KNT_NOVA_COMPUTE_DRIVER=libvirt starts the compute with Nova's real libvirt driver instead (virt_type kvm) on the
# project's private-namespace libvirtd (scripts/services/libvirt.sh, started first): nova-compute joins only that
# libvirtd's mount namespace (nsenter -m) so it still reaches the APIs on 127.0.0.1, and [compute] cpu_shared_set /
# cpu_dedicated_set give one CPU each on a 2-CPU host (KNT_NOVA_CPU_SHARED_SET / KNT_NOVA_CPU_DEDICATED_SET).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/openstack-install.sh"
dir=$KNT_RUN_DIR/nova
etc=$dir/etc
api_port=${KNT_NOVA_PORT:-8774}
placement_port=${KNT_PLACEMENT_PORT:-8778}
neutron_port=${KNT_NEUTRON_PORT:-9696}
glance_port=${KNT_GLANCE_PORT:-9292}
driver=${KNT_NOVA_COMPUTE_DRIVER:-fake}
case $driver in
  fake) compute_host=${KNT_NOVA_COMPUTE_HOST:-knt-fake-compute} ;;
  libvirt) compute_host=${KNT_NOVA_COMPUTE_HOST:-knt-kvm-compute} ;;
  *) echo "KNT_NOVA_COMPUTE_DRIVER must be fake or libvirt, not '$driver'" >&2; exit 2 ;;
esac
py=/usr/bin/python3
export PYTHONPATH=$here/python

write_config() {
  local rabbit=${KNT_RABBITMQ_URL/amqp:/rabbit:}
  mkdir -p "$etc" "$dir/state/instances" "$dir/lock" "$dir/log"
  cp /etc/nova/api-paste.ini "$etc/api-paste.ini"
  cat > "$etc/placement.conf" <<CONF
[DEFAULT]
log_file = $dir/log/placement.log
[placement_database]
connection = sqlite:///$dir/placement.db
[api]
auth_strategy = keystone
[keystone_authtoken]
$(ks_auth placement)
CONF
  cat > "$etc/nova.conf" <<CONF
[DEFAULT]
transport_url = $rabbit
state_path = $dir/state
instances_path = $dir/state/instances
compute_driver = $(compute_driver)
host = $compute_host
my_ip = 127.0.0.1
shutdown_timeout = 0
[api]
auth_strategy = keystone
[api_database]
connection = sqlite:///$dir/nova_api.db
[database]
connection = sqlite:///$dir/nova.db
[keystone_authtoken]
$(ks_auth nova)
[service_user]
send_service_user_token = true
$(ks_auth nova)
[placement]
$(ks_auth nova)
endpoint_override = http://127.0.0.1:$placement_port
[glance]
$(ks_auth nova)
endpoint_override = http://127.0.0.1:$glance_port
[neutron]
$(ks_auth nova)
endpoint_override = http://127.0.0.1:$neutron_port
[wsgi]
api_paste_config = $etc/api-paste.ini
[scheduler]
discover_hosts_in_cells_interval = 5
[conductor]
workers = 1
[oslo_concurrency]
lock_path = $dir/lock
[vnc]
enabled = false
[notifications]
notification_format = versioned
notify_on_state_change = vm_and_task_state
[oslo_messaging_notifications]
driver = messagingv2
[os_vif_ovs]
ovsdb_connection = unix:$dir/none.sock
$(libvirt_sections)
CONF
}

compute_driver() { if [ "$driver" = libvirt ]; then echo libvirt.LibvirtDriver; else echo fake.FakeDriver; fi; }

# The libvirt driver's options (empty for the fake driver). cpu_mode = none: host-model crashes qemu here
# ("failed to set MSR 0x10a"); shutdown_timeout = 0 above: the test images have no OS to answer ACPI.
libvirt_sections() {
  [ "$driver" = libvirt ] || return 0
  cat <<SECTIONS
[libvirt]
virt_type = kvm
cpu_mode = none
connection_uri = $KNT_LIBVIRTD_URI
images_type = default
[compute]
cpu_shared_set = ${KNT_NOVA_CPU_SHARED_SET:-0}
cpu_dedicated_set = ${KNT_NOVA_CPU_DEDICATED_SET:-1}
SECTIONS
}

# load_libvirtd: the private libvirtd's socket and pid (scripts/services/libvirt.sh writes them when a real one runs).
load_libvirtd() {
  local f=$KNT_RUN_DIR/env/libvirt.env
  [ -f "$f" ] && { set -a; . "$f"; set +a; }
  [ -n "${KNT_LIBVIRTD_URI:-}" ] && [ -n "${KNT_LIBVIRTD_PID:-}" ] && kill -0 "$KNT_LIBVIRTD_PID" 2>/dev/null || {
    knt_log "no real libvirtd runs (start libvirt first; it needs /dev/kvm and qemu): the libvirt driver cannot start"; return 1; }
}

sync_databases() {
  local nm=(nova-manage --config-file "$etc/nova.conf")
  placement-manage --config-file "$etc/placement.conf" db sync >>"$dir/log/manage.log" 2>&1
  "${nm[@]}" api_db sync >>"$dir/log/manage.log" 2>&1
  "${nm[@]}" cell_v2 map_cell0 --database_connection "sqlite:///$dir/nova_cell0.db" >>"$dir/log/manage.log" 2>&1
  "${nm[@]}" cell_v2 create_cell --name cell1 >>"$dir/log/manage.log" 2>&1
  "${nm[@]}" db sync >>"$dir/log/manage.log" 2>&1
  wal "$dir/placement.db" "$dir/nova_api.db" "$dir/nova.db" "$dir/nova_cell0.db"
}

uwsgi_app() { # NAME PORT WSGI_FILE ENV
  start_bg "$dir/$1.pid" "$dir/log/$1.out" uwsgi --plugin python3 --http11-socket "127.0.0.1:$2" \
    --wsgi-file "$here/python/$3" --pythonpath "$here/python" --env "$4" \
    --master --processes 2 --threads 1 --die-on-term --logto "$dir/log/$1-uwsgi.log"
}

# The scheduler maps new compute hosts to the cell every 5 s ([scheduler] discover_hosts_in_cells_interval);
# without a mapping boots fail with "No host-to-cell mapping". Reading the mapping table is cheaper than
# running nova-manage in a loop.
host_mapped() {
  [ "$(sqlite3 "$dir/nova_api.db" "SELECT count(*) FROM host_mappings WHERE host = '$compute_host'" 2>/dev/null)" = 1 ]
}

start() {
  : "${KNT_RABBITMQ_URL:=}"
  if [ -z "$KNT_RABBITMQ_URL" ] && [ -f "$KNT_RUN_DIR/env/rabbitmq.env" ]; then set -a; . "$KNT_RUN_DIR/env/rabbitmq.env"; set +a; fi
  [ -n "$KNT_RABBITMQ_URL" ] || { knt_log "rabbitmq is not running: start it first"; return 1; }
  load_keystone
  [ "$driver" = libvirt ] && { load_libvirtd || return 1; }
  rm -rf "$dir"; mkdir -p "$dir"
  write_config
  sync_databases
  start_bg "$dir/neutron-stand-in.pid" "$dir/log/neutron-stand-in.log" $py "$here/neutron-stand-in.py" "$neutron_port"
  uwsgi_app placement "$placement_port" placement_wsgi.py "OS_PLACEMENT_CONFIG_DIR=$etc"
  uwsgi_app nova-api "$api_port" nova_api_wsgi.py "OS_NOVA_CONFIG_DIR=$etc"
  # The services create their placement client at start-up and fail for good if placement is not answering yet.
  WAIT_SECONDS=60 wait_for curl -sf "http://127.0.0.1:$placement_port/" || { knt_log "placement did not answer; see $dir/log"; return 1; }
  local svc
  for svc in conductor scheduler compute; do
    local run=()
    # nsenter -m execs the service in libvirtd's mount namespace (same pid, same network): it sees the guests'
    # /run and /etc/libvirt as libvirtd does.
    [ "$svc" = compute ] && [ "$driver" = libvirt ] && run=(nsenter -t "$KNT_LIBVIRTD_PID" -m -r -w)
    start_bg "$dir/nova-$svc.pid" "$dir/log/nova-$svc.out" "${run[@]}" $py "$here/python/nova_service.py" "$svc" \
      --config-file "$etc/nova.conf" --log-file "$dir/log/nova-$svc.log"
  done
  WAIT_SECONDS=60 wait_for curl -sf "http://127.0.0.1:$api_port/" || { knt_log "nova-api did not answer; see $dir/log"; return 1; }
  WAIT_SECONDS=90 wait_for host_mapped || { knt_log "compute host $compute_host never registered; see $dir/log"; return 1; }
  cat > "$(knt_env_file nova)" <<ENV
KNT_NOVA_URL=http://127.0.0.1:$api_port/v2.1
KNT_PLACEMENT_URL=http://127.0.0.1:$placement_port
KNT_NEUTRON_STAND_IN_URL=http://127.0.0.1:$neutron_port
KNT_NOVA_COMPUTE_HOST=$compute_host
KNT_NOVA_COMPUTE_DRIVER=$driver
KNT_NOVA_DIR=$dir
KNT_NOVA_PORT=$api_port
KNT_PLACEMENT_PORT=$placement_port
KNT_NEUTRON_PORT=$neutron_port
ENV
  knt_log "nova up: api 127.0.0.1:$api_port, placement :$placement_port, network stand-in :$neutron_port, compute host $compute_host ($driver driver)"
}

stop() {
  local p
  for p in nova-compute nova-scheduler nova-conductor nova-api placement neutron-stand-in; do stop_pidfile "$dir/$p.pid"; done
}

case ${1:?install|start|stop} in
  # The libvirt driver also needs libvirt's Python binding and qemu-img (image conversion); qemu itself comes with libvirt.sh.
  install) install_nova; apt_install python3-libvirt qemu-utils ;;
  start) start ;;
  stop) stop ;;
esac
