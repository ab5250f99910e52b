# Shared by the scripts: configure and build the project in $BUILD_DIR.
# shellcheck shell=bash

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT_DIR/build}"
LLVM_BIN=/usr/lib/llvm-22/bin

# Configures once; later runs only rebuild what changed.
configure_and_build() {
  if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    cmake -G Ninja -S "$ROOT_DIR" -B "$BUILD_DIR" \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER="$LLVM_BIN/clang" \
      -DCMAKE_CXX_COMPILER="$LLVM_BIN/clang++" \
      -DLLVM_ENABLE_LLD=ON >/dev/null
  fi
  ninja -C "$BUILD_DIR" "$@"
}
