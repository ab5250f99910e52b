#!/usr/bin/python3
"""GPU benchmark: our layers against ../shared/baselines/gpu_torch.py on the
shapes of DESIGN.md §5 (and btt_moe against bench/lib/gpu_moe_torch.py),
side by side in one run on the GPU machine.

    bench/gpu_bench.py build [--out gpu-bench]      # here: compile layers
    python3 bench/gpu_bench.py run gpu-bench        # there: time, check, peers
    bench/gpu_bench.py report results.json          # here: docs/benchmarks-gpu.md
    python3 bench/gpu_bench.py compare OLD NEW      # there: two builds' times
    python3 bench/gpu_bench.py profile DIR NAME     # there: ncu per kernel

`build` compiles each layer with `struct-aot --gpu` (memref arguments in
device memory) next to libStructuredCudaRuntime.so and copies the baseline
script. `run` needs numpy and torch (the GPU machine has them, MLIR is not
needed): it fills device buffers through the runtime's mgpu* functions,
checks the first rows against the numpy reference, times median calls (a
call is synchronous and includes the layer's temporary allocations), runs
the baseline, and writes results.json (to $OUT when set). `report` turns
that into the table. `compare` times the layers of two builds (say of two
commits, copied to OLD and NEW, or one built with `--options`) on the same
device buffers, alternating between them, for a before/after ratio from one
run; it checks nothing. `profile` runs a layer under Nsight Compute and
prints the throughputs, occupancy and registers of each stage kernel.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "Integration", "lib"))

# (name, op, memref types, baseline rows (op, shape) it compares with,
# FLOPs, minimal bytes).
def cases():
    out = []
    for element, esz, dtype in (("bf16", 2, "bfloat16"), ("f32", 4, "float32")):
        for n, batch in ((1024, 65536), (4096, 16384), (16384, 4096)):
            b = math.isqrt(n)
            shape = f"n={n},b={b},batch={batch}"
            out.append(dict(
                name=f"monarch {shape} {element}", op="monarch",
                types=[f"{batch}x{n}x{element}", f"{b}x{b}x{b}x{element}",
                       f"{b}x{b}x{b}x{element}", f"{batch}x{n}x{element}"],
                peers=[["monarch_eager", shape, dtype],
                       ["monarch_compile", shape, dtype]],
                flops=4 * batch * n * b, nbytes=(2 * batch * n + 2 * b ** 3) * esz))
            base = out[-1]
            if b <= 32:
                out.append(dict(
                    base, name=f"monarch {shape} {element}, fused stages",
                    options="fuse-stages=true"))
            if element == "bf16":
                out.append(dict(
                    base, name=f"monarch {shape} bf16, bf16 intermediate",
                    options="round-intermediate=true"))
            if element == "bf16" and b <= 64:
                for rounded in (False, True):
                    out.append(dict(
                        base, name=f"monarch {shape} bf16, cluster stages"
                        + (", bf16 intermediate" if rounded else ""),
                        options="cluster-stages=true"
                        + (" round-intermediate=true" if rounded else "")))
            if element == "bf16" and n == 4096:
                # The same work as 8 ops on slices of 2048 rows in one
                # function: what a model's chain of layers pays per op.
                chunks = 8
                rows = f"{batch // chunks}x{n}x{element}"
                weight = f"{b}x{b}x{b}x{element}"
                out.append(dict(
                    base, name=f"monarch {shape} bf16, {chunks} ops of "
                    f"{batch // chunks} rows", chunks=chunks,
                    types=[rows] * chunks + [weight] * 2 + [rows] * chunks))

        # BTT ranks 1 (canonicalized to a Monarch) and 4.
        n, batch, b = 4096, 16384, 64
        shape = f"n={n},b={b},batch={batch}"
        for rank in (1, 4):
            out.append(dict(
                name=f"btt rank={rank} {shape} {element}", op="btt",
                types=[f"{batch}x{n}x{element}",
                       f"{b}x{rank}x{b}x{b}x{element}",
                       f"{b}x{b}x{b}x{rank}x{element}",
                       f"{batch}x{n}x{element}"],
                peers=[[f"btt_r{rank}_eager", shape, dtype]],
                flops=4 * batch * n * b * rank,
                nbytes=(2 * batch * n + 2 * rank * b ** 3) * esz))
            if element == "bf16" and rank > 1:
                out.append(dict(
                    out[-1], name=f"btt rank={rank} {shape} bf16, "
                    "bf16 intermediate", options="round-intermediate=true"))
        # btt_moe: 8 experts, 2 chosen per row; the peers are those of
        # bench/lib/gpu_moe_torch.py (the shared baselines have none).
        rank, chosen = 8, 2
        moe_shape = f"{shape},R={rank},K={chosen}"
        out.append(dict(
            name=f"btt_moe R={rank},K={chosen} {shape} {element}",
            op="btt_moe",
            types=[f"{batch}x{n}x{element}", f"{b}x{rank}x{b}x{b}x{element}",
                   f"{b}x{b}x{b}x{rank}x{element}", f"{batch}x{chosen}xi32",
                   f"{batch}x{chosen}xf32", f"{batch}x{n}x{element}"],
            peers=[["btt_moe_dense_eager", moe_shape, dtype],
                   ["btt_moe_dense_compile", moe_shape, dtype],
                   ["btt_moe_sorted_eager", moe_shape, dtype]],
            moe_shape=moe_shape,
            flops=4 * batch * chosen * n * b,
            nbytes=(2 * batch * n + 2 * rank * b ** 3) * esz))
    # causal_conv computes in f32 for every element type, as torch.fft's
    # bf16 row does (it only stores bf16); the bf16 layer reads and writes
    # bf16.
    for batch, h, length in ((8, 768, 4096), (4, 768, 16384)):
        shape = f"B={batch},d={h},L={length}"
        for element, esz in (("f32", 4), ("bf16", 2)):
            if element == "bf16" and length != 4096:
                continue
            out.append(dict(
                name=f"causal_conv {shape} {element}", op="causal_conv",
                types=[f"{batch}x{h}x{length}x{element}",
                       f"{h}x{length}x{element}",
                       f"{batch}x{h}x{length}x{element}"],
                peers=[["causal_fftconv_eager", shape, "float32"],
                       ["causal_fftconv_eager", shape, "bfloat16"]],
                flops=batch * h * 2 * (3 * 5 * 2 * length *
                                       math.log2(2 * length) / 2),
                nbytes=(2 * batch * h * length + h * length) * esz))
    return out


def operands(case):
    """Indices into the case's types of each op's (x, weights..., out): one
    op, or for `chunks` ops x_0..x_{C-1}, the weights, y_0..y_{C-1}."""
    count = len(case["types"])
    chunks = case.get("chunks", 1)
    weights = list(range(chunks, count - chunks))
    return [[c] + weights + [count - chunks + c] for c in range(chunks)]


def source(case):
    types = ["memref<%s>" % t for t in case["types"]]
    names = ["%%a%d" % i for i in range(len(types))]
    params = ", ".join(f"{n}: {t}" for n, t in zip(names, types))
    ops = "".join(
        f"  structured.{case['op']} "
        f"ins({', '.join(names[i] for i in op[:-1])} : "
        f"{', '.join(types[i] for i in op[:-1])}) "
        f"outs({names[op[-1]]} : {types[op[-1]]})\n"
        for op in operands(case))
    return f"func.func @layer({params}) {{\n{ops}  return\n}}\n"


def build(args):
    os.makedirs(args.out, exist_ok=True)
    runtime = os.path.join(args.build, "lib", "libStructuredCudaRuntime.so")
    shutil.copy(runtime, args.out)
    shutil.copy(os.path.join(args.baselines, "gpu_torch.py"), args.out)
    shutil.copy(os.path.join(ROOT, "bench", "lib", "gpu_moe_torch.py"),
                args.out)
    listed = []
    for i, case in enumerate(cases()):
        if args.only and not any(o in case["name"] for o in args.only):
            continue
        path = os.path.join(args.out, f"layer{i}.mlir")
        with open(path, "w") as f:
            f.write(source(case))
        start = time.perf_counter()
        options = " ".join(o for o in (case.get("options"), args.options)
                           if o)
        options = [f"--pipeline-options={options}"] if options else []
        subprocess.run([os.path.join(args.build, "bin", "struct-aot"), "--gpu",
                        path, "-o", os.path.join(args.out, f"layer{i}.so"),
                        "--march", "x86-64-v3"] + options, check=True)
        case["compile_s"] = round(time.perf_counter() - start, 2)
        case["lib"] = f"layer{i}.so"
        listed.append(case)
        print("built", case["name"], flush=True)
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(listed, f, indent=1)


class LoadedCase:
    """A case's inputs in device memory, and its entry point in `lib_dir`."""

    def __init__(self, runtime, case):
        import numpy as np
        import gpu_check
        import structured_harness as harness

        self.runtime = runtime
        self.types = [gpu_check.parse_type(t) for t in case["types"]]
        rng = np.random.default_rng(0)
        # btt_moe's indices choose among the R experts of w1 (k × R × q × p).
        self.values = [
            rng.integers(0, self.types[1][0][1], s) if e.startswith("i")
            else harness.random_values(rng, s, e) for s, e in self.types]
        self.arrays = [gpu_check.to_device_layout(v, e)
                       for v, (_, e) in zip(self.values, self.types)]
        self.pointers = [runtime.to_device(a) for a in self.arrays]
        self.descriptors = [gpu_check.descriptor(p, a.shape)
                            for p, a in zip(self.pointers, self.arrays)]

    def entry(self, lib_dir, case):
        import ctypes
        layer = getattr(ctypes.CDLL(os.path.join(os.path.abspath(lib_dir),
                                                 case["lib"])),
                        "_mlir_ciface_layer")
        layer.restype = None
        refs = [ctypes.byref(d) for d in self.descriptors]
        return lambda: layer(*refs)

    def free(self):
        for p in self.pointers:
            self.runtime.lib.mgpuMemFree(p, None)


