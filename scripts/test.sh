#!/usr/bin/env bash
# The test command (README, .ci/run): installs and starts the real services, builds, runs every test,
# stops the services by pid, and prints "N skipped" then "N passed, N failed" as its last line.
set -uo pipefail
cd "$(dirname "$0")/.."
export KNT_RUN_DIR=${KNT_RUN_DIR:-$(mktemp -d /tmp/knt-run.XXXXXX)}
results="$KNT_RUN_DIR/test-results"; mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/services.sh install || echo "[test] some services could not be installed" >&2
scripts/services.sh start || echo "[test] some services did not start" >&2
for f in "$KNT_RUN_DIR"/env/*.env; do [ -f "$f" ] && { set -a; . "$f"; set +a; }; done

failed_extra=0
if ! dotnet build -c Release KvmNovaTuner.sln -nologo -clp:ErrorsOnly; then
  echo "[test] build failed" >&2
  failed_extra=1
else
  run_tests() { # PROJECT RESULT-NAME [FILTER]
    dotnet test "$1" -c Release --no-build --logger "trx;LogFileName=$2.trx" --results-directory "$results" \
      ${3:+--filter "$3"} -- NUnit.DefaultTimeout=600000 || true
    [ -f "$results/$2.trx" ] || { echo "[test] $2 produced no result file" >&2; failed_extra=$((failed_extra+1)); }
  }
  # Phase 1: every test but RealKvm, with Nova's fake virt driver (the fast end-to-end variant).
  for p in tests/*.Tests/*.csproj; do run_tests "$p" "$(basename "$p" .csproj)" "TestCategory!=RealKvm"; done
  # Phase 2: the RealKvm tests, with Nova's compute on its real libvirt driver (KVM guests in the private
  # libvirtd). Nova is restarted from nothing in that mode; where KVM cannot run, the tests skip with the reason.
  scripts/services.sh stop nova >/dev/null 2>&1 || true
  rm -rf "$KNT_RUN_DIR/nova"
  unset KNT_NOVA_COMPUTE_HOST   # the fake compute's name; the libvirt mode names its own host
  [ -f "$KNT_RUN_DIR/env/libvirt.env" ] && { set -a; . "$KNT_RUN_DIR/env/libvirt.env"; set +a; }   # libvirtd's pid now
  KNT_NOVA_COMPUTE_DRIVER=libvirt scripts/services.sh start nova || echo "[test] Nova with the libvirt driver did not start" >&2
  [ -f "$KNT_RUN_DIR/env/nova.env" ] && { set -a; . "$KNT_RUN_DIR/env/nova.env"; set +a; }
  run_tests tests/KvmNovaTuner.Integration.Tests/KvmNovaTuner.Integration.Tests.csproj RealKvm "TestCategory=RealKvm"
fi

scripts/services.sh stop >/dev/null 2>&1 || true

exec scripts/lib/test-summary.sh "$results" "$failed_extra"   # "N skipped", then "N passed, N failed" last
