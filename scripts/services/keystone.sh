#!/usr/bin/env bash
# Keystone (Debian's package) on 127.0.0.1:${KNT_KEYSTONE_PORT:-5000}: sqlite + WAL, fernet tokens with a
# short lifetime (${KNT_KEYSTONE_TOKEN_EXPIRATION:-300} s, so tests see tokens expire). Not shorter: keystoneauth
# (in Nova, placement, Glance) treats a token with less than 120 s left as stale and authenticates again, so at
# 120 s every service call fetched a new token that the next service then had to validate (placement median
# 0.8 s, p90 5 s; a server took 100 s to go ACTIVE); at 300 s it took 12 s. bcrypt cost 4, served by
# uwsgi (HTTP/1.1). Registers the catalog for compute/image/placement/network, the service users, the tuner's
# service user and application credential, and writes a clouds.yaml (clouds admin, tuner, tuner-appcred).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/openstack-install.sh"
dir=$KNT_RUN_DIR/keystone
port=${KNT_KEYSTONE_PORT:-5000}
conf=$dir/keystone.conf

# serve: runs uwsgi on the state in $dir (database, fernet and credential keys) and waits until it answers.
serve() {
  uwsgi --plugin python3 --http11-socket "127.0.0.1:$port" --wsgi-file /usr/bin/keystone-wsgi-public \
    --env "OS_KEYSTONE_CONFIG_FILES=$conf" --master --processes 2 --threads 1 --die-on-term \
    --logto "$dir/uwsgi.log" > /dev/null 2>&1 < /dev/null & echo $! > "$dir/keystone.pid"
  WAIT_SECONDS=60 wait_for curl -sf "http://127.0.0.1:$port/v3" || { knt_log "keystone did not answer on 127.0.0.1:$port"; return 1; }
}

start() {
  rm -rf "$dir"; mkdir -p "$dir/fernet-keys" "$dir/credential-keys"; chmod 700 "$dir/fernet-keys" "$dir/credential-keys"
  cat > "$conf" <<CONF
[DEFAULT]
log_file = $dir/keystone.log
[database]
connection = sqlite:///$dir/keystone.db
[token]
provider = fernet
expiration = ${KNT_KEYSTONE_TOKEN_EXPIRATION:-300}
[fernet_tokens]
key_repository = $dir/fernet-keys
[credential]
key_repository = $dir/credential-keys
[identity]
password_hash_rounds = 4
[cache]
enabled = false
CONF
  local km=(keystone-manage --config-file "$conf")
  exec 3>&2 2>>"$dir/manage.log"   # keystone-manage prints eventlet noise on exit
  "${km[@]}" db_sync
  # Right after db_sync: without WAL, role/service creation fails with "database is locked" (keystone 22).
  sqlite3 "$dir/keystone.db" 'PRAGMA journal_mode=WAL;' >/dev/null
  "${km[@]}" fernet_setup --keystone-user root --keystone-group root
  "${km[@]}" credential_setup --keystone-user root --keystone-group root
  local admin_pw service_pw url=http://127.0.0.1:$port
  admin_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'); service_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  "${km[@]}" bootstrap --bootstrap-password "$admin_pw" --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$url/v3" --bootstrap-public-url "$url/v3" --bootstrap-internal-url "$url/v3" >/dev/null
  exec 2>&3 3>&-
  serve || return 1
  local appcred
  appcred=$(/usr/bin/python3 "$here/keystone-setup.py" "$url" "$admin_pw" "$service_pw" "$dir/clouds.yaml")
  printf '%s\n' "$service_pw" > "$dir/service-password"; chmod 600 "$dir/service-password"
  cat > "$(knt_env_file keystone)" <<ENV
KNT_KEYSTONE_URL=$url/v3
KNT_OS_CLOUDS_YAML=$dir/clouds.yaml
KNT_OS_ADMIN_CLOUD=admin
KNT_OS_TUNER_CLOUD=tuner
KNT_OS_APPCRED_CLOUD=tuner-appcred
KNT_OS_APPCRED_ID=$appcred
KNT_KEYSTONE_TOKEN_EXPIRATION=${KNT_KEYSTONE_TOKEN_EXPIRATION:-300}
KNT_KEYSTONE_SERVICE_PASSWORD_FILE=$dir/service-password
KNT_KEYSTONE_SCRIPT=$here/keystone.sh
KNT_KEYSTONE_PORT=$port
ENV
  knt_log "keystone up on $url"
}

case ${1:?install|start|stop|restart} in
  install) install_keystone ;;
  start) start ;;
  stop) stop_pidfile "$dir/keystone.pid" ;;
  # restart: stops uwsgi by its pid and serves the same state again (tokens issued before stay valid).
  restart) [ -f "$conf" ] || { knt_log "keystone was never started in $dir"; exit 1; }; stop_pidfile "$dir/keystone.pid"; serve ;;
esac
