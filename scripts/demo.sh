#!/usr/bin/env bash
# The README's main-job command. On a fresh Debian 12 machine (as root): installs what the demo needs
# (libvirt's library and test driver, Open vSwitch's database server), builds, and runs `kvm-nova-tuner demo`:
# a private libvirt test host and ovsdb-server, the bundled Nova notifications for tuned flavors replayed
# through the real pipeline, and per instance what was planned, applied, left pending a restart or refused.
# The demo stops what it started (by pid) and removes its work directory. Extra arguments go to `demo`
# (e.g. --json, --keep).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh
export KNT_SERVICE=demo DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# libvirt0 + libvirt-daemon: the library and its test driver (no daemon is started);
# openvswitch-switch: ovsdb-server and the vswitch schema (policy-rc.d keeps the packaged service stopped).
apt_install libvirt0 libvirt-daemon openvswitch-switch || knt_log "could not install every package; the demo runs with what exists"

out="$PWD/.build/demo"
knt_log "building (Release)"
dotnet build src/KvmNovaTuner.Cli/KvmNovaTuner.Cli.csproj -c Release -nologo -clp:ErrorsOnly -o "$out" >/dev/null
exec dotnet "$out/kvm-nova-tuner.dll" demo --notifications demo/notifications.jsonl "$@"
