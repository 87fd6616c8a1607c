#!/usr/bin/env bash
# The summary of a test run from its .trx files (scripts/test.sh): "N skipped" on the line before the last, then
# "N passed, N failed" as the last line. Usage: test-summary.sh RESULTS_DIR [EXTRA_FAILED]. Exits 1 unless all passed.
# A skipped test is one the trx counts in total but not in executed (NUnit's Assert.Ignore); a run that executed no test is not a pass.
set -uo pipefail
results=${1:?usage: test-summary.sh RESULTS_DIR [EXTRA_FAILED]}
extra=${2:-0}
counter() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<< "$2"; }
passed=0; failed=0; skipped=0
for t in "$results"/*.trx; do
  [ -f "$t" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$t" | head -1)
  passed=$((passed + $(counter passed "$c" | grep . || echo 0)))
  for k in failed error timeout aborted; do failed=$((failed + $(counter "$k" "$c" | grep . || echo 0))); done
  # The trx logger leaves notExecuted at 0 for NUnit's ignored tests: they are the ones counted but not executed.
  total=$(counter total "$c" | grep . || echo 0); executed=$(counter executed "$c" | grep . || echo "$total")
  skipped=$((skipped + total - executed))
done
failed=$((failed + extra))
[ $passed -eq 0 ] && [ $failed -eq 0 ] && failed=1
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
