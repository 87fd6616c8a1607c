#!/usr/bin/env bash
# Horizon (Debian's openstack-dashboard) on 127.0.0.1:${KNT_HORIZON_PORT:-8080}, served by uwsgi against the test
# Keystone (and through its catalog Nova and Glance): a settings module in $KNT_RUN_DIR/horizon that takes Debian's
# settings and points them at the test Keystone, signed-cookie sessions and a local-memory cache (no memcached).
# Also creates a tenant (project knt-tenant, user knt-tenant with the member role) for the browser tests.
# The browser tests need chromium and chromium-driver, installed here too. Needs keystone started (nova, glance
# for the pages that list flavors and servers).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/openstack-install.sh"
dir=$KNT_RUN_DIR/horizon
port=${KNT_HORIZON_PORT:-8080}

install() {
  apt_install openstack-dashboard uwsgi-core uwsgi-plugin-python3 chromium chromium-driver curl
}

start() {
  load_keystone
  rm -rf "$dir"; mkdir -p "$dir"
  local secret tenant_pw
  secret=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  tenant_pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  cat > "$dir/knt_horizon_settings.py" <<PY
# Debian's Horizon settings (which read /etc/openstack-dashboard/local_settings.py), pointed at the test cloud.
from openstack_dashboard.settings import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = "$secret"
OPENSTACK_HOST = "127.0.0.1"
OPENSTACK_KEYSTONE_URL = "$KS_URL/v3"
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
OPENSTACK_ENDPOINT_TYPE = "publicURL"
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test cloud has no Neutron (a stand-in answers Nova), no Cinder and no Swift: keep Horizon to Nova and Glance.
OPENSTACK_NEUTRON_NETWORK = {"enable_router": False, "enable_quotas": False, "enable_fip_topology_check": False}
OPENSTACK_HYPERVISOR_FEATURES = {"can_set_mount_point": False, "can_set_password": False}
LAUNCH_INSTANCE_DEFAULTS = {"create_volume": False}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"file": {"class": "logging.FileHandler", "filename": "$dir/horizon.log"}},
           "root": {"handlers": ["file"], "level": "WARNING"}}
PY
  # Debian's wsgi.py forces DJANGO_SETTINGS_MODULE to its own settings: serve through one that uses ours.
  cat > "$dir/knt_horizon_wsgi.py" <<PY
import os, sys
sys.path.insert(0, "$dir")
sys.path.insert(1, "/usr/share/openstack-dashboard")
os.environ["DJANGO_SETTINGS_MODULE"] = "knt_horizon_settings"
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
PY
  local static=/var/lib/openstack-dashboard/static
  [ -d "$static" ] || static=/usr/share/openstack-dashboard/static
  uwsgi --plugin python3 --http11-socket "127.0.0.1:$port" --chdir /usr/share/openstack-dashboard \
    --wsgi-file "$dir/knt_horizon_wsgi.py" \
    --static-map "/static=$static" --master --processes 1 --threads 4 --die-on-term \
    --logto "$dir/uwsgi.log" > /dev/null 2>&1 < /dev/null & echo $! > "$dir/horizon.pid"
  WAIT_SECONDS=120 wait_for curl -sf -o /dev/null "http://127.0.0.1:$port/auth/login/" \
    || { knt_log "horizon did not answer on 127.0.0.1:$port; see $dir/uwsgi.log"; return 1; }
  /usr/bin/python3 "$here/horizon-tenant.py" "$KNT_OS_CLOUDS_YAML" "$KNT_OS_ADMIN_CLOUD" knt-tenant "$tenant_pw"
  printf '%s\n' "$tenant_pw" > "$dir/tenant-password"; chmod 600 "$dir/tenant-password"
  cat > "$(knt_env_file horizon)" <<ENV
KNT_HORIZON_URL=http://127.0.0.1:$port
KNT_HORIZON_PORT=$port
KNT_HORIZON_TENANT=knt-tenant
KNT_HORIZON_TENANT_PASSWORD_FILE=$dir/tenant-password
KNT_CHROMIUM=/usr/bin/chromium
KNT_CHROMEDRIVER=/usr/bin/chromedriver
ENV
  knt_log "horizon up on http://127.0.0.1:$port"
}

case ${1:?install|start|stop} in
  install) install ;;
  start) start ;;
  stop) stop_pidfile "$dir/horizon.pid" ;;
esac
