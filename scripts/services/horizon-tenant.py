#!/usr/bin/python3
"""Creates (or resets) a tenant for the Horizon browser tests: project NAME and user NAME with the member role in
it, password PASSWORD. Authenticates as the admin cloud of the clouds.yaml keystone.sh wrote.
Usage: horizon-tenant.py CLOUDS_YAML ADMIN_CLOUD NAME PASSWORD"""
import json, sys, urllib.error, urllib.request
import yaml

clouds_path, admin_cloud, name, password = sys.argv[1:5]
auth = yaml.safe_load(open(clouds_path))["clouds"][admin_cloud]["auth"]
url = auth["auth_url"].rstrip("/")

def call(method, path, body=None, token=None):
    req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            data = r.read()
            return r.headers, (json.loads(data) if data else {})
    except urllib.error.HTTPError as e:
        raise SystemExit(f"horizon-tenant: {method} {path} -> {e.code} {e.read()[:300]!r}")

h, _ = call("POST", "/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": auth["username"], "domain": {"name": auth["user_domain_name"]}, "password": auth["password"]}}},
    "scope": {"project": {"name": auth["project_name"], "domain": {"name": auth["project_domain_name"]}}}}})
token = h["X-Subject-Token"]
def find(kind, n):
    return next((x["id"] for x in call("GET", f"/{kind}?name={n}", token=token)[1][kind]), None)

project = find("projects", name) or call("POST", "/projects", {"project": {"name": name, "domain_id": "default"}}, token)[1]["project"]["id"]
user = find("users", name)
if user:
    call("PATCH", f"/users/{user}", {"user": {"password": password, "enabled": True}}, token)
else:
    user = call("POST", "/users", {"user": {"name": name, "domain_id": "default", "password": password,
                                            "default_project_id": project}}, token)[1]["user"]["id"]
member = find("roles", "member") or call("POST", "/roles", {"role": {"name": "member"}}, token)[1]["role"]["id"]
call("PUT", f"/projects/{project}/users/{user}/roles/{member}", token=token)
