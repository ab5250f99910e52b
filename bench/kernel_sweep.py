#!/usr/bin/python3
"""Times one Monarch layer under several vector-kernel shapes.

    bench/kernel_sweep.py --n 4096 --batch 2048 --kernels 48x8 64x6 32x12

Each shape is forced with a `structured.kernel = array<i64: lanes,
row_block>` attribute (and a batch tile of half the batch, rounded up to the
lanes), compiled with struct-aot and timed (median of --repetitions) in this
one process, so that the rows compare with each other. Used to check the
cost model's choice of kernel shape.
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
from aot import Library  # noqa: E402


def layer(n, b, batch, lanes, row_block, threads):
    x = f"memref<{batch}x{n}xf32>"
    w = f"memref<{b}x{b}x{b}xf32>"
    tile = math.ceil(batch / threads / lanes) * lanes
    return (f"func.func @layer(%x: {x}, %w1: {w}, %w2: {w}, %y: {x}) {{\n"
            f"  structured.monarch ins(%x, %w1, %w2 : {x}, {w}, {w}) "
            f"outs(%y : {x}) {{structured.kernel = array<i64: {lanes}, "
            f"{row_block}>, structured.tile_sizes = array<i64: {tile}, 0>}}\n"
            "  return\n}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=4096)
    parser.add_argument("--batch", type=int, default=2048)
    parser.add_argument("--kernels", nargs="+", default=["48x8", "64x6"],
                        metavar="LANESxROWS")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = parser.parse_args()
    b = math.isqrt(args.n)
    if b * b != args.n:
        parser.error("--n must be a square")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.batch, args.n), dtype=np.float32)
    w1 = rng.standard_normal((b, b, b), dtype=np.float32)
    w2 = rng.standard_normal((b, b, b), dtype=np.float32)
    y = np.zeros_like(x)
    flops = 4 * args.batch * args.n * b
    with tempfile.TemporaryDirectory(prefix="structured-sweep-") as work:
        for kernel in args.kernels:
            lanes, row_block = (int(v) for v in kernel.split("x"))
            source = os.path.join(work, f"layer{kernel}.mlir")
            with open(source, "w") as f:
                f.write(layer(args.n, b, args.batch, lanes, row_block,
                              args.threads))
            library = os.path.join(work, f"layer{kernel}.so")
            subprocess.run([os.path.join(args.build, "bin", "struct-aot"),
                            source, "-o", library, "--threads"], check=True)
            function = Library(library).function("layer")
            function(x, w1, w2, y)
            times = []
            for _ in range(args.repetitions):
                start = time.perf_counter()
                function(x, w1, w2, y)
                times.append(time.perf_counter() - start)
            ms = 1e3 * sorted(times)[len(times) // 2]
            print(f"lanes {lanes:3d} row_block {row_block:2d}: {ms:8.3f} ms "
                  f"{flops / ms / 1e6:7.1f} GFLOP/s", flush=True)


if __name__ == "__main__":
    main()
