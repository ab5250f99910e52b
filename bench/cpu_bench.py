#!/usr/bin/python3
"""CPU benchmark of structured-to-cpu-pipeline against its peers, in one run.

    bench/cpu_bench.py [--build build] [--baselines ../shared/baselines]
                       [--repetitions 7] [--output docs/benchmarks.md]

For each layer of DESIGN.md §5 (fp32): compiles it with struct-aot (the CPU
pipeline with OpenMP threads) into a shared library, checks its result
against numpy on a slice of the batch, times it (median of repetitions), and
times the pipeline alone (compile time of the layer). In the same
invocation it runs the peers: `cpu_numpy_torch.py` of the baselines (OpenBLAS
sgemm and copy rates, numpy and PyTorch Monarch, dense OpenBLAS), PyTorch
einsum for BTT, and a `torch.fft` causal convolution (rfft/irfft, n = 2L).
Writes the table to `--output` and a plot next to it.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from aot import Library, compile_library  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median_ms(fn, repetitions):
    fn()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def memref(shape, element="f32", dynamic_batch=True):
    dims = ["?" if dynamic_batch and i == 0 else str(d)
            for i, d in enumerate(shape)]
    return "memref<%sx%s>" % ("x".join(dims), element)


# ---------------------------------------------------------------------------
# Layers: (name, MLIR source, arrays, reference, flops, minimal bytes).
# ---------------------------------------------------------------------------


def monarch_case(rng, n, batch):
    b = math.isqrt(n)
    x = rng.standard_normal((batch, n), dtype=np.float32)
    w1 = (rng.standard_normal((b, b, b)) / math.sqrt(b)).astype(np.float32)
    w2 = (rng.standard_normal((b, b, b)) / math.sqrt(b)).astype(np.float32)
    types = [memref(x.shape), memref(w1.shape, dynamic_batch=False),
             memref(w2.shape, dynamic_batch=False), memref(x.shape)]
    source = layer_source("monarch", types, 3)

    def reference(rows):
        z = np.einsum("bkp,kqp->bkq", x[rows].reshape(-1, b, b).astype(np.float64), w1)
        z = z.reshape(-1, b * b)
        return np.einsum("bcl,lsc->bsl", z.reshape(-1, b, b), w2).reshape(-1, n)
    flops = 2 * batch * 2 * n * b
    nbytes = (2 * batch * n + 2 * b ** 3) * 4
    return (f"monarch n={n} b={b} batch={batch}", source, [x, w1, w2],
            reference, flops, nbytes)


def btt_case(rng, n, rank, batch):
    b = math.isqrt(n)
    x = rng.standard_normal((batch, n), dtype=np.float32)
    w1 = (rng.standard_normal((b, rank, b, b)) / math.sqrt(b)).astype(np.float32)
    w2 = (rng.standard_normal((b, b, b, rank)) /
          math.sqrt(b * rank)).astype(np.float32)
    types = [memref(x.shape), memref(w1.shape, dynamic_batch=False),
             memref(w2.shape, dynamic_batch=False), memref(x.shape)]
    source = layer_source("btt", types, 3)

    def reference(rows):
        xv = x[rows].reshape(-1, b, b).astype(np.float64)
        z = np.einsum("bkp,krqp->brkq", xv, w1).reshape(-1, rank, b * b)
        z = z.reshape(-1, rank, b, b)  # [batch, ρ, c, l]
        return np.einsum("brcl,lscr->bsl", z, w2).reshape(-1, n)
    flops = 2 * batch * 2 * n * b * rank
    nbytes = (2 * batch * n + 2 * rank * b ** 3) * 4
    return (f"btt rank={rank} n={n} batch={batch}", source, [x, w1, w2],
            reference, flops, nbytes)


def btt_moe_case(rng, n, experts, selected, batch):
    b = math.isqrt(n)
    x = rng.standard_normal((batch, n), dtype=np.float32)
    w1 = (rng.standard_normal((b, experts, b, b)) /
          math.sqrt(b)).astype(np.float32)
    w2 = (rng.standard_normal((b, b, b, experts)) /
          math.sqrt(b)).astype(np.float32)
    idx = np.stack([rng.permutation(experts)[:selected]
                    for _ in range(batch)]).astype(np.int32)
    gate = rng.random((batch, selected), dtype=np.float32)
    types = [memref(x.shape), memref(w1.shape, dynamic_batch=False),
             memref(w2.shape, dynamic_batch=False), memref(idx.shape, "i32"),
             memref(gate.shape), memref(x.shape)]
    source = layer_source("btt_moe", types, 5)

    def reference(rows):
        xv = x[rows].reshape(-1, b, b).astype(np.float64)
        z = np.einsum("bkp,krqp->brkq", xv, w1).reshape(-1, experts, b, b)
        y = np.zeros((len(xv), b, b))
        for kappa in range(selected):
            e = idx[rows, kappa]
            ze = z[np.arange(len(xv)), e]  # [batch, c, l]
            we = np.moveaxis(w2, 3, 0)[e]  # [batch, l, s, c]
            y += gate[rows, kappa][:, None, None] * np.einsum(
                "bcl,blsc->bsl", ze, we)
        return y.reshape(-1, n)
    flops = 2 * batch * 2 * n * b * selected
    nbytes = (2 * batch * n + 2 * experts * b ** 3) * 4
    return (f"btt_moe R={experts} K={selected} n={n} batch={batch}", source,
            [x, w1, w2, idx, gate], reference, flops, nbytes)


def causal_conv_case(rng, batch, heads, length):
    u = rng.standard_normal((batch, heads, length), dtype=np.float32)
    k = (rng.standard_normal((heads, length)) / length).astype(np.float32)
    types = [memref(u.shape), memref(k.shape, dynamic_batch=False),
             memref(u.shape)]
    source = layer_source("causal_conv", types, 2)

    def reference(rows):
        spectrum = (np.fft.rfft(u[rows].astype(np.float64), 2 * length) *
                    np.fft.rfft(k, 2 * length))
        return np.fft.irfft(spectrum, 2 * length)[..., :length]
    m = 2 * length
    flops = batch * heads * 3 * 5 * m * math.log2(m)  # FFT convention
    nbytes = (2 * batch * heads * length + heads * length) * 4
    return (f"causal_conv B={batch} H={heads} L={length}", source, [u, k],
            reference, flops, nbytes)


def layer_source(op, types, inputs):
    """`@layer(ins..., out)` on memrefs whose body applies the op to tensors
    (bufferization.to_tensor / materialize_in_destination), so that the
    pipeline's tensor-level steps (permutation folding, fusion) apply."""
    names = ["%a{}".format(i) for i in range(len(types))]
    params = ", ".join(f"{n}: {t}" for n, t in zip(names, types))
    tensors = [t.replace("memref<", "tensor<") for t in types]
    lines = [f"func.func @layer({params}) {{"]
    for i, (name, t, tt) in enumerate(zip(names, types, tensors)):
        writable = " writable" if i == len(types) - 1 else ""
        lines.append(f"  %t{i} = bufferization.to_tensor {name} restrict"
                     f"{writable} : {t} to {tt}")
    ins = ", ".join(f"%t{i}" for i in range(inputs))
    out = len(types) - 1
    lines += [
        f"  %y = structured.{op} ins({ins} : {', '.join(tensors[:inputs])}) "
        f"outs(%t{out} : {tensors[out]}) -> {tensors[out]}",
        f"  bufferization.materialize_in_destination %y in restrict writable "
        f"{names[out]} : ({tensors[out]}, {types[out]}) -> ()",
        "  return", "}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Peers.
# ---------------------------------------------------------------------------


def run_baselines(path):
    out = subprocess.run(["/usr/bin/python3", path], capture_output=True,
                         text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            rows[(row["op"], row["shape"])] = row
    return rows


def torch_peers(repetitions):
    import torch
    torch.set_num_threads(2)
    peers = {}
    for rank in (1, 4):
        n, batch = 4096, 2048
        b = math.isqrt(n)
        x = torch.randn(batch, n)
        w1 = torch.randn(b, rank, b, b) / math.sqrt(b)
        w2 = torch.randn(b, b, b, rank) / math.sqrt(b)

        def btt():
            z = torch.einsum("bkp,krqp->brkq", x.view(batch, b, b), w1)
            z = z.reshape(batch, rank, b, b)
            return torch.einsum("brcl,lscr->bsl", z, w2).reshape(batch, n)
        peers[f"btt rank={rank} n={n} batch={batch}"] = median_ms(
            btt, repetitions)
    batch, heads, length = 2, 64, 8192
    u = torch.randn(batch, heads, length)
    k = torch.randn(heads, length) / length

    def fftconv():
        spectrum = (torch.fft.rfft(u, n=2 * length) *
                    torch.fft.rfft(k, n=2 * length))
        return torch.fft.irfft(spectrum, n=2 * length)[..., :length]
    peers[f"causal_conv B={batch} H={heads} L={length}"] = median_ms(
        fftconv, repetitions)
    return peers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--baselines", default=os.path.join(
        ROOT, "..", "shared", "baselines"))
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--output", default=os.path.join(
        ROOT, "docs", "benchmarks.md"))
    parser.add_argument("--only", metavar="TEXT",
                        help="run only the layers whose name contains TEXT "
                        "and print their rows (no peers, no report)")
    args = parser.parse_args()
    struct_aot = os.path.join(args.build, "bin", "struct-aot")
    struct_opt = os.path.join(args.build, "bin", "struct-opt")

    rng = np.random.default_rng(5)
    cases = [monarch_case(rng, 1024, 8192), monarch_case(rng, 4096, 2048),
             monarch_case(rng, 16384, 512), btt_case(rng, 4096, 1, 2048),
             btt_case(rng, 4096, 4, 2048)]
    cases += [btt_moe_case(rng, 1024, 8, k, 512) for k in (1, 2, 8)]
    cases.append(btt_case(rng, 1024, 8, 512))
    cases.append(causal_conv_case(rng, 2, 64, 8192))
    if args.only:
        cases = [case for case in cases if args.only in case[0]]

    results = []
    with tempfile.TemporaryDirectory(prefix="structured-bench-") as work:
        for name, source, arrays, reference, flops, nbytes in cases:
            path = os.path.join(work, "layer.mlir")
            with open(path, "w") as f:
                f.write(source)
            start = time.perf_counter()
            subprocess.run([struct_opt, path, "--structured-to-cpu-pipeline",
                            "-o", os.devnull], check=True)
            compile_s = time.perf_counter() - start
            library = os.path.join(work, f"layer{len(results)}.so")
            compile_library(struct_aot, path, library, threads=True)
            layer = Library(library).function("layer")
            out = np.zeros_like(arrays[0])
            layer(*arrays, out)
            rows = np.arange(min(64, len(out)))
            expected = reference(rows)
            err = float(np.max(np.abs(out[rows] - expected)) /
                        max(np.max(np.abs(expected)), 1e-30))
            reps = args.repetitions if flops < 2e10 else 3
            ms = median_ms(lambda: layer(*arrays, out), reps)
            results.append(dict(name=name, ms=ms, flops=flops, nbytes=nbytes,
                                rel_err=err, compile_s=compile_s))
            print(f"{name:40s} {ms:10.3f} ms {flops / ms / 1e6:8.1f} GFLOP/s "
                  f"rel_err {err:.1e} compile {compile_s:.2f} s", flush=True)

    if args.only:
        return
    baselines = run_baselines(os.path.join(args.baselines,
                                           "cpu_numpy_torch.py"))
    peers = torch_peers(args.repetitions)
    write_report(args.output, results, baselines, peers, args)


