"""Runs one structured.einsum_linear layer through struct-opt and mlir-runner
and compares it with numpy.einsum (float64) on seeded random inputs.

    python -m einsum_check --spec "bij,ki,lj->bkl" --factors 3x2,5x4 \
        --batch 5 [--batch-dims 2x3] [--dynamic] [--pipeline ARGS] \
        [--compare-named] --shared-libs LIBS

--permute-input R,C / --permute-output R,C wrap the layer in
structured.permute {rows = R, cols = C} of x / of the result, which the
pipeline folds into the einsum's indexing; numpy permutes explicitly.

--compare-named also compiles the same layer written as the named op the
spec canonicalizes to (monarch/btt) with canonicalization off, and checks
that both agree: the property that the einsum instance is that op.
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


def dense(array):
    shape = "x".join(str(d) for d in array.shape)
    data = array.astype("<f4").tobytes().hex().upper()
    return f'dense<"0x{data}"> : tensor<{shape}xf32>'


def ttype(shape, dynamic_batch=0):
    dims = ["?" if i < dynamic_batch else str(d) for i, d in enumerate(shape)]
    return "tensor<%sxf32>" % "x".join(dims)


def letter_sizes(spec, factor_shapes):
    terms = spec.replace(" ", "").split("->")[0].split(",")
    sizes = {}
    for term, shape in zip(terms[1:], factor_shapes):
        for letter, size in zip(term, shape):
            sizes[letter] = size
    return terms, sizes


def permute_text(value, result, ttype_, rows_cols, dest):
    rows, cols = rows_cols
    return (f"  {result} = structured.permute ins({value} : {ttype_}) "
            f"outs({dest} : {ttype_}) {{rows = {rows} : i64, cols = {cols} : i64}}"
            f" -> {ttype_}")


def ref_permute(x, rows_cols):
    """y[b, c·R + r] = x[b, r·C + c] over the last dimension."""
    rows, cols = rows_cols
    lead = x.shape[:-1]
    return np.swapaxes(x.reshape(lead + (rows, cols)), -1, -2).reshape(x.shape)


def program(op_text, x, factors, out_shape, batch_rank, dynamic,
            permute_in=None, permute_out=None):
    nb = batch_rank if dynamic else 0
    xt, ot = ttype(x.shape, nb), ttype(out_shape, nb)
    fts = [ttype(f.shape) for f in factors]
    params = ", ".join([f"%x: {xt}"] + [f"%f{i}: {t}" for i, t in
                                         enumerate(fts)] + [f"%init: {ot}"])
    names = ", ".join(["%x"] + [f"%f{i}" for i in range(len(factors))])
    types = ", ".join([xt] + fts)
    body = []
    op_names = names
    if permute_in:
        body.append(permute_text("%x", "%xp", xt, permute_in, "%x"))
        op_names = names.replace("%x", "%xp", 1)
    op = op_text.format(names=op_names, types=types, out=ot)
    if permute_out:
        body += [f"  %y0 = {op}", permute_text("%y0", "%y", ot, permute_out,
                                                "%init")]
    else:
        body.append(f"  %y = {op}")
    lines = [f"func.func @layer({params}) -> {ot} {{", *body,
             f"  return %y : {ot}", "}",
             "func.func private @printMemrefF32(tensor<*xf32>)",
             "func.func @main() {",
             f"  %x0 = arith.constant {dense(x)}",
             f"  %x = tensor.cast %x0 : {ttype(x.shape)} to {xt}"]
    for i, f in enumerate(factors):
        lines.append(f"  %f{i} = arith.constant {dense(f)}")
    lines += [f"  %i0 = arith.constant dense<7.0> : {ttype(out_shape)}",
              f"  %init = tensor.cast %i0 : {ttype(out_shape)} to {ot}",
              f"  %y = func.call @layer({names}, %init) : ({types}, {ot}) -> {ot}",
              f"  %u = tensor.cast %y : {ot} to tensor<*xf32>",
              "  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()",
              "  return", "}"]
    return "\n".join(lines) + "\n"


def run(source, pipeline, shared_libs, workdir, name):
    struct_opt = shutil.which("struct-opt")
    runner = shutil.which("mlir-runner")
    path = os.path.join(workdir, name + ".mlir")
    with open(path, "w") as f:
        f.write(source)
    lowered = subprocess.run([struct_opt, path, *pipeline], check=True,
                             capture_output=True, text=True).stdout
    out = subprocess.run([runner, "-e", "main", "-entry-point-result=void",
                          f"-shared-libs={shared_libs}"], input=lowered,
                         check=True, capture_output=True, text=True).stdout
    data = out.partition("data =")[2]
    return np.array(re.findall(r"-?[\d.]+(?:e[-+]?\d+)?|nan|inf", data),
                    dtype=np.float64)


NAMED = {  # spec letters pattern -> named op text, for --compare-named
    "monarch": "structured.monarch ins({names} : {types}) outs(%init : {out}) -> {out}",
    "btt": "structured.btt ins({names} : {types}) outs(%init : {out}) -> {out}",
}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--factors", default="")
    parser.add_argument("--batch-dims", default="5")
    parser.add_argument("--dynamic", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pipeline", action="append")
    parser.add_argument("--compare-named", choices=sorted(NAMED))
    parser.add_argument("--permute-input", metavar="R,C")
    parser.add_argument("--permute-output", metavar="R,C")
    parser.add_argument("--shared-libs", required=True)
    args = parser.parse_args(argv)
    permute_in = (tuple(int(v) for v in args.permute_input.split(","))
                  if args.permute_input else None)
    permute_out = (tuple(int(v) for v in args.permute_output.split(","))
                   if args.permute_output else None)
    if args.compare_named and (permute_in or permute_out):
        parser.error("--compare-named does not take permutations")

    factor_shapes = [tuple(int(d) for d in f.split("x"))
                     for f in args.factors.split(",") if f]
    batch = tuple(int(d) for d in args.batch_dims.split("x"))
    terms, sizes = letter_sizes(args.spec, factor_shapes)
    out_term = args.spec.replace(" ", "").split("->")[1]
    x_inner = tuple(sizes[c] for c in terms[0][1:])
    out_inner = tuple(sizes[c] for c in out_term[1:])
    rng = np.random.default_rng(args.seed)
    x = rng.uniform(-1, 1, batch + (int(np.prod(x_inner)),)).astype(np.float32)
    factors = [rng.uniform(-1, 1, s).astype(np.float32) for s in factor_shapes]
    out_shape = batch + (int(np.prod(out_inner)),)

    # numpy: the batch letter stands for all batch dims; flatten them.
    x64 = x.astype(np.float64)
    if permute_in:
        x64 = ref_permute(x64, permute_in)
    xv = x64.reshape((-1,) + x_inner)
    f64 = [f.astype(np.float64) for f in factors]
    y = np.einsum(args.spec, xv, *f64).reshape(-1, int(np.prod(out_inner)))
    if permute_out:
        y = ref_permute(y, permute_out)
    expected = y.reshape(-1)
    bound = np.einsum(args.spec, np.abs(xv), *[np.abs(f) for f in f64])
    tol = 1e-5 * np.max(bound) + 1e-6

    if os.environ.get("STRUCTURED_HARNESS_PERTURB"):
        # Self-test of the check: the run must now FAIL.
        expected = expected.copy()
        expected[int(rng.integers(0, expected.size))] += 4 * tol
    pipeline = args.pipeline or ["--structured-to-cpu-pipeline"]
    op = ('structured.einsum_linear ins({names} : {types}) outs(%init : {out}) '
          '{{spec = "' + args.spec + '"}} -> {out}')
    with tempfile.TemporaryDirectory() as workdir:
        got = run(program(op, x, factors, out_shape, len(batch), args.dynamic,
                          permute_in, permute_out),
                  pipeline, args.shared_libs, workdir, "einsum")
        named = None
        if args.compare_named:
            named = run(program(NAMED[args.compare_named], x, factors,
                                out_shape, len(batch), args.dynamic),
                        ["--structured-to-cpu-pipeline=canonicalize-structured=false"],
                        args.shared_libs, workdir, "named")
    if got.size != expected.size:
        print(f"FAIL {args.spec}: got {got.size} values, expected {expected.size}")
        return 1
    err = float(np.max(np.abs(got - expected)))
    if err > tol:
        print(f"FAIL {args.spec}: max_abs_err={err:.3g} > tol={tol:.3g}")
        return 1
    if named is not None:
        diff = float(np.max(np.abs(named - got)))
        if diff > tol:
            print(f"FAIL {args.spec}: differs from {args.compare_named} by {diff:.3g}")
            return 1
    print(f"PASS {args.spec} factors={args.factors or '-'} batch={args.batch_dims}"
          f" max_abs_err={err:.3g} tol={tol:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
