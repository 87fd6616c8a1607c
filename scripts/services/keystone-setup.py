#!/usr/bin/python3
"""Creates what the tests (and an operator, see setup.md) need in a fresh Keystone: the service project,
service users for Nova, Glance and placement, the catalog entries for compute, image, placement and network,
the tuner's own service user and its application credential, and a clouds.yaml with three clouds:
admin, tuner (service user, password) and tuner-appcred (application credential).
Usage: keystone-setup.py URL ADMIN_PASSWORD SERVICE_PASSWORD CLOUDS_YAML  (ports from KNT_*_PORT)."""
import json, os, sys, time, urllib.request, urllib.error

url, admin_pw, service_pw, clouds_path = sys.argv[1:5]
port = lambda name, default: os.environ.get(name, str(default))

def call(method, path, body=None, token=None, expect=(200, 201, 204)):
    req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            data = r.read()
            return r.headers, (json.loads(data) if data else {})
    except urllib.error.HTTPError as e:
        raise SystemExit(f"keystone-setup: {method} {path} -> {e.code} {e.read()[:300]!r}")

def token_for(user, password, project):
    h, _ = call("POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"id": "default"}}}}})
    return h["X-Subject-Token"]

_admin = {"token": None, "at": 0.0}
def admin():
    """The admin token, renewed every 20 s: the tests run Keystone with a 60 s token lifetime and a loaded
    machine can take longer than that to finish this setup."""
    if time.monotonic() - _admin["at"] > 20:
        _admin["token"], _admin["at"] = token_for("admin", admin_pw, "admin"), time.monotonic()
    return _admin["token"]
find = lambda kind, name: next((x["id"] for x in call("GET", f"/v3/{kind}?name={name}", token=admin())[1][kind]), None)
def ensure(kind, single, name, extra=None):
    return find(kind, name) or call("POST", f"/v3/{kind}", {single: dict({"name": name}, **(extra or {}))}, token=admin())[1][single]["id"]

service_project = ensure("projects", "project", "service", {"domain_id": "default"})
admin_role = ensure("roles", "role", "admin")
service_role = ensure("roles", "role", "service")
reader_role = ensure("roles", "role", "reader")
def grant(user_id, role_id):
    call("PUT", f"/v3/projects/{service_project}/users/{user_id}/roles/{role_id}", token=admin())

for svc in ("nova", "glance", "placement"):
    uid = ensure("users", "user", svc, {"domain_id": "default", "password": service_pw, "default_project_id": service_project})
    grant(uid, admin_role); grant(uid, service_role)

catalog = [("compute", "nova", f"http://127.0.0.1:{port('KNT_NOVA_PORT', 8774)}/v2.1"),
           ("image", "glance", f"http://127.0.0.1:{port('KNT_GLANCE_PORT', 9292)}"),
           ("placement", "placement", f"http://127.0.0.1:{port('KNT_PLACEMENT_PORT', 8778)}"),
           ("network", "neutron", f"http://127.0.0.1:{port('KNT_NEUTRON_PORT', 9696)}")]
for stype, name, endpoint in catalog:
    sid = ensure("services", "service", name, {"type": stype})
    for iface in ("public", "internal", "admin"):
        call("POST", "/v3/endpoints", {"endpoint": {"service_id": sid, "interface": iface, "url": endpoint, "region_id": "RegionOne"}}, token=admin())

# The tuner's own identity: a service user in the service project. The tests give it the admin role
# because the default Nova and Glance policies need it for cross-project servers, flavors and images;
# setup.md describes the narrower role an operator can give it with policy overrides.
tuner_pw = service_pw + "-tuner"
tuner = ensure("users", "user", "kvm-nova-tuner", {"domain_id": "default", "password": tuner_pw, "default_project_id": service_project})
grant(tuner, admin_role); grant(tuner, service_role)
tuner_token = token_for("kvm-nova-tuner", tuner_pw, "service")
_, cred = call("POST", f"/v3/users/{tuner}/application_credentials", {"application_credential": {
    "name": "kvm-nova-tuner-agent", "description": "KVM Nova Tuner agent", "roles": [{"name": "admin"}, {"name": "service"}]}}, token=tuner_token)
cred = cred["application_credential"]

v3 = url + "/v3"
def cloud(auth, **more):
    lines = ["    auth:"] + [f"      {k}: {v}" for k, v in auth.items()]
    # api_timeout: this shared test machine is slow (Nova took minutes per action at load 40+).
    lines += ["    region_name: RegionOne", "    interface: public", "    api_timeout: 300"] + [f"    {k}: {v}" for k, v in more.items()]
    return "\n".join(lines)
text = "clouds:\n" + "\n".join([
    "  admin:", cloud({"auth_url": v3, "username": "admin", "password": admin_pw, "project_name": "admin",
                       "user_domain_name": "Default", "project_domain_name": "Default"}),
    "  tuner:", cloud({"auth_url": v3, "username": "kvm-nova-tuner", "password": tuner_pw, "project_name": "service",
                       "user_domain_name": "Default", "project_domain_name": "Default"}),
    "  tuner-appcred:", cloud({"auth_url": v3, "application_credential_id": cred["id"],
                               "application_credential_secret": cred["secret"]}, auth_type="v3applicationcredential"),
]) + "\n"
with open(clouds_path, "w") as f: f.write(text)
os.chmod(clouds_path, 0o600)
print(cred["id"])
