#!/usr/bin/python3
"""Generates demo/notifications.jsonl: Nova versioned notifications (oslo envelopes) for tuned flavors from flavors/.

The demo verb replays this file against a libvirt test host whose domains it derives from the same events.
Run from the repository root: /usr/bin/python3 scripts/generate-demo-notifications.py
"""
import json, uuid, yaml, glob

HOST = "demo-compute"
NS = uuid.UUID("6b766e74-0000-4000-8000-64656d6f0000")
flavors = {}
for path in sorted(glob.glob("flavors/*.yaml")):
    for f in yaml.safe_load(open(path))["flavors"]:
        flavors[f["name"]] = f
# A flavor that must be refused: native AIO with a cache mode QEMU rejects it with.
flavors["kn.broken.native-io"] = {"name": "kn.broken.native-io", "vcpus": 2, "ram": 2048, "disk": 20,
    "extra_specs": {"tuner:disk_io": "native", "tuner:disk_cache": "writeback"}}

def ids(name):
    inst = str(uuid.uuid5(NS, "instance/" + name))
    port = str(uuid.uuid5(NS, "port/" + name))
    return inst, port

def envelope(event_type, name, host=HOST, message_key=None, server=None):
    f = flavors[name]
    inst, port = ids(server or name)
    mid = str(uuid.uuid5(NS, "message/" + (message_key or f"{event_type}/{server or name}")))
    payload = {
        "nova_object.name": "InstanceCreatePayload", "nova_object.namespace": "nova", "nova_object.version": "1.13",
        "nova_object.data": {
            "uuid": inst, "display_name": f"demo-{server or name}", "host": None if event_type.endswith(".start") else host,
            "node": host, "state": "building" if event_type.endswith(".start") else "active",
            "task_state": "spawning" if event_type.endswith(".start") else None, "power_state": "running",
            "tenant_id": "d3m0", "image_uuid": str(uuid.uuid5(NS, "image")),
            "ip_addresses": [{"nova_object.name": "IpPayload", "nova_object.namespace": "nova", "nova_object.version": "1.0",
                "nova_object.data": {"mac": "fa:16:3e:" + ":".join(port[i:i+2] for i in (0, 2, 4)), "address": "192.0.2.10",
                    "port_uuid": port, "meta": {}, "version": 4, "label": "demo", "device_name": "tap" + port[:11]}}],
            "flavor": {"nova_object.name": "FlavorPayload", "nova_object.namespace": "nova", "nova_object.version": "1.4",
                "nova_object.data": {"flavorid": str(uuid.uuid5(NS, "flavor/" + name)), "name": name, "vcpus": f["vcpus"],
                    "memory_mb": f["ram"], "root_gb": f.get("disk", 10), "ephemeral_gb": 0, "swap": 0,
                    "extra_specs": {k: str(v) for k, v in f["extra_specs"].items()}}},
        },
    }
    msg = {"message_id": mid, "publisher_id": f"nova-compute:{host}", "event_type": event_type, "priority": "INFO",
           "payload": payload, "timestamp": "2026-11-26 04:00:00.000000"}
    return json.dumps({"oslo.version": "2.0", "oslo.message": json.dumps(msg)})

lines = [
    envelope("instance.create.end", "kn.general.medium"),
    envelope("instance.create.end", "kn.dedicated.large"),
    envelope("instance.create.start", "kn.numa2.hugepages-2m.xlarge"),
    envelope("instance.create.end", "kn.numa2.hugepages-2m.xlarge"),
    envelope("instance.create.end", "kn.net.silver"),
    envelope("instance.create.end", "kn.io.large"),
    envelope("instance.create.end", "kn.broken.native-io"),
    # The broker redelivers after a failure: the same message id again is dropped.
    envelope("instance.create.end", "kn.dedicated.large"),
    # An instance on another compute host: filtered out here.
    envelope("instance.create.end", "kn.net.bronze", host="other-compute"),
]
with open("demo/notifications.jsonl", "w") as out:
    out.write("\n".join(lines) + "\n")
print(f"wrote {len(lines)} notifications to demo/notifications.jsonl")