def median_ms(call, repetitions):
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1e3 * sorted(times)[len(times) // 2]


def load_runtime(lib_dir):
    import gpu_check
    return gpu_check.Runtime(os.path.join(os.path.abspath(lib_dir),
                                          "libStructuredCudaRuntime.so"))


def run(args):
    import numpy as np
    import gpu_check
    import structured_harness as harness

    with open(os.path.join(args.dir, "cases.json")) as f:
        listed = [c for c in json.load(f)
                  if not args.only or any(o in c["name"] for o in args.only)]
    runtime = load_runtime(args.dir)
    results = []
    for case in listed:
        loaded = LoadedCase(runtime, case)
        call = loaded.entry(args.dir, case)
        call()
        # The first op's operands (the only op's, but for chunked cases).
        first = operands(case)[0]
        types = [loaded.types[i] for i in first]
        values = [loaded.values[i] for i in first]
        out = np.empty_like(loaded.arrays[first[-1]])
        runtime.to_host(loaded.pointers[first[-1]], out)
        # The first rows (the first channels of the first sequence for
        # causal_conv, whose reference is the O(L²) sum).
        if case["op"] == "causal_conv":
            rows = (slice(0, 1), slice(0, 4))
            weights = [values[1][:4]]
        else:
            rows = slice(0, 64)
            weights = values[1:-1]
            if case["op"] == "btt_moe":  # idx and gate follow the rows
                weights[2:] = [w[rows] for w in weights[2:]]
        expected = harness.reference(case["op"], values[0][rows], weights, {})
        bound = harness.reference(case["op"], values[0][rows], weights, {},
                                  absolute=True)
        got = gpu_check.from_device_layout(out[rows], types[-1][1])
        tol = harness.tolerance(expected, bound, types[-1][1], case["op"])
        if "round-intermediate=true" in case.get("options", ""):
            expected, slack = gpu_check.rounded_intermediate(
                case["op"], values[0][rows].astype(np.float64), weights,
                types[-1][1])
            tol = harness.tolerance(expected, bound, types[-1][1]) + slack
        ok = bool(np.all(np.abs(got - expected) <= tol))
        ms = median_ms(call, args.repetitions)
        loaded.free()
        row = dict(case, ms=ms, correct=ok)
        results.append(row)
        print(json.dumps(dict(name=case["name"], ms=round(ms, 4),
                              correct=ok)), flush=True)
    peers = []
    if not args.only:
        baseline = subprocess.run(
            [sys.executable, os.path.join(args.dir, "gpu_torch.py")],
            capture_output=True, text=True)
        peers = [json.loads(line) for line in baseline.stdout.splitlines()
                 if line.startswith("{")]
    for moe_shape in sorted({c["moe_shape"] for c in listed
                             if "moe_shape" in c}):
        moe = subprocess.run(
            [sys.executable, os.path.join(args.dir, "gpu_moe_torch.py"),
             moe_shape], capture_output=True, text=True)
        peers += [json.loads(line) for line in moe.stdout.splitlines()
                  if line.startswith("{")]
    output = os.path.join(os.environ.get("OUT", args.dir), "results.json")
    with open(output, "w") as f:
        json.dump(dict(results=results, peers=peers,
                       date=time.strftime("%Y-%m-%d")), f, indent=1)
    print("wrote", output)


def compare(args):
    """Times the layers of two builds (`before`, `after`: directories made
    by `build` from two commits) on the same device buffers, alternating
    between them for `rounds` rounds: ratios from one run, without the
    reference checks or the peers (`run` does those). Both builds' layers
    run on `after`'s libStructuredCudaRuntime.so (one process loads one
    library of that soname), so this measures changes of the kernels and
    host code, not of the runtime: for those, `run --only` each build in
    its own process."""
    with open(os.path.join(args.after, "cases.json")) as f:
        listed = [c for c in json.load(f)
                  if not args.only or any(o in c["name"] for o in args.only)]
    runtime = load_runtime(args.after)
    for case in listed:
        loaded = LoadedCase(runtime, case)
        calls = {d: loaded.entry(d, case) for d in (args.before, args.after)}
        for call in calls.values():
            call()
        times = {d: [] for d in calls}
        for _ in range(args.rounds):
            for d, call in calls.items():
                times[d].append(median_ms(call, args.repetitions))
        loaded.free()
        before, after = (min(times[d]) for d in (args.before, args.after))
        print(json.dumps(dict(
            name=case["name"],
            before_ms=[round(t, 4) for t in times[args.before]],
            after_ms=[round(t, 4) for t in times[args.after]],
            speedup=round(before / after, 3))), flush=True)


# Nsight Compute metrics of `profile`, with their column names.
NCU_METRICS = {
    "gpu__time_duration.sum": "us",
    "dram__throughput.avg.pct_of_peak_sustained_elapsed": "dram%",
    "l1tex__throughput.avg.pct_of_peak_sustained_active": "l1%",
    "lts__throughput.avg.pct_of_peak_sustained_elapsed": "l2%",
    "sm__throughput.avg.pct_of_peak_sustained_elapsed": "sm%",
    "sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active":
        "tensor%",
    "sm__warps_active.avg.pct_of_peak_sustained_active": "occupancy%",
    "smsp__issue_active.avg.pct_of_peak_sustained_active": "issue%",
    "launch__registers_per_thread": "registers",
    "launch__grid_size": "grid",
    "l1tex__t_requests_pipe_lsu_mem_local_op_ld.sum": "local_loads",
}


# Stall reasons per issued instruction (`profile --stalls`).
NCU_STALLS = r"regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio"


def sass_hot_spots(csv_text, count):
    """The `count` SASS instructions with the most warp stall samples in
    Nsight Compute's source page (`--page source --print-source sass
    --csv`), as (samples, address, instruction, [(samples, reason), …] of
    its two largest stall reasons)."""
    import csv
    rows = list(csv.reader(line for line in csv_text.splitlines()
                           if line.startswith('"')))
    header = next((r for r in rows if "Address" in r and "Source" in r), None)
    if header is None:
        return []
    column = {name: i for i, name in enumerate(header)}
    samples = column["Warp Stall Sampling (All Samples)"]
    reasons = [name for name in header
               if name.startswith("stall_") and "(Not Issued)" not in name]

    def number(text):
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return 0.0

    body = [r for r in rows[rows.index(header) + 1:] if len(r) >= len(header)]
    spots = []
    for row in sorted(body, key=lambda r: -number(r[samples]))[:count]:
        top = sorted(((number(row[column[reason]]), reason)
                      for reason in reasons), reverse=True)[:2]
        spots.append((int(number(row[samples])), row[column["Address"]],
                      row[column["Source"]].strip(),
                      [(int(n), reason) for n, reason in top if n > 0]))
    return spots


def profile(args):
    """Runs each case whose name contains one of `only` twice (a warm-up
    call, then one more) under Nsight Compute and prints NCU_METRICS (and
    --metrics, and with --stalls the stall reasons) of the layer's kernels
    (stages, FFT kernels, loop kernels: all named after @layer) of the
    second call, one line each; with --sass N, then the N SASS
    instructions with the most stall samples of the first kernel matching
    --sass-kernel."""
    import csv
    for name in args.only:
        workload = [sys.executable, os.path.abspath(__file__), "compare",
                    args.dir, args.dir, "--only", name, "--rounds", "1",
                    "--repetitions", "1"]
        metrics = list(NCU_METRICS) + args.metrics
        if args.stalls:
            metrics.append(NCU_STALLS)
        command = [args.ncu, "--metrics", ",".join(metrics),
                   "-k", "regex:^layer_", "--csv", "--page", "raw"] + workload
        result = subprocess.run(command, capture_output=True, text=True)
        rows = list(csv.reader(line for line in result.stdout.splitlines()
                               if line.startswith('"')))
        print("==", name, flush=True)
        if not rows:
            print(result.stdout[-2000:], result.stderr[-2000:])
            continue
        kernels = [dict(zip(rows[0], row)) for row in rows[2:]]
        for kernel in kernels[len(kernels) // 2:]:
            values = [f"{short}={kernel.get(metric, '?')}"
                      for metric, short in NCU_METRICS.items()]
            values += [f"{metric}={value}" for metric, value in kernel.items()
                       if "__" in metric and metric not in NCU_METRICS]
            print(kernel["Kernel Name"], " ".join(values), flush=True)
        if args.sass:
            source = subprocess.run(
                [args.ncu, "--section", "SourceCounters", "--section",
                 "WarpStateStats", "-k", f"regex:{args.sass_kernel}", "-c",
                 "1",
                 "--page", "source", "--print-source", "sass", "--csv"]
                + workload, capture_output=True, text=True)
            for spot in sass_hot_spots(source.stdout, args.sass):
                print(*spot, flush=True)


def report(args):
    with open(args.results) as f:
        data = json.load(f)
    peers = {(p["op"], p["shape"], p["dtype"]): p for p in data["peers"]}
    hbm = peers.get(("copy", "1GiB", "float32"), {}).get("GBps")
    gemm = {dt: peers.get(("gemm", "8192^3", dt), {}).get("TFLOPs")
            for dt in ("bfloat16", "float32")}
    lines = [
        "# GPU benchmarks",
        "",
        "Written by `bench/gpu_bench.py report` from one `bench/gpu_bench.py "
        f"run` on the GPU machine ({data['date']}): our layers and "
        "`gpu_torch.py` (PyTorch eager and `torch.compile`; for btt_moe, "
        "which it lacks, `bench/lib/gpu_moe_torch.py`) in the same "
        "invocation. Our calls are synchronous and include the layer's "
        "temporary allocations.",
        "",
        f"Roofline references from the same run: copy **{hbm} GB/s**, "
        f"bf16 GEMM **{gemm['bfloat16']} TFLOP/s**, fp32 GEMM "
        f"**{gemm['float32']} TFLOP/s**. % of HBM is the layer's minimal "
        "traffic at the copy rate; % of GEMM its TFLOP/s against the GEMM "
        "of its element type (bf16 on tensor cores; fp32 without TF32).",
        "",
        "| layer | ms | TFLOP/s | GB/s | % of HBM | % of GEMM | correct "
        "| peer | peer ms | speed-up | compile s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in data["results"]:
        tf = r["flops"] / r["ms"] / 1e9
        gbs = r["nbytes"] / r["ms"] / 1e6
        element = r["types"][0].rsplit("x", 1)[1]
        peak = gemm.get("bfloat16" if element == "bf16" else "float32")
        of_gemm = f"{100 * tf / peak:.1f}%" if peak else "–"
        first = True
        for op, shape, dtype in r["peers"]:
            p = peers.get((op, shape, dtype))
            peer_ms = p["ms"] if p else None
            cells = [f"{op} ({dtype})", f"{peer_ms:.3f}" if peer_ms else "–",
                     f"{peer_ms / r['ms']:.3f}×" if peer_ms else "–"]
            if first:
                lines.append(
                    f"| {r['name']} | {r['ms']:.3f} | {tf:.2f} | {gbs:.0f} | "
                    f"{100 * gbs / hbm:.1f}% | {of_gemm} | "
                    f"{'yes' if r['correct'] else 'NO'} | {' | '.join(cells)} "
                    f"| {r['compile_s']} |")
                first = False
            else:
                lines.append(f"| | | | | | | | {' | '.join(cells)} | |")
    plot = os.path.splitext(args.output)[0] + ".png"
    lines += ["", f"![speed-up over the fastest peer]({os.path.basename(plot)})",
              "", "What limits these numbers: [gpu.md](gpu.md).", ""]
    with open(args.output, "w") as f:
        f.write("\n".join(lines))
    print("wrote", args.output)
    write_plot(data, peers, plot)


def write_plot(data, peers, path):
    """Speed-up of each layer over its fastest peer (log scale)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names, ratios = [], []
    for r in data["results"]:
        times = [peers[tuple(p)]["ms"] for p in r["peers"]
                 if tuple(p) in peers]
        if times:
            names.append(r["name"])
            ratios.append(min(times) / r["ms"])
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(names) + 1.2))
    colors = ["tab:green" if x >= 1 else "tab:red" for x in ratios]
    ax.barh(range(len(names)), ratios, color=colors)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1, color="black", linewidth=0.8)
    ax.set_xlabel("speed-up over the fastest PyTorch peer (same run)")
    ax.set_title(f"structured on the GPU machine, {data['date']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print("wrote", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", default=os.path.join(ROOT, "gpu-bench"))
    b.add_argument("--build", default=os.path.join(ROOT, "build"))
    b.add_argument("--options", default="",
                   help="pipeline options added to every layer's (to compare "
                   "an option's effect: build OLD with it, NEW without)")
    b.add_argument("--only", nargs="*", default=[],
                   help="only the cases whose name contains one of these")
    b.add_argument("--baselines", default=os.path.join(ROOT, "..", "shared",
                                                        "baselines"))
    r = sub.add_parser("run")
    r.add_argument("dir")
    r.add_argument("--repetitions", type=int, default=5)
    r.add_argument("--only", nargs="*", default=[],
                   help="only the cases whose name contains one of these, "
                   "without gpu_torch.py's peers (btt_moe's still run)")
    c = sub.add_parser("compare")
    c.add_argument("before")
    c.add_argument("after")
    c.add_argument("--only", nargs="*", default=[],
                   help="cases whose name contains one of these")
    c.add_argument("--rounds", type=int, default=2)
    c.add_argument("--repetitions", type=int, default=20)
    f = sub.add_parser("profile")
    f.add_argument("dir")
    f.add_argument("only", nargs="+",
                   help="cases whose name contains this (one profile each)")
    f.add_argument("--ncu", default="/usr/local/cuda/bin/ncu")
    f.add_argument("--metrics", nargs="*", default=[],
                   help="more Nsight Compute metrics (or breakdown:METRIC)")
    f.add_argument("--stalls", action="store_true",
                   help="also the stall reasons per issued instruction")
    f.add_argument("--sass", type=int, default=0, metavar="N",
                   help="also the N SASS instructions of the first layer "
                   "kernel with the most stall samples")
    f.add_argument("--sass-kernel", default="^layer_", metavar="REGEX",
                   help="the kernels --sass looks at (the first launched "
                   "whose name matches)")
    p = sub.add_parser("report")
    p.add_argument("results")
    p.add_argument("--output", default=os.path.join(ROOT, "docs",
                                                    "benchmarks-gpu.md"))
    args = parser.parse_args()
    {"build": build, "run": run, "compare": compare, "profile": profile,
     "report": report}[args.command](args)


if __name__ == "__main__":
    main()
