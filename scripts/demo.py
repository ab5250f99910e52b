#!/usr/bin/python3
"""Compiles examples/monarch_layer.mlir through struct-opt, runs it under
mlir-runner, checks it against numpy and compares its time with the naive
decomposed lowering (structured-decompose followed by upstream's plain
linalg-to-loops lowering)."""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

LLVM_BIN = "/usr/lib/llvm-22/bin"
LLVM_LIB = "/usr/lib/llvm-22/lib"
RUNNER_LIBS = ",".join(
    os.path.join(LLVM_LIB, lib)
    for lib in ("libmlir_c_runner_utils.so", "libmlir_runner_utils.so"))

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


def dense(array):
    """A dense elements attribute in MLIR's hex form (fast to parse)."""
    shape = "x".join(str(d) for d in array.shape)
    data = array.astype("<f4").tobytes().hex().upper()
    return f'dense<"0x{data}"> : tensor<{shape}xf32>'


def main_function(x, w1, w2, repetitions):
    """@main: times `repetitions` calls of @layer, printing each time, then
    prints the result of one more call."""
    xt = f"tensor<{x.shape[0]}x{x.shape[1]}xf32>"
    w1t = "tensor<{}x{}x{}xf32>".format(*w1.shape)
    w2t = "tensor<{}x{}x{}xf32>".format(*w2.shape)
    return f"""
func.func private @rtclock() -> f64
func.func private @printF64(f64)
func.func private @printNewline()
func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {{
  %x = arith.constant {dense(x)}
  %w1 = arith.constant {dense(w1)}
  %w2 = arith.constant {dense(w2)}
  %init = tensor.empty() : {xt}
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %reps = arith.constant {repetitions} : index
  scf.for %i = %c0 to %reps step %c1 {{
    %t0 = func.call @rtclock() : () -> f64
    %y = func.call @layer(%x, %w1, %w2, %init) : ({xt}, {w1t}, {w2t}, {xt}) -> {xt}
    %t1 = func.call @rtclock() : () -> f64
    %dt = arith.subf %t1, %t0 : f64
    func.call @printF64(%dt) : (f64) -> ()
    func.call @printNewline() : () -> ()
  }}
  %last = func.call @layer(%x, %w1, %w2, %init) : ({xt}, {w1t}, {w2t}, {xt}) -> {xt}
  %u = tensor.cast %last : {xt} to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}}
"""


def run(struct_opt, source, pipeline_args, workdir, name):
    lowered = os.path.join(workdir, name + ".llvm.mlir")
    subprocess.run([struct_opt, source, *pipeline_args, "-o", lowered],
                   check=True)
    out = subprocess.run(
        [os.path.join(LLVM_BIN, "mlir-runner"), lowered, "-e", "main",
         "-entry-point-result=void", "-O3", f"-shared-libs={RUNNER_LIBS}"],
        check=True, capture_output=True, text=True).stdout
    head, _, data = out.partition("Unranked Memref")
    times = [float(t) for t in head.split()]
    values = re.findall(r"-?[\d.]+(?:e[-+]?\d+)?|nan|inf",
                        data.partition("data =")[2])
    return np.array(times), np.array(values, dtype=np.float64)


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
            out.write(main_function(x, w1, w2, args.repetitions))
        print(f"compiling {args.example} with struct-opt "
              "--structured-to-cpu-pipeline")
        ours_t, ours_y = run(args.struct_opt, source,
                             ["--structured-to-cpu-pipeline"], workdir, "ours")
        naive_t, naive_y = run(args.struct_opt, source,
                               [f"--pass-pipeline={NAIVE_PIPELINE}"], workdir,
                               "naive")

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