MARKER = "<!-- Generated above by bench/cpu_bench.py; kept below. -->"


def write_report(output, results, baselines, peers, args):
    sgemm = baselines[("sgemm_openblas", "2048^3")]["GFLOPs"]
    copy = baselines[("copy", "256MiB")]["GBps"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/cpu_bench.py` (command below); medians of "
        "repeated runs on the shared 2-core development machine. Every "
        "figure in a table comes from one invocation: compare ratios, never "
        "absolute numbers across runs.",
        "",
        "## CPU, fp32, 2 threads",
        "",
        f"Command: `bench/cpu_bench.py --repetitions {args.repetitions}` "
        f"({time.strftime('%Y-%m-%d')}). Roofline references measured in the "
        f"same run by `cpu_numpy_torch.py`: OpenBLAS sgemm **{sgemm:.1f} "
        f"GFLOP/s**, copy **{copy:.2f} GB/s**.",
        "",
        "| layer | ms | GFLOP/s | % of sgemm | GB/s | peer | peer ms | "
        "speed-up | compile s | rel. error |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    plot_rows = []
    for r in results:
        gflops = r["flops"] / r["ms"] / 1e6
        gbps = r["nbytes"] / r["ms"] / 1e6
        peer_rows = []
        name = r["name"]
        if name.startswith("monarch"):
            n, b, batch = (int(v.split("=")[1]) for v in name.split()[1:])
            shape = f"n={n},b={b},batch={batch}"
            for op, label in (("monarch_torch", "PyTorch"),
                              ("monarch_numpy", "numpy"),
                              ("dense_openblas", "dense OpenBLAS")):
                key = (op, shape if op != "dense_openblas"
                       else f"n={n},batch={batch}")
                if key in baselines:
                    peer_rows.append((label, baselines[key]["ms"]))
        elif name in peers and name.startswith("btt"):
            peer_rows.append(("PyTorch einsum", peers[name]))
        elif name in peers:
            peer_rows.append(("torch.fft", peers[name]))
        if not peer_rows:
            peer_rows.append(("–", None))
        for i, (label, peer_ms) in enumerate(peer_rows):
            speedup = f"{peer_ms / r['ms']:.2f}×" if peer_ms else "–"
            peer_text = f"{peer_ms:.3f}" if peer_ms else "–"
            if i == 0:
                lines.append(
                    f"| {name} | {r['ms']:.3f} | {gflops:.1f} | "
                    f"{100 * gflops / sgemm:.0f}% | {gbps:.2f} | {label} | "
                    f"{peer_text} | {speedup} | {r['compile_s']:.2f} | "
                    f"{r['rel_err']:.1e} |")
            else:
                lines.append(f"| | | | | | {label} | {peer_text} | {speedup}"
                             " | | |")
        plot_rows.append((name, gflops,
                          [(label, r["flops"] / ms / 1e6)
                           for label, ms in peer_rows if ms]))
    lines += [
        "",
        "FLOPs count multiply-adds twice: Monarch `4·batch·n·b`, BTT rank r "
        "`4·batch·n·b·r`, btt_moe `4·batch·n·b·K` (the selected experts "
        "only), causal conv `3 · 5·M·log2(M)` per sequence with `M = 2L` "
        "(the FFT convention, so the GFLOP/s compare with torch.fft's work, "
        "not ours). GB/s: minimal bytes (input, output, weights once) over "
        "time. Compile s: `struct-opt --structured-to-cpu-pipeline` on the "
        "layer alone. Relative error: max |ours − numpy float64| / max "
        "|numpy| over the first 64 batch rows.",
        "",
        "![CPU benchmark](benchmarks-cpu.png)",
        "",
    ]
    # Hand-written analysis below the marker survives a rerun.
    kept = ""
    if os.path.exists(output):
        with open(output) as f:
            text = f.read()
        if MARKER in text:
            kept = text[text.index(MARKER):]
    with open(output, "w") as f:
        f.write("\n".join(lines) + "\n" + (kept or MARKER + "\n"))
    plot(os.path.join(os.path.dirname(output), "benchmarks-cpu.png"),
         plot_rows, sgemm)
    print("wrote", output)


def plot(path, rows, sgemm):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(11, 5))
    names = [r[0] for r in rows]
    xs = np.arange(len(rows))
    ax.bar(xs - 0.2, [r[1] for r in rows], 0.4, label="structured")
    peer = [max((g for _, g in r[2]), default=0) for r in rows]
    ax.bar(xs + 0.2, peer, 0.4, label="best peer")
    ax.axhline(sgemm, color="k", linestyle="--", label="OpenBLAS sgemm")
    ax.set_xticks(xs)
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("GFLOP/s")
    ax.set_yscale("log")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
