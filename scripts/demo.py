#!/usr/bin/python3
"""Compiles examples/monarch_layer.mlir through struct-opt, runs it under
mlir-runner, checks it against numpy and compares its time with the naive
decomposed lowering (structured-decompose followed by upstream's plain
linalg-to-loops lowering)."""

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench", "lib"))
from mlir_jit import compile_and_run, timing_main  # noqa: E402

# The lowering a user gets without the project's pipeline: the reference
# decomposition, bufferization and upstream's scalar loop lowering.
NAIVE_PIPELINE = ("builtin.module(structured-decompose,"
                  "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map},"
                  "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
                  "func.func(convert-linalg-to-loops),"
                  "lower-affine,convert-scf-to-cf,expand-strided-metadata,"
                  "lower-affine,finalize-memref-to-llvm,convert-math-to-llvm,"
                  "convert-arith-to-llvm,convert-index-to-llvm,"
                  "convert-func-to-llvm,convert-cf-to-llvm,"
                  "reconcile-unrealized-casts)")


def monarch_reference(x, w1, w2):
    """DESIGN.md §1, written with explicit block loops."""
    batch, n = x.shape
    k, q, p = w1.shape
    l, s, r = w2.shape
    z = np.zeros((batch, k * q), dtype=np.float64)
    for i in range(k):
        z[:, i * q:(i + 1) * q] = x[:, i * p:(i + 1) * p] @ w1[i].T
    y = np.zeros((batch, l * s), dtype=np.float64)
    for a in range(l):
        # y[b, u*l + a] = sum_c w2[a, u, c] * z[b, c*l + a]
        y[:, a::l] = z[:, a::l][:, :r] @ w2[a].T
    return y


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--struct-opt", required=True)
    parser.add_argument("--example", required=True)
    parser.add_argument("--repetitions", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(2026)
    x = rng.standard_normal((256, 1024)).astype(np.float32)
    w1 = (rng.standard_normal((32, 32, 32)) / np.sqrt(32)).astype(np.float32)
    w2 = (rng.standard_normal((32, 32, 32)) / np.sqrt(32)).astype(np.float32)

    with tempfile.TemporaryDirectory() as workdir:
        source = os.path.join(workdir, "demo.mlir")
        with open(args.example) as example, open(source, "w") as out:
            out.write(example.read())
            out.write(timing_main({"x": x, "w1": w1, "w2": w2},
                                  "tensor<256x1024xf32>", args.repetitions))
        print(f"compiling {args.example} with struct-opt "
              "--structured-to-cpu-pipeline")
        ours_t, ours_y = compile_and_run(
            args.struct_opt, source, ["--structured-to-cpu-pipeline"],
            os.path.join(workdir, "ours.mlir"))
        naive_t, naive_y = compile_and_run(
            args.struct_opt, source, [f"--pass-pipeline={NAIVE_PIPELINE}"],
            os.path.join(workdir, "naive.mlir"))

    reference = monarch_reference(x.astype(np.float64), w1.astype(np.float64),
                                  w2.astype(np.float64)).ravel()
    scale = np.max(np.abs(reference))
    error = np.max(np.abs(ours_y - reference)) / scale
    naive_error = np.max(np.abs(naive_y - reference)) / scale
    ok = ours_y.size == reference.size and error < 1e-5 and naive_error < 1e-5
    print(f"monarch n=1024 (32 blocks of 32x32), batch 256, fp32")
    print(f"  max error vs numpy (relative to max |y|): {error:.2e} "
          f"({'OK' if ok else 'MISMATCH'})")
    ours_ms = np.median(ours_t) * 1e3
    naive_ms = np.median(naive_t) * 1e3
    flops = 2 * 256 * (1024 * 32 + 1024 * 32)
    print(f"  structured-to-cpu-pipeline: {ours_ms:8.3f} ms median of "
          f"{len(ours_t)} ({flops / ours_ms / 1e6:.2f} GFLOP/s)")
    print(f"  naive decomposed lowering:  {naive_ms:8.3f} ms median of "
          f"{len(naive_t)} ({flops / naive_ms / 1e6:.2f} GFLOP/s)")
    print(f"  speed-up over the naive lowering: {naive_ms / ours_ms:.2f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
