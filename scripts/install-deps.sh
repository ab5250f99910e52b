#!/usr/bin/env bash
# Installs the Debian packages the project needs. Idempotent: it runs
# `apt-get update` and `apt-get install` only when something is missing.
set -euo pipefail

packages=(
  # Toolchain: LLVM/MLIR 22 from bookworm-security (DESIGN.md §4).
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  cmake ninja-build git
  # Tests: GoogleTest and numpy references run by /usr/bin/python3.
  libgtest-dev python3 python3-numpy
  # OpenMP runtime of the multithreaded CPU code.
  libomp-22-dev
)
# `install-deps.sh --bench`: also the peers of the benchmarks (PyTorch and
# numpy on a real BLAS) and matplotlib for the plots.
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch libopenblas0-pthread python3-matplotlib linux-perf)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
