"""Runs one layer compiled by `struct-aot --gpu` on the GPU and compares it
with the numpy reference of structured_harness.

    python3 gpu_check.py --lib layer.so --op monarch \
        --types 37x64xf32,8x8x8xf32,8x8x8xf32,37x64xf32 [--rows R --cols C]

`--types` lists the memref types of @layer's arguments (x, weights..., init;
f32/f16/bf16 floats, i32/i64 indices). f16/bf16 inputs are the harness's
values that are exact in those types; the reference is computed in float64
and the tolerance is the harness's (one final rounding). The inputs are seeded random values; they are
copied to device memory with the mgpu* functions of
libStructuredCudaRuntime.so (found next to the layer library), the layer's
`_mlir_ciface_` entry point runs on device pointers, and the result is
copied back. Needs numpy and a GPU, nothing of LLVM: it runs on the GPU
machine, where the libraries were carried. Prints PASS or FAIL (exit 1).
With --repetitions N it also prints the median time of N calls.

With --bad-index (btt_moe built with runtime-checks), one element of idx is
set to R: the layer must stop the process with its out-of-range message.
The call runs in a child process, and PASS means the child failed with that
message (the generated assertion prints it on stdout). With --misaligned,
x starts one element past a 16-byte boundary (its descriptor's aligned
pointer moved; the buffer has room for it): the kernels' device-side
alignment check must stop the process the same way.
"""

import argparse
import ctypes
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import structured_harness as harness  # noqa: E402

# Memref descriptors for the `_mlir_ciface_` entry points (bench/lib/aot.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "bench", "lib"))
from aot import contiguous_descriptor as descriptor  # noqa: E402

DTYPES = {"f32": np.float32, "f16": np.float16, "bf16": np.uint16,
          "i32": np.int32, "i64": np.int64}


def to_device_layout(values, element):
    """float64 values (exact in `element`) as the array the layer reads."""
    if element == "bf16":
        return (values.astype(np.float32).view(np.uint32) >> 16).astype(
            np.uint16)
    return values.astype(DTYPES[element])


def from_device_layout(array, element):
    if element == "bf16":
        return (array.astype(np.uint32) << 16).view(np.float32).astype(
            np.float64)
    return array.astype(np.float64)


class Runtime:
    def __init__(self, path):
        self.lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
        self.lib.mgpuStreamCreate.restype = ctypes.c_void_p
        self.lib.mgpuMemAlloc.restype = ctypes.c_void_p
        self.lib.mgpuMemAlloc.argtypes = [ctypes.c_uint64, ctypes.c_void_p,
                                          ctypes.c_bool]
        self.lib.mgpuMemcpy.argtypes = [ctypes.c_void_p, ctypes.c_void_p,
                                        ctypes.c_size_t, ctypes.c_void_p]
        self.lib.mgpuStreamSynchronize.argtypes = [ctypes.c_void_p]
        self.lib.mgpuMemFree.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.stream = self.lib.mgpuStreamCreate()

    def to_device(self, array):
        pointer = self.lib.mgpuMemAlloc(max(array.nbytes, 1), self.stream,
                                        False)
        self.lib.mgpuMemcpy(pointer, array.ctypes.data, array.nbytes,
                            self.stream)
        self.lib.mgpuStreamSynchronize(self.stream)
        return pointer

    def to_host(self, pointer, array):
        self.lib.mgpuMemcpy(array.ctypes.data, pointer, array.nbytes,
                            self.stream)
        self.lib.mgpuStreamSynchronize(self.stream)


def parse_type(text):
    *dims, element = text.split("x")
    return tuple(int(d) for d in dims), element


# The ops whose kernels can keep the intermediate in the element type
# (round-intermediate).
ROUNDED_INTERMEDIATE_OPS = ("monarch", "btt")


def rounded_intermediate(op, x, weights, element):
    """The monarch or btt reference with the intermediate z rounded to
    `element`, and one ulp of every rounded z term carried through the
    second factor (the f32 sum the kernel rounds may round the other
    way)."""
    w1, w2 = weights
    if op == "monarch":
        w1, w2 = w1[:, None], w2[..., None]
    # w1 is k × R × q × p, w2 l × s × r × R (ref_btt); monarch has R = 1.
    k, rank, q, p = w1.shape
    l, s, r, _ = w2.shape
    rows = len(x)
    z = np.einsum("iojt,bit->boij", w1, x.reshape(rows, k, p))
    z = from_device_layout(to_device_layout(z.astype(np.float32), element),
                           element).astype(np.float64)
    second = lambda w, v: np.einsum(
        "auco,boca->bua", w, v.reshape(rows, rank, r, l)).reshape(rows, s * l)
    slack = second(np.abs(w2), harness.ulp(np.abs(z), element))
    return second(w2, z), slack


ALIGNMENT_MESSAGE = "structured GPU kernels need buffers aligned to 16 bytes"


