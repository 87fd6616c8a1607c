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
