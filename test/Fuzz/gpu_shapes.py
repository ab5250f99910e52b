"""Seeded random shapes of blockdiag, monarch and btt (f32, bf16, f16; odd,
ragged and rectangular blocks, dynamic batch), with --moe-count of btt_moe
(1 to 8 experts, 1 to 4 choices, i32/i64 indices, f32/bf16/f16 gates;
aligned shapes sort their rows by expert, the others take the reference
lowering) and, with --conv-count, of causal_conv (lengths from 1 past the
FFT kernels' 16384), each kind from its own stream of the seed, through
structured-to-nvvm-pipeline with a random choice of kernel options. A case
fails if struct-opt exits non-zero, crashes, times out, leaves a structured
op or produces no GPU binary; the failing inputs are written to
--crash-dir.

    STRUCT_OPT=build/bin/struct-opt /usr/bin/python3 test/Fuzz/gpu_shapes.py \\
      --seed N --count 200 [--conv-count 20] [--format fatbin]

With --emit DIR it builds each case's library with `struct-aot --gpu`
instead and prints the gpu_check commands that run them on a GPU against
the numpy reference (scripts/gpu-artifacts.sh adds them to its run.sh).
"""

import argparse
import os
import random
import shutil
import subprocess
import sys

OPTIONS = ["", "f32-tensor-cores=false", "round-intermediate=true",
           "fuse-stages=true", "ctas-per-sm=1", "transpose-intermediate=true",
           "direct-inputs=false", "direct-outputs=true", "strided-warps=8",
           "async-strided-inputs=none", "async-strided-inputs=all"]
CONV_OPTIONS = ["", "fft-ctas-per-sm=1", "causal-conv=direct"]
MOE_OPTIONS = ["", "runtime-checks=true", "f32-tensor-cores=false",
               "transpose-intermediate=true", "direct-inputs=false",
               "direct-outputs=true", "strided-warps=8",
               "async-strided-inputs=none", "async-strided-inputs=all"]


def divisor_pair(rng, m):
    """l, r with l·r = m."""
    l = rng.choice([d for d in range(1, m + 1) if m % d == 0])
    return l, m // l


def random_case(rng):
    """(op, memref types with a dynamic batch, source of @layer)."""
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
    shapes = [f"{shape}x{t}" for shape in operands + [out]]
    types = [f"memref<{shape}>" for shape in shapes]
    names = [f"%a{i}" for i in range(len(types))]
    params = ", ".join(f"{n}: {ty}" for n, ty in zip(names, types))
    return op, shapes, (
        f"func.func @layer({params}) {{\n"
        f"  structured.{op} ins({', '.join(names[:-1])} : "
        f"{', '.join(types[:-1])}) outs({names[-1]} : {types[-1]})\n"
        f"  return\n}}\n")


def layer_source(op, types):
    names = [f"%a{i}" for i in range(len(types))]
    params = ", ".join(f"{n}: {ty}" for n, ty in zip(names, types))
    return (f"func.func @layer({params}) {{\n"
            f"  structured.{op} ins({', '.join(names[:-1])} : "
            f"{', '.join(types[:-1])}) outs({names[-1]} : {types[-1]})\n"
            f"  return\n}}\n")


def random_moe_case(rng):
    """A btt_moe with a dynamic batch, and its option."""
    t = rng.choice(["f32", "bf16", "f16"])
    k, rank = rng.choice([1, 2, 4, 8]), rng.randint(1, 8)
    chosen = rng.randint(1, 4)
    # Mostly multiples of 8 (slices of whole rows stay 16-byte aligned, so
    # the rows are sorted by expert), sometimes any size.
    size = lambda: rng.choice([8 * rng.randint(1, 8), rng.randint(1, 64)])
    p, q, s = size(), size(), size()
    l, r = divisor_pair(rng, k * q)
    shapes = [f"?x{k * p}x{t}", f"{k}x{rank}x{q}x{p}x{t}",
              f"{l}x{s}x{r}x{rank}x{t}",
              f"?x{chosen}x{rng.choice(['i32', 'i64'])}",
              f"?x{chosen}x{rng.choice(['f32', 'bf16', 'f16'])}",
              f"?x{l * s}x{t}"]
    return "btt_moe", shapes, rng.choice(MOE_OPTIONS), layer_source(
        "btt_moe", [f"memref<{shape}>" for shape in shapes])


