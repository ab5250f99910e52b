"""Runs structured.poly_eval / structured.poly_interp through struct-opt and
mlir-runner and compares them with numpy's FFT (float64) on seeded random
inputs.

    python -m poly_check --op poly_eval --n 3 --m 8 --batch-dims 2x5 \
        [--element f32|f16|bf16|complex] [--dynamic] [--pipeline ARGS] \
        --shared-libs LIBS

* poly_eval: x (batch × N, real or complex) -> batch × M complex<f32>;
  expected np.fft.fft(x, M) (x zero-padded to M).
* poly_interp: x (batch × M complex<f32>) -> batch × N real (--element);
  expected np.fft.ifft(x)[:, :N].real.
* round_trip: poly_interp(poly_eval(x)) with N <= M must give x back.

Prints PASS or FAIL with the error; exit status 1 on FAIL. With
STRUCTURED_HARNESS_PERTURB=1 one element of the reference moves by four
tolerances, so that every check must FAIL.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np


def shape_text(shape, dynamic_rank=0):
    return "x".join("?" if i < dynamic_rank else str(d)
                    for i, d in enumerate(shape))


def ttype(shape, element, dynamic_rank=0):
    return "tensor<%sx%s>" % (shape_text(shape, dynamic_rank), element)


def dense(array, element="f32"):
    """A dense literal of the real array in f32, f16 or bf16."""
    if element == "f16":
        raw = array.astype("<f2").tobytes()
    elif element == "bf16":  # the upper half of the f32 (exact values only)
        raw = (array.astype("<f4").view("<u4") >> 16).astype("<u2").tobytes()
    else:
        raw = array.astype("<f4").tobytes()
    return 'dense<"0x%s"> : %s' % (raw.hex().upper(),
                                   ttype(array.shape, element))


def element_of(tensor_type):
    return re.fullmatch(r"tensor<(?:[\d?]+x)*(.*)>", tensor_type).group(1)


def elementwise(rank, ins, out, body, out_type):
    """A linalg.generic over identical shapes applying `body`."""
    ids = ", ".join("d%d" % i for i in range(rank))
    amap = "affine_map<(%s) -> (%s)>" % (ids, ids)
    maps = ", ".join([amap] * (len(ins) + 1))
    iters = ", ".join(['"parallel"'] * rank)
    names = ", ".join(n for n, _ in ins)
    types = ", ".join(t for _, t in ins)
    args = ", ".join("%%a%d: %s" % (i, element_of(t))
                     for i, (_, t) in enumerate(ins))
    return ["linalg.generic {indexing_maps = [%s], iterator_types = [%s]}"
            % (maps, iters),
            "    ins(%s : %s) outs(%s : %s) {" % (names, types, out, out_type),
            "  ^bb0(%s, %%o: %s):" % (args, element_of(out_type)),
            *["    " + line for line in body],
            "  } -> %s" % out_type]


def complex_value(lines, name, re_name, im_name, shape):
    """Appends to `lines` the complex tensor %name = re + i·im."""
    ct = ttype(shape, "complex<f32>")
    ft = ttype(shape, "f32")
    lines.append("  %%%s_e = tensor.empty() : %s" % (name, ct))
    gen = elementwise(len(shape), [(re_name, ft), (im_name, ft)],
                      "%%%s_e" % name,
                      ["%c = complex.create %a0, %a1 : complex<f32>",
                       "linalg.yield %c : complex<f32>"], ct)
    lines.append("  %%%s = %s" % (name, gen[0]))
    lines += ["  " + line for line in gen[1:]]


def print_real(lines, name, shape, element):
    """Appends the printing of the real tensor %name (widened to f32)."""
    if element != "f32":
        ft = ttype(shape, "f32")
        lines.append("  %%%s_w_e = tensor.empty() : %s" % (name, ft))
        gen = elementwise(len(shape), [("%" + name, ttype(shape, element))],
                          "%%%s_w_e" % name,
                          ["%w = arith.extf %a0 : " + element + " to f32",
                           "linalg.yield %w : f32"], ft)
        lines.append("  %%%s_w = %s" % (name, gen[0]))
        lines += ["  " + line for line in gen[1:]]
        name += "_w"
    lines += ["  %%%s_u = tensor.cast %%%s : %s to tensor<*xf32>"
              % (name, name, ttype(shape, "f32")),
              "  func.call @printMemrefF32(%%%s_u) : (tensor<*xf32>) -> ()"
              % name]


def print_complex(lines, name, shape):
    ft = ttype(shape, "f32")
    ct = ttype(shape, "complex<f32>")
    for part in ("re", "im"):
        lines.append("  %%%s_%s_e = tensor.empty() : %s" % (name, part, ft))
        gen = elementwise(len(shape), [("%" + name, ct)],
                          "%%%s_%s_e" % (name, part),
                          ["%%p = complex.%s %%a0 : complex<f32>" % part,
                           "linalg.yield %p : f32"], ft)
        lines.append("  %%%s_%s = %s" % (name, part, gen[0]))
        lines += ["  " + line for line in gen[1:]]
        print_real(lines, "%s_%s" % (name, part), shape, "f32")


def program(op, x, element, n, m, dynamic_rank):
    """The module: @layer applies the op(s); @main feeds x and prints."""
    batch = x.shape[:-1]
    real_in = element != "complex"
    if op == "poly_interp":
        in_type = ttype(batch + (m,), "complex<f32>", dynamic_rank)
        out_elem, out_n = element, n
    else:
        in_type = ttype(batch + (n,), element if real_in else "complex<f32>",
                        dynamic_rank)
        out_elem = "complex<f32>" if op == "poly_eval" else element
        out_n = m if op == "poly_eval" else n
    out_type = ttype(batch + (out_n,), out_elem, dynamic_rank)
    mid_type = ttype(batch + (m,), "complex<f32>", dynamic_rank)

    lines = ["func.func @layer(%%x: %s, %%init: %s) -> %s {"
             % (in_type, out_type, out_type)]
    if op == "round_trip":
        dims = []
        for i in range(dynamic_rank):
            lines.append("  %%c%d = arith.constant %d : index" % (i, i))
            lines.append("  %%d%d = tensor.dim %%x, %%c%d : %s"
                         % (i, i, in_type))
            dims.append("%%d%d" % i)
        lines += [
            "  %%mid = tensor.empty(%s) : %s" % (", ".join(dims), mid_type),
            "  %%v = structured.poly_eval ins(%%x : %s) outs(%%mid : %s) -> %s"
            % (in_type, mid_type, mid_type),
            "  %%y = structured.poly_interp ins(%%v : %s) outs(%%init : %s) -> %s"
            % (mid_type, out_type, out_type)]
    else:
        lines.append("  %%y = structured.%s ins(%%x : %s) outs(%%init : %s) -> %s"
                     % (op, in_type, out_type, out_type))
    lines += ["  return %%y : %s" % out_type, "}",
              "func.func private @printMemrefF32(tensor<*xf32>)",
              "func.func @main() {"]

    if np.iscomplexobj(x):
        lines.append("  %%xr = arith.constant %s" % dense(x.real))
        lines.append("  %%xi = arith.constant %s" % dense(x.imag))
        complex_value(lines, "xs", "%xr", "%xi", x.shape)
        in_static = ttype(x.shape, "complex<f32>")
    else:
        lines.append("  %%xs = arith.constant %s" % dense(x, element))
        in_static = ttype(x.shape, element)
    lines.append("  %%x = tensor.cast %%xs : %s to %s" % (in_static, in_type))
    out_static_shape = batch + (out_n,)
    out_static = ttype(out_static_shape, out_elem)
    # A non-zero init: the ops must overwrite, not accumulate.
    if out_elem == "complex<f32>":
        lines.append("  %%ir = arith.constant dense<7.0> : %s"
                     % ttype(out_static_shape, "f32"))
        complex_value(lines, "is", "%ir", "%ir", out_static_shape)
    else:
        lines.append("  %%is = arith.constant dense<7.0> : %s" % out_static)
    lines.append("  %%init = tensor.cast %%is : %s to %s"
                 % (out_static, out_type))
    lines.append("  %%y = func.call @layer(%%x, %%init) : (%s, %s) -> %s"
                 % (in_type, out_type, out_type))
    lines.append("  %%ys = tensor.cast %%y : %s to %s" % (out_type, out_static))
    if out_elem == "complex<f32>":
        print_complex(lines, "ys", out_static_shape)
    else:
        print_real(lines, "ys", out_static_shape, out_elem)
    lines += ["  return", "}"]
    return "\n".join(lines) + "\n"


NUMBER = re.compile(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)")


def run(source, pipeline, shared_libs, workdir):
    struct_opt = shutil.which("struct-opt")
    runner = shutil.which("mlir-runner")
    path = workdir + "/poly.mlir"
    with open(path, "w") as f:
        f.write(source)
    for step in pipeline:
        lowered = subprocess.run([struct_opt, path, step], capture_output=True,
                                 text=True)
        if lowered.returncode:
            raise RuntimeError("struct-opt %s failed:\n%s"
                               % (step, lowered.stderr[-4000:]))
        path = workdir + "/lowered.mlir"
        with open(path, "w") as f:
            f.write(lowered.stdout)
    out = subprocess.run([runner, "-e", "main", "-entry-point-result=void",
                          "-shared-libs=" + shared_libs, path],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError("mlir-runner failed:\n" + out.stderr[-4000:])
    blocks = out.stdout.split("data =")[1:]
    return [np.array([float(v) for v in NUMBER.findall(
        b.split("Unranked")[0])]) for b in blocks]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--op", required=True,
                        choices=["poly_eval", "poly_interp", "round_trip"])
    parser.add_argument("--n", type=int, required=True,
                        help="number of coefficients")
    parser.add_argument("--m", type=int, required=True,
                        help="number of evaluation points")
    parser.add_argument("--batch-dims", default="3")
    parser.add_argument("--element", default="f32",
                        choices=["f32", "f16", "bf16", "complex"],
                        help="poly_eval's input (complex: complex<f32>) or "
                        "poly_interp's output element type")
    parser.add_argument("--dynamic", action="store_true",
                        help="make the batch dimensions dynamic")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pipeline", action="append")
    parser.add_argument("--shared-libs", required=True)
    args = parser.parse_args(argv)
    if args.op != "poly_eval" and args.element == "complex":
        parser.error("--element complex is only for poly_eval")

    batch = tuple(int(d) for d in args.batch_dims.split("x"))
    rng = np.random.default_rng(args.seed)
    lowp = args.element in ("f16", "bf16")

    def real(shape):
        if lowp:  # multiples of 2^-4: exact in f16 and bf16
            return rng.integers(-16, 17, size=shape) / 16.0
        return rng.uniform(-1, 1, size=shape).astype(np.float32)

    if args.op == "poly_interp":
        x = (rng.uniform(-1, 1, batch + (args.m,)) +
             1j * rng.uniform(-1, 1, batch + (args.m,)))
        x = x.astype(np.complex64)
        expected = np.fft.ifft(x.astype(np.complex128))[..., :args.n].real
        scale = np.sum(np.abs(x), axis=-1, keepdims=True) / args.m
    else:
        shape = batch + (args.n,)
        if args.element == "complex":
            x = (real(shape) + 1j * real(shape)).astype(np.complex64)
        else:
            x = real(shape)
        xd = x.astype(np.complex128)
        if args.op == "poly_eval":
            expected = np.fft.fft(xd, args.m)
        else:
            expected = x.astype(np.float64)
        scale = np.sum(np.abs(xd), axis=-1, keepdims=True)

    # f32 DFTs: rounding errors scale with the sum of |x| over the row.
    tol = 1e-5 * np.broadcast_to(scale, expected.shape) + 1e-6
    if lowp and args.op == "poly_interp":
        # One final rounding to the element type: half an ulp.
        tol = tol + 2.0 ** -{"bf16": 8, "f16": 11}[args.element] * np.abs(
            expected)
    if os.environ.get("STRUCTURED_HARNESS_PERTURB"):
        # Self-test of the check: the run must now FAIL.
        expected = expected.copy()
        pos = tuple(rng.integers(0, d) for d in expected.shape)
        expected[pos] += 4 * tol[pos]
    pipeline = args.pipeline or ["--structured-to-cpu-pipeline"]
    with tempfile.TemporaryDirectory() as workdir:
        try:
            blocks = run(program(args.op, x, args.element, args.n, args.m,
                                 len(batch) if args.dynamic else 0),
                         pipeline, args.shared_libs, workdir)
        except RuntimeError as e:
            print("FAIL %s: %s" % (args.op, e))
            return 2
    if np.iscomplexobj(expected):
        got = (blocks[0] + 1j * blocks[1]) if len(blocks) == 2 else None
    else:
        got = blocks[0] if len(blocks) == 1 else None
    if got is None or got.size != expected.size:
        print("FAIL %s: unexpected output" % args.op)
        return 1
    got = got.reshape(expected.shape)
    err = np.abs(got - expected)
    if not np.all(err <= tol):
        print("FAIL %s n=%d m=%d batch=%s: max_abs_err=%.3g, max err/tol=%.3g"
              % (args.op, args.n, args.m, args.batch_dims, float(err.max()),
                 float(np.max(err / tol))))
        return 1
    print("PASS %s n=%d m=%d batch=%s element=%s: max_abs_err=%.3g"
          % (args.op, args.n, args.m, args.batch_dims, args.element,
             float(err.max(initial=0))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
