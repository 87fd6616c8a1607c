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
  for p in tests/*.Tests/*.csproj; do
    name=$(basename "$p" .csproj)
    dotnet test "$p" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      -- NUnit.DefaultTimeout=600000 || true
    [ -f "$results/$name.trx" ] || { echo "[test] $name produced no result file" >&2; failed_extra=$((failed_extra+1)); }
  done
fi

scripts/services.sh stop >/dev/null 2>&1 || true

exec scripts/lib/test-summary.sh "$results" "$failed_extra"   # "N skipped", then "N passed, N failed" last
