#!/usr/bin/env bash
# Glance (Debian's glance-api) on 127.0.0.1:${KNT_GLANCE_PORT:-9292}: one process (workers = 0), sqlite + WAL,
# file store under $KNT_RUN_DIR/glance, Keystone auth with the glance service user. Needs keystone started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/openstack-install.sh"
dir=$KNT_RUN_DIR/glance
port=${KNT_GLANCE_PORT:-9292}
conf=$dir/glance-api.conf

start() {
  load_keystone
  rm -rf "$dir"; mkdir -p "$dir/images" "$dir/staging"
  # The paste file is found next to the conf by replacing ".conf" with "-paste.ini".
  cp /etc/glance/glance-api-paste.ini "$dir/glance-api-paste.ini"
  cat > "$conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $port
workers = 0
log_file = $dir/glance-api.log
node_staging_uri = file://$dir/staging
enabled_import_methods = []
[database]
connection = sqlite:///$dir/glance.db
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $dir/images/
[keystone_authtoken]
$(ks_auth glance)
[paste_deploy]
flavor = keystone
[oslo_concurrency]
lock_path = $dir/lock
CONF
  glance-manage --config-file "$conf" db_sync >"$dir/manage.log" 2>&1
  wal "$dir/glance.db"
  start_bg "$dir/glance.pid" "$dir/glance-api.out" /usr/bin/glance-api --config-file "$conf"
  WAIT_SECONDS=60 wait_for curl -s -o /dev/null "http://127.0.0.1:$port/versions" || { knt_log "glance-api did not answer; see $dir"; return 1; }
  cat > "$(knt_env_file glance)" <<ENV
KNT_GLANCE_URL=http://127.0.0.1:$port
KNT_GLANCE_PORT=$port
ENV
  knt_log "glance up on 127.0.0.1:$port"
}

case ${1:?install|start|stop} in
  install) install_glance ;;
  start) start ;;
  stop) stop_pidfile "$dir/glance.pid" ;;
esac