def random_conv_case(rng):
    """A causal_conv of H channels and length L (short, up to the FFT
    kernels' largest sequence of 16384, or past it) with a dynamic batch,
    and its option (the direct sum only where L ≤ 4096)."""
    t = rng.choice(["f32", "bf16", "f16"])
    h = rng.randint(1, 8)
    length = rng.choice([rng.randint(1, 64), rng.randint(65, 4096),
                         rng.randint(4097, 16384), rng.randint(16385, 20000)])
    option = rng.choice(CONV_OPTIONS)
    if option == "causal-conv=direct" and length > 4096:
        option = ""
    shapes = [f"?x{h}x{length}x{t}", f"{h}x{length}x{t}",
              f"?x{h}x{length}x{t}"]
    types = [f"memref<{shape}>" for shape in shapes]
    return "causal_conv", shapes, option, (
        f"func.func @layer(%a0: {types[0]}, %a1: {types[1]}, "
        f"%a2: {types[2]}) {{\n"
        f"  structured.causal_conv ins(%a0, %a1 : {types[0]}, {types[1]}) "
        f"outs(%a2 : {types[2]})\n  return\n}}\n")


def cases(args):
    """(op, shapes, option, source) of the block cases, then the btt_moe
    and causal_conv ones (from streams of their own, so that --moe-count
    and --conv-count leave the other cases of a seed as they were)."""
    rng = random.Random(args.seed)
    for _ in range(args.count):
        op, shapes, source = random_case(rng)
        yield op, shapes, rng.choice(OPTIONS), source
    moe_rng = random.Random(f"btt_moe {args.seed}")
    for _ in range(args.moe_count):
        yield random_moe_case(moe_rng)
    conv_rng = random.Random(f"causal_conv {args.seed}")
    for _ in range(args.conv_count):
        yield random_conv_case(conv_rng)


def emit_checks(args):
    """Builds a library per case with struct-aot --gpu into args.emit (next
    to the CUDA runtime library that gpu_check loads) and prints the
    gpu_check command of each (a batch of args.rows rows)."""
    struct_aot = os.environ.get("STRUCT_AOT") or shutil.which("struct-aot")
    os.makedirs(args.emit, exist_ok=True)
    for i, (op, shapes, option, source) in enumerate(cases(args)):
        # The reference of a rounded intermediate exists for monarch only.
        if option == "round-intermediate=true" and op != "monarch":
            option = ""
        path = os.path.join(args.emit, f"shape{i}")
        with open(path + ".mlir", "w") as f:
            f.write(source)
        command = [struct_aot, "--gpu", path + ".mlir", "-o", path + ".so",
                   "--march", args.march]
        if option:
            command.append(f"--pipeline-options={option}")
        subprocess.run(command, check=True)
        concrete = ",".join(s.replace("?", str(args.rows)) for s in shapes)
        extra = " --round-intermediate" if option.startswith("round") else ""
        print(f"python3 {args.gpu_check} --lib {path}.so --op {op} "
              f"--types {concrete} --seed {i}{extra}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--moe-count", type=int, default=0)
    ap.add_argument("--conv-count", type=int, default=0)
    ap.add_argument("--format", default="isa")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--crash-dir")
    ap.add_argument("--emit", help="build the cases' libraries here and "
                    "print their gpu_check commands instead")
    ap.add_argument("--rows", type=int, default=37)
    ap.add_argument("--march", default="x86-64-v3")
    ap.add_argument("--gpu-check", default="test/Integration/lib/gpu_check.py",
                    help="the checker's path in the printed commands")
    args = ap.parse_args()
    if args.emit:
        return emit_checks(args)
    struct_opt = os.environ.get("STRUCT_OPT") or shutil.which("struct-opt")
    failures = 0
    for i, (_, _, option, source) in enumerate(cases(args)):
        options = f"format={args.format} {option}".strip()
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
    total = args.count + args.moe_count + args.conv_count
    print(f"seed {args.seed}: {total} shapes, "
          f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
