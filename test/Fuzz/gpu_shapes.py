"""Seeded random shapes of blockdiag, monarch and btt (f32, bf16, f16; odd,
ragged and rectangular blocks, dynamic batch) through
structured-to-nvvm-pipeline with a random choice of kernel options. A case
fails if struct-opt exits non-zero, crashes, times out, leaves a structured
op or produces no GPU binary; the failing inputs are written to
--crash-dir.

    STRUCT_OPT=build/bin/struct-opt /usr/bin/python3 test/Fuzz/gpu_shapes.py \\
      --seed N --count 200 [--format fatbin]
"""

import argparse
import os
import random
import shutil
import subprocess
import sys

OPTIONS = ["", "f32-tensor-cores=false", "round-intermediate=true",
           "fuse-stages=true", "ctas-per-sm=1"]


def divisor_pair(rng, m):
    """l, r with l·r = m."""
    l = rng.choice([d for d in range(1, m + 1) if m % d == 0])
    return l, m // l


def random_op(rng):
    t = rng.choice(["f32", "bf16", "f16"])
    op = rng.choice(["blockdiag", "monarch", "btt"])
    if op == "blockdiag":
        k = rng.choice([1, 2, 3, 4, 6, 8, 16])
        q, p = rng.randint(1, 140), rng.randint(1, 140)
        operands = [f"?x{k * p}", f"{k}x{q}x{p}"]
        out = f"?x{k * q}"
    elif op == "monarch":
        k = rng.choice([1, 2, 4, 6, 8, 16])
        p, q, s = rng.randint(1, 80), rng.randint(1, 80), rng.randint(1, 80)
        l, r = divisor_pair(rng, k * q)
        operands = [f"?x{k * p}", f"{k}x{q}x{p}", f"{l}x{s}x{r}"]
        out = f"?x{l * s}"
    else:
        k, rank = rng.choice([1, 2, 4, 8]), rng.choice([1, 2, 3, 4])
        p, q, s = rng.randint(1, 64), rng.randint(1, 40), rng.randint(1, 64)
        l, r = divisor_pair(rng, k * q)
        operands = [f"?x{k * p}", f"{k}x{rank}x{q}x{p}",
                    f"{l}x{s}x{r}x{rank}"]
        out = f"?x{l * s}"
    types = [f"memref<{shape}x{t}>" for shape in operands + [out]]
    names = [f"%a{i}" for i in range(len(types))]
    params = ", ".join(f"{n}: {ty}" for n, ty in zip(names, types))
    return (f"func.func @layer({params}) {{\n"
            f"  structured.{op} ins({', '.join(names[:-1])} : "
            f"{', '.join(types[:-1])}) outs({names[-1]} : {types[-1]})\n"
            f"  return\n}}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--format", default="isa")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--crash-dir")
    args = ap.parse_args()
    struct_opt = os.environ.get("STRUCT_OPT") or shutil.which("struct-opt")
    rng = random.Random(args.seed)
    failures = 0
    for i in range(args.count):
        source = random_op(rng)
        options = f"format={args.format} {rng.choice(OPTIONS)}".strip()
        try:
            run = subprocess.run(
                [struct_opt, "-", f"--structured-to-nvvm-pipeline={options}"],
                input=source, capture_output=True, text=True,
                timeout=args.timeout)
            problem = None
            if run.returncode != 0:
                problem = f"exit {run.returncode}: {run.stderr[-600:]}"
            elif "structured." in run.stdout:
                problem = "a structured op is left"
            elif "gpu.binary" not in run.stdout:
                problem = "no GPU binary"
        except subprocess.TimeoutExpired:
            problem = f"timeout after {args.timeout} s"
        if problem:
            failures += 1
            print(f"FAIL case {i} ({options}): {problem}\n{source}")
            if args.crash_dir:
                os.makedirs(args.crash_dir, exist_ok=True)
                with open(os.path.join(args.crash_dir, f"case{i}.mlir"),
                          "w") as f:
                    f.write(f"// options: {options}\n{source}")
    print(f"seed {args.seed}: {args.count} shapes, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
