# Debian package installs for the OpenStack services (Keystone, Glance, Nova + placement). Source it.
# Preseeds debconf so no postinst touches a database, registers an endpoint or configures a broker.

knt_preseed() { printf '%s\n' "$@" | debconf-set-selections; }

install_keystone() {
  knt_preseed 'keystone keystone/configure_db boolean false' \
    'keystone keystone/create-admin-tenant boolean false' \
    'keystone keystone/register-endpoint boolean false'
  apt_install keystone sqlite3 curl uwsgi-core uwsgi-plugin-python3
}

install_glance() {
  knt_preseed 'glance-common glance/configure_db boolean false' \
    'glance-common glance/configure_rabbit boolean false' \
    'glance-common glance/configure_ksat boolean false' \
    'glance-api glance/configure_api-endpoint boolean false'
  apt_install glance-api sqlite3
}

install_nova() {
  local k
  for k in configure_db configure_rabbit configure_ksat configure_neutron configure_placement; do
    knt_preseed "nova-common nova/$k boolean false"
  done
  knt_preseed 'placement-common placement/configure_db boolean false' \
    'placement-common placement/configure_ksat boolean false' \
    'placement-api placement/configure_api-endpoint boolean false'
  apt_install nova-common placement-api sqlite3
}

# load_keystone: reads the Keystone service's env file (Keystone must be started first).
load_keystone() {
  local f=$KNT_RUN_DIR/env/keystone.env
  [ -f "$f" ] || { knt_log "keystone is not running (no $f): start it first"; return 1; }
  set -a; . "$f"; set +a
  KS_URL=${KNT_KEYSTONE_URL%/v3}
  KS_PW=$(cat "$KNT_KEYSTONE_SERVICE_PASSWORD_FILE")
}

# ks_auth USER: the oslo keystoneauth options for one of the service users keystone-setup.py created.
ks_auth() {
  cat <<AUTH
auth_type = password
auth_url = $KS_URL
www_authenticate_uri = $KS_URL
username = $1
password = $KS_PW
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
AUTH
}

# wal DB...: switches sqlite files to WAL right after their schema is created.
wal() { local db; for db in "$@"; do sqlite3 "$db" 'PRAGMA journal_mode=WAL;' >/dev/null; done; }

# start_bg PIDFILE LOG CMD...: starts a daemon in the background with its own pid file.
start_bg() {
  local pidfile=$1 log=$2; shift 2
  setsid "$@" >>"$log" 2>&1 < /dev/null & echo $! > "$pidfile"
}