def expect_stop(argv, args, flag, message, what):
    """Runs this check in a child process with `flag` replaced by its
    planting twin (--plant-…), which the layer must abort with `message`,
    and checks how the child ended."""
    child_argv = [a for a in argv if a != flag] + [
        flag.replace("--", "--plant-", 1)]
    child = subprocess.run([sys.executable, os.path.abspath(__file__)] +
                           child_argv, capture_output=True, text=True)
    name = f"{os.path.basename(args.lib)} {args.op} {args.types} {what}"
    if child.returncode != 0 and message in child.stdout + child.stderr:
        print(f"PASS {name} stopped: {message}")
        return 0
    print(f"FAIL {name}: exit status {child.returncode}, stderr "
          f"{child.stderr.strip()[-200:]!r}, stdout {child.stdout.strip()!r}")
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lib", required=True)
    parser.add_argument("--runtime")
    parser.add_argument("--func", default="layer")
    parser.add_argument("--op", required=True,
                        choices=sorted(harness.NUM_WEIGHTS))
    parser.add_argument("--types", required=True)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--cols", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repetitions", type=int, default=0)
    parser.add_argument("--check-rows", type=int, default=0,
                        help="compare only the first N rows of the leading "
                        "batch dimension (the float64 reference of a large "
                        "layer is slow); 0: all")
    parser.add_argument("--round-intermediate", action="store_true",
                        help="monarch or btt compiled with "
                        "round-intermediate: the "
                        "reference rounds the intermediate to the element "
                        "type, and the tolerance allows the f32 sum before "
                        "that rounding to round the other way")
    parser.add_argument("--bad-index", action="store_true",
                        help="btt_moe: expect the out-of-range index that "
                        "this plants in idx to stop the layer")
    parser.add_argument("--plant-bad-index", action="store_true",
                        help=argparse.SUPPRESS)
    parser.add_argument("--misaligned", action="store_true",
                        help="expect x starting one element past a 16-byte "
                        "boundary to stop the layer")
    parser.add_argument("--plant-misaligned", action="store_true",
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if (args.bad_index or args.plant_bad_index) and args.op != "btt_moe":
        parser.error("--bad-index checks btt_moe only")
    argv = argv if argv is not None else sys.argv[1:]
    if args.bad_index:
        experts = parse_type(args.types.split(",")[1])[0][1]
        return expect_stop(
            argv, args, "--bad-index",
            f"structured.btt_moe: expert index out of range [0, {experts})",
            "bad index")
    if args.misaligned:
        return expect_stop(argv, args, "--misaligned", ALIGNMENT_MESSAGE,
                           "misaligned x")
    planted = args.plant_bad_index or args.plant_misaligned
    if args.round_intermediate and args.op not in ROUNDED_INTERMEDIATE_OPS:
        parser.error("--round-intermediate checks monarch and btt only")

    types = [parse_type(t) for t in args.types.split(",")]
    rng = np.random.default_rng(args.seed)
    values, arrays = [], []
    for shape, element in types:
        if element not in DTYPES:
            parser.error("unsupported element type " + element)
        if element.startswith("i"):
            experts = types[1][0][1]  # btt_moe: w1 is k × R × q × p
            v = rng.integers(0, experts, shape).astype(DTYPES[element])
            if args.plant_bad_index:
                v.flat[rng.integers(0, v.size)] = experts
            values.append(v)
            arrays.append(v)
        else:
            v = harness.random_values(rng, shape, element)
            values.append(v)
            arrays.append(to_device_layout(v, element))
    x, weights, init = values[0], values[1:-1], arrays[-1]
    out_element = types[-1][1]
    attrs = {"rows": args.rows, "cols": args.cols}
    rows = slice(0, args.check_rows or None)
    # The reference on the checked rows; btt_moe's routing follows x.
    ref_weights = list(weights)
    if args.op == "btt_moe":
        ref_weights[2:] = [w[rows] for w in ref_weights[2:]]
    if not planted:
        expected = harness.reference(args.op, x[rows].astype(np.float64),
                                     ref_weights, attrs)
        bound = harness.reference(args.op, x[rows].astype(np.float64),
                                  ref_weights, attrs, absolute=True)

    runtime_path = args.runtime or os.path.join(
        os.path.dirname(os.path.abspath(args.lib)),
        "libStructuredCudaRuntime.so")
    runtime = Runtime(runtime_path)
    layer = getattr(ctypes.CDLL(os.path.abspath(args.lib)),
                    "_mlir_ciface_" + args.func)
    layer.restype = None
    if args.plant_misaligned:
        # Room for x one element later.
        arrays[0] = np.concatenate([arrays[0].ravel(),
                                    np.zeros(8, arrays[0].dtype)])
    pointers = [runtime.to_device(a) for a in arrays]
    descriptors = [descriptor(p, a.shape) for p, a in zip(pointers, arrays)]
    if args.plant_misaligned:
        descriptors[0] = descriptor(pointers[0], values[0].shape)
        descriptors[0].aligned += arrays[0].itemsize
    layer(*[ctypes.byref(d) for d in descriptors])
    if planted:
        print("the layer returned despite the planted error")
        return 0
    got = np.empty_like(init)
    runtime.to_host(pointers[-1], got)
    got = from_device_layout(got[rows], out_element)

    tol = harness.tolerance(expected, bound, out_element, args.op)
    if args.round_intermediate:
        expected, slack = rounded_intermediate(
            args.op, x[rows].astype(np.float64), weights, out_element)
        tol = harness.tolerance(expected, bound, out_element) + slack
    err = np.abs(got - expected)
    name = f"{os.path.basename(args.lib)} {args.op} {args.types}"
    bad = int(np.count_nonzero(err > tol))
    if bad:
        print(f"FAIL {name}: {bad} of {err.size} elements out of tolerance "
              f"(max_abs_err={err.max(initial=0.0):.3g})")
        return 1
    line = f"PASS {name} max_abs_err={err.max(initial=0.0):.3g}"
    if args.repetitions:
        times = []
        for _ in range(args.repetitions):
            start = time.perf_counter()
            layer(*[ctypes.byref(d) for d in descriptors])
            times.append(time.perf_counter() - start)
        line += f" median_ms={1e3 * sorted(times)[len(times) // 2]:.3f}"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
