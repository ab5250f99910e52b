#!/usr/bin/python3
"""btt_moe cost against the number K of selected experts (R = 8 experts):
compiles one BTT-MoE layer per K through --structured-to-cpu-pipeline, runs
it under mlir-runner and prints median times. The sparse lowering computes
only the selected experts, so time should grow with K, not R; the dense BTT
of rank R (every expert) is measured in the same run for comparison.

Usage: bench/btt_moe_k_scaling.py --struct-opt build/bin/struct-opt
"""

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from mlir_jit import compile_and_run, tensor_type, timing_main  # noqa: E402

N, BLOCKS, RANK, BATCH = 256, 16, 8, 64


def layer(op_line, arguments, result_type):
    params = ", ".join(f"%{name}: {tensor_type(a)}"
                       for name, a in arguments.items())
    return (f"func.func @layer({params}, %init: {result_type}) -> "
            f"{result_type} {{\n  %y = {op_line}\n"
            f"  return %y : {result_type}\n}}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--struct-opt", required=True)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(8)
    b = BLOCKS
    x = rng.standard_normal((BATCH, N)).astype(np.float32)
    w1 = rng.standard_normal((b, RANK, b, b)).astype(np.float32)
    w2 = rng.standard_normal((b, b, b, RANK)).astype(np.float32)
    result_type = f"tensor<{BATCH}x{N}xf32>"
    types = lambda names: ", ".join(tensor_type(a) for a in names)  # noqa
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        cases = []
        for k in (1, 2, 8):
            idx = np.stack([rng.permutation(RANK)[:k] for _ in range(BATCH)])
            gate = rng.random((BATCH, k)).astype(np.float32)
            arguments = {"x": x, "w1": w1, "w2": w2,
                         "idx": idx.astype(np.int32), "gate": gate}
            op = ("structured.btt_moe ins(%x, %w1, %w2, %idx, %gate : "
                  f"{types(arguments.values())}) outs(%init : {result_type})"
                  f" -> {result_type}")
            cases.append((f"btt_moe R={RANK} K={k}", k, arguments, op))
        arguments = {"x": x, "w1": w1, "w2": w2}
        op = (f"structured.btt ins(%x, %w1, %w2 : {types(arguments.values())})"
              f" outs(%init : {result_type}) -> {result_type}")
        cases.append((f"btt rank {RANK} (all experts)", RANK, arguments, op))

        for name, k, arguments, op in cases:
            source = os.path.join(workdir, "layer.mlir")
            with open(source, "w") as f:
                f.write(layer(op, arguments, result_type))
                f.write(timing_main(arguments, result_type, args.repetitions,
                                    print_result=False))
            times, _ = compile_and_run(
                args.struct_opt, source,
                ["--structured-to-cpu-pipeline=runtime-checks=false"],
                os.path.join(workdir, "lowered.mlir"))
            rows.append((name, k, np.median(times) * 1e3))

    base = rows[0][2]
    print(f"n={N}, {BLOCKS}x{BLOCKS} blocks, R={RANK}, batch {BATCH}, fp32, "
          f"median of {args.repetitions}")
    print(f"{'layer':32} {'K':>3} {'ms':>9} {'time / time(K=1)':>17}")
    for name, k, ms in rows:
        print(f"{name:32} {k:>3} {ms:9.3f} {ms / base:17.2f}")


if __name__ == "__main__":
    sys.exit(main())
