#!/usr/bin/env bash
# Builds struct-opt, compiles the Monarch layer of examples/ through
# --structured-to-cpu-pipeline, runs it under mlir-runner, checks it against
# numpy and prints its time next to the naive decomposed lowering's.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
source scripts/common.sh

configure_and_build struct-opt
/usr/bin/python3 scripts/demo.py --struct-opt "$BUILD_DIR/bin/struct-opt" \
  --example examples/monarch_layer.mlir
