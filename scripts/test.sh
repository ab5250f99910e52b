#!/usr/bin/env bash
# Builds the project and runs every test: the lit suites (dialect, passes,
# pipelines, CPU integration, plugin, install/consumer, python) and the
# GoogleTest unit tests, which lit runs as well. Ends with one line
# `N passed, N failed` and a non-zero exit status on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
source scripts/common.sh

configure_and_build all mlir-doc

log="$BUILD_DIR/test-results.txt"
status=0
"$LLVM_BIN/lit" -sv "$BUILD_DIR/test" 2>&1 | tee "$log" || status=$?

count() {
  # lit's summary lines look like "  Passed           : 120" (or "Passed: 120").
  sed -nE "s/^ *$1 *: *([0-9]+).*/\1/p" "$log" | head -1
}
passed=$(count Passed); passed=${passed:-0}
failed=0
for kind in Failed Unresolved "Timed Out" "Unexpectedly Passed"; do
  n=$(count "$kind"); failed=$((failed + ${n:-0}))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
