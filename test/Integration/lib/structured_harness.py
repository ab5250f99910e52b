"""Execution harness of the structured integration tests.

Usage (from a lit RUN line):

    %python -m structured_harness --op monarch --batch 8 --seed 3 \
        --shared-libs %mlir_runner_utils %s | FileCheck %s

The test file defines `func.func @layer(x, weights..., init)`:

* tensor form: every argument is a tensor and @layer returns the result;
* memref form: every argument is a memref, @layer writes into `init` (its last
  argument) and returns nothing.

For `--op causal_conv` the arguments are x (batch... × H × L), k (H × L) and
init; the reference is np.fft's product of the zero-padded polynomials,
itself checked against the defining sum when the sizes are small.
For `--op btt_moe` the arguments are x, w1, w2, idx (i32/i64), gate, init;
idx is random in [0, R), and the batch dims of x are also those of idx, gate
and init. `--property` rewrites idx/gate for a property test (see --help);
`--idx-out-of-range` with `--expect-abort` checks that the compiled program
aborts on a bad index (compile and run only, no reference).

The harness

1. reads the argument types of @layer (a `?` batch dimension takes its size
   from --batch) and, for `permute`, the `rows`/`cols` attributes;
2. generates seeded random inputs; `init` gets non-zero values so that a
   result accumulated into it instead of overwriting it is caught; for
   bf16/f16 all values are small integers times 2^-3, exactly representable,
   so that the f32 accumulation the ops promise is exact;
3. appends a `@main` that materialises the inputs, calls @layer, widens the
   result to f32 and prints it with printMemrefF32;
4. compiles the module with struct-opt (--pipeline, default
   --structured-to-cpu-pipeline; repeat --pipeline for several struct-opt
   invocations in sequence) and runs it with mlir-runner;
5. computes the expected result with numpy straight from the formulas of
   DESIGN.md §1 (float64), compares, and prints `PASS ...` (exit 0) or
   `FAIL ...` with the worst mismatches (exit 1).  A failure to compile or
   run is also reported as `FAIL` (exit 2).

Tolerances: f32 outputs must satisfy |got - ref| <= 1e-4 * bound, where
bound is the same map applied to |x|, |w1|, |w2| (the natural scale of the
rounding error of a sum).  bf16/f16 outputs must be within half an ulp of the
output type of the exact result (plus the 6 significant digits printMemrefF32
prints), i.e. exactly what one final rounding of an exact f32 accumulation
gives.

Setting STRUCTURED_HARNESS_PERTURB=1 in the environment perturbs one element of
the reference by a few tolerances; every test must then FAIL (this is how the
tests were checked to be able to fail).
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

import numpy as np

# ----------------------------------------------------------------------------
# Reference semantics (DESIGN.md §1), written directly from the formulas.
# All arrays are float64; x and the result have one flattened batch dim.
# ----------------------------------------------------------------------------


def ref_blockdiag(x, w):
    """y[b, i·q + j] = Σ_t w[i,j,t] x[b, i·p + t]."""
    k, q, p = w.shape
    bsz, n = x.shape
    assert n == k * p, (n, k, p)
    y = np.zeros((bsz, k * q))
    for i in range(k):
        for j in range(q):
            acc = np.zeros(bsz)
            for t in range(p):
                acc += w[i, j, t] * x[:, i * p + t]
            y[:, i * q + j] = acc
    return y


def ref_permute(x, rows, cols):
    """y[b, c·R + r] = x[b, r·C + c]."""
    bsz, n = x.shape
    assert n == rows * cols, (n, rows, cols)
    y = np.empty_like(x)
    for r in range(rows):
        for c in range(cols):
            y[:, c * rows + r] = x[:, r * cols + c]
    return y


def ref_monarch(x, w1, w2):
    """z[b, i·q + j] = Σ_t w1[i,j,t] x[b, i·p + t];
    y[b, u·l + a] = Σ_c w2[a,u,c] z[b, c·l + a]."""
    k, q, p = w1.shape
    l, s, r = w2.shape
    bsz, n = x.shape
    assert n == k * p and l * r == k * q, (x.shape, w1.shape, w2.shape)
    z = np.zeros((bsz, k * q))
    for i in range(k):
        for j in range(q):
            for t in range(p):
                z[:, i * q + j] += w1[i, j, t] * x[:, i * p + t]
    y = np.zeros((bsz, l * s))
    for a in range(l):
        for u in range(s):
            for c in range(r):
                y[:, u * l + a] += w2[a, u, c] * z[:, c * l + a]
    return y


def ref_btt_intermediate(x, w1):
    """BTT's first factor: z[b, ρ, i·q + j] = Σ_t w1[i,ρ,j,t] x[b, i·p + t]."""
    k, rank, q, p = w1.shape
    bsz, n = x.shape
    assert n == k * p, (x.shape, w1.shape)
    z = np.zeros((bsz, rank, k * q))
    for i in range(k):
        for rho in range(rank):
            for j in range(q):
                for t in range(p):
                    z[:, rho, i * q + j] += w1[i, rho, j, t] * x[:, i * p + t]
    return z


def ref_btt_second(z, w2):
    """BTT's second factor: y[b, u·l + a] = Σ_{c,ρ} w2[a,u,c,ρ] z[b, ρ, c·l + a]."""
    l, s, r, rank = w2.shape
    bsz, rank2, m = z.shape
    assert rank == rank2 and m == l * r, (z.shape, w2.shape)
    y = np.zeros((bsz, l * s))
    for a in range(l):
        for u in range(s):
            for c in range(r):
                for rho in range(rank):
                    y[:, u * l + a] += w2[a, u, c, rho] * z[:, rho, c * l + a]
    return y


def ref_btt(x, w1, w2):
    """z[b, ρ, i·q + j] = Σ_t w1[i,ρ,j,t] x[b, i·p + t];
    y[b, u·l + a] = Σ_{c,ρ} w2[a,u,c,ρ] z[b, ρ, c·l + a]."""
    return ref_btt_second(ref_btt_intermediate(x, w1), w2)


def ref_btt_moe(x, w1, w2, idx, gate):
    """z[b, ρ, i·q + j] = Σ_t w1[i,ρ,j,t] x[b, i·p + t];
    y[b, u·l + a] = Σ_κ gate[b,κ] · Σ_c w2[a,u,c,idx[b,κ]] · z[b, idx[b,κ], c·l + a].

    idx and gate are batch × K. Only the selected components are computed
    (zs[b, κ, ·] is z[b, idx[b, κ], ·]); the loops follow the formulas, not
    ref_btt."""
    k, rank, q, p = w1.shape
    l, s, r, rank2 = w2.shape
    bsz, n = x.shape
    nsel = idx.shape[1]
    assert rank == rank2 and n == k * p and l * r == k * q
    assert idx.shape == gate.shape == (bsz, nsel), (idx.shape, gate.shape)
    idx = idx.astype(np.int64)
    if idx.size and (idx.min() < 0 or idx.max() >= rank):
        raise ValueError("expert index out of range [0, %d)" % rank)
    zs = np.zeros((bsz, nsel, k * q))
    for kappa in range(nsel):
        rho = idx[:, kappa]  # one expert per row
        for i in range(k):
            for j in range(q):
                for t in range(p):
                    zs[:, kappa, i * q + j] += w1[i, rho, j, t] * x[:, i * p + t]
    y = np.zeros((bsz, l * s))
    for kappa in range(nsel):
        rho = idx[:, kappa]
        for a in range(l):
            for u in range(s):
                acc = np.zeros(bsz)
                for c in range(r):
                    acc += w2[a, u, c, rho] * zs[:, kappa, c * l + a]
                y[:, u * l + a] += gate[:, kappa] * acc
    return y


def ref_causal_conv(u, k):
    """y[b, h, t] = Σ_{s<=t} k[h, s] · u[b, h, t − s], through np.fft:
    the product of the polynomials u and k (zero-padded to 2L, so that the
    circular convolution has no wrap-around) truncated to L coefficients."""
    length = u.shape[-1]
    assert k.shape == u.shape[1:], (u.shape, k.shape)
    spectrum = np.fft.rfft(u, 2 * length) * np.fft.rfft(k, 2 * length)
    return np.fft.irfft(spectrum, 2 * length)[..., :length]


def ref_causal_conv_direct(u, k):
    """The sum of the definition, term by term (checks ref_causal_conv)."""
    length = u.shape[-1]
    y = np.zeros_like(u)
    for t in range(length):
        for s in range(t + 1):
            y[..., t] += k[:, s] * u[..., t - s]
    return y


# Number of operands between x and init, per op (btt_moe: w1, w2, idx, gate;
# causal_conv: the kernel k).
NUM_WEIGHTS = {"blockdiag": 1, "permute": 0, "monarch": 2, "btt": 2,
               "btt_moe": 4, "causal_conv": 1}


def reference(op, x, weights, attrs, absolute=False):
    """Applies `op` to x (shape batch... × n); with absolute=True to |x| and
    |weights| (the error scale)."""
    if absolute:
        x = np.abs(x)
        # idx (btt_moe) selects; it is not a factor of the products.
        weights = [w if np.issubdtype(w.dtype, np.integer) else np.abs(w)
                   for w in weights]
    if op == "causal_conv":
        # x is batch... × H × L; the kernel is H × L.
        kernel = weights[0]
        y = ref_causal_conv(x.reshape((-1,) + kernel.shape), kernel)
        return y.reshape(x.shape)
    batch_shape = x.shape[:-1]
    flat = x.reshape(-1, x.shape[-1])
    if op == "blockdiag":
        y = ref_blockdiag(flat, *weights)
    elif op == "permute":
        y = ref_permute(flat, attrs["rows"], attrs["cols"])
    elif op == "monarch":
        y = ref_monarch(flat, *weights)
    elif op == "btt":
        y = ref_btt(flat, *weights)
    elif op == "btt_moe":
        w1, w2, idx, gate = weights
        nsel = idx.shape[-1]
        y = ref_btt_moe(flat, w1, w2, idx.reshape(-1, nsel),
                        gate.reshape(-1, nsel))
    else:
        raise ValueError(op)
    return y.reshape(batch_shape + (y.shape[-1],))


# ----------------------------------------------------------------------------
# Types.
# ----------------------------------------------------------------------------

ELEMENT_TYPES = ("f32", "f16", "bf16")
# Integer element types (btt_moe's expert indices).
INDEX_TYPES = ("i32", "i64")


class ShapedType:
    def __init__(self, text):
        m = re.fullmatch(r"\s*(tensor|memref)<([^>]*)>\s*", text)
        if not m:
            raise ValueError("unsupported argument type '%s'" % text.strip())
        self.kind = m.group(1)
        parts = m.group(2).split("x")
        self.element = parts[-1].strip()
        if self.element not in ELEMENT_TYPES + INDEX_TYPES:
            raise ValueError("unsupported element type in '%s'" % text.strip())
        self.dims = [None if d.strip() == "?" else int(d) for d in parts[:-1]]
        self.text = text.strip()

    def concrete(self, batch):
        """Static shape, `?` (batch dims only) replaced from `batch`."""
        shape = []
        for i, d in enumerate(self.dims):
            if d is None:
                if batch is None or i >= len(batch):
                    raise ValueError("'%s' has a dynamic dimension %d but no "
                                     "--batch size for it" % (self.text, i))
                shape.append(batch[i])
            else:
                if batch is not None and i < len(batch) and i < len(
                        self.dims) - 1 and batch[i] != d:
                    raise ValueError("--batch %s contradicts static dim %d of "
                                     "'%s'" % (batch, i, self.text))
                shape.append(d)
        return tuple(shape)

    def with_shape(self, shape, element=None):
        return "%s<%sx%s>" % (self.kind, "x".join(str(d) for d in shape),
                              element or self.element)

    @property
    def is_integer(self):
        return self.element in INDEX_TYPES

    @property
    def is_dynamic(self):
        return any(d is None for d in self.dims)


def split_top_level(text, sep=","):
    """Splits on `sep` outside <>, (), [] and {}."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur))
    return out


def parse_layer(source, name="layer"):
    """Returns (argument types, result type or None, body text) of @name."""
    m = re.search(r"func\.func\s+(?:private\s+)?@%s\s*\(" % re.escape(name),
                  source)
    if not m:
        raise ValueError("no func.func @%s in the test file" % name)
    i, depth = m.end(), 1
    while depth:
        depth += {"(": 1, ")": -1}.get(source[i], 0)
        i += 1
    args_text = source[m.end():i - 1]
    arg_types = []
    for arg in split_top_level(args_text):
        name, _, ty = arg.partition(":")
        ty = re.sub(r"\{.*\}\s*$", "", ty)  # drop argument attributes
        arg_types.append(ShapedType(ty))
    rest = source[i:]
    body_start = rest.index("{")
    signature_tail = rest[:body_start]
    result = None
    rm = re.search(r"->\s*\(?\s*((?:tensor|memref)<[^>]*>)", signature_tail)
    if rm:
        result = ShapedType(rm.group(1))
    # Body: up to the matching brace.
    j, depth = body_start + 1, 1
    while depth:
        depth += {"{": 1, "}": -1}.get(rest[j], 0)
        j += 1
    return arg_types, result, rest[body_start:j]


# ----------------------------------------------------------------------------
# Inputs.
# ----------------------------------------------------------------------------


def random_values(rng, shape, element, nonzero=False):
    if element == "f32":
        v = rng.uniform(-1.0, 1.0, size=shape)
        if nonzero:
            v = np.sign(v + (v == 0)) * rng.uniform(0.5, 2.0, size=shape)
        return v.astype(np.float32).astype(np.float64)
    # Multiples of 2^-5 in [-1, 1] with at most 5 significant bits: exact in
    # bf16 and f16, and every product and partial sum of the ops is exact in
    # f32 (checked by exact_f32_accumulation), while an intermediate such as
    # Monarch's z needs more bits than bf16/f16 have, so that rounding it to
    # the element type (instead of accumulating in f32) is caught.
    lo = 1 if nonzero else 0
    mag = rng.integers(lo, 2**LOWP_BITS, size=shape)
    sign = rng.choice([-1.0, 1.0], size=shape)
    return sign * mag / 2.0**LOWP_BITS


LOWP_BITS = 5
# Number of input factors in each product term of the op's sums.
PRODUCT_FACTORS = {"blockdiag": 2, "permute": 1, "monarch": 3, "btt": 3,
                   "btt_moe": 4,  # gate · w2 · w1 · x
                   "causal_conv": 2}


def exact_f32_accumulation(op, bound):
    """True if, for LOWP_BITS-bit inputs, every partial sum of the op is a
    multiple of 2^-(LOWP_BITS·factors) below `bound`, hence exact in f32."""
    granularity = 2.0 ** -(LOWP_BITS * PRODUCT_FACTORS[op])
    return np.max(bound, initial=0) / granularity < 2.0 ** 24


def format_float(v):
    if v == 0:
        return "0.0"
    return "%.9e" % v


def dense_literal(array):
    if np.issubdtype(array.dtype, np.integer):
        def fmt(v):
            return "%d" % int(v)
    else:
        def fmt(v):
            return format_float(float(v))

    if array.size == 0:
        return "dense<>"

    def rec(a):
        if a.ndim == 1:
            return "[" + ", ".join(fmt(v) for v in a) + "]"
        return "[" + ", ".join(rec(s) for s in a) + "]"
    return "dense<%s>" % rec(array)


# ----------------------------------------------------------------------------
# @main.
# ----------------------------------------------------------------------------


def build_main_tensor(func, arg_types, result, values, out_shape):
    lines = ["func.func private @printMemrefF32(tensor<*xf32>)",
             "func.func @main() {"]
    names = []
    for idx, (ty, val) in enumerate(zip(arg_types, values)):
        static = ty.with_shape(val.shape).replace("memref", "tensor")
        lines.append("  %%c%d = arith.constant %s : %s" %
                     (idx, dense_literal(val), static))
        name = "%%c%d" % idx
        if static != ty.text:
            lines.append("  %%a%d = tensor.cast %s : %s to %s" %
                         (idx, name, static, ty.text))
            name = "%%a%d" % idx
        names.append(name)
    lines.append("  %%y = call @%s(%s) : (%s) -> %s" %
                 (func, ", ".join(names), ", ".join(t.text for t in arg_types),
                  result.text))
    static_out = result.with_shape(out_shape)
    y = "%y"
    if static_out != result.text:
        lines.append("  %%ys = tensor.cast %%y : %s to %s" %
                     (result.text, static_out))
        y = "%ys"
    if result.element != "f32":
        f32_out = result.with_shape(out_shape, "f32")
        rank = len(out_shape)
        ids = ", ".join("d%d" % i for i in range(rank))
        lines += [
            "  %%e = tensor.empty() : %s" % f32_out,
            "  %%yf = linalg.generic {indexing_maps = [affine_map<(%s) -> (%s)>,"
            " affine_map<(%s) -> (%s)>], iterator_types = [%s]}" %
            (ids, ids, ids, ids, ", ".join(['"parallel"'] * rank)),
            "      ins(%s : %s) outs(%%e : %s) {" % (y, static_out, f32_out),
            "  ^bb0(%in: " + result.element + ", %out: f32):",
            "    %w = arith.extf %in : " + result.element + " to f32",
            "    linalg.yield %w : f32",
            "  } -> %s" % f32_out,
        ]
        y, static_out = "%yf", f32_out
    lines += [
        "  %%u = tensor.cast %s : %s to tensor<*xf32>" % (y, static_out),
        "  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()",
        "  return",
        "}",
    ]
    return "\n".join(lines) + "\n"


def build_main_memref(func, arg_types, values):
    globals_, lines = [], ["func.func private @printMemrefF32(memref<*xf32>)",
                           "func.func @main() {"]
    consts = {}
    names = []

    def index_const(v):
        if v not in consts:
            consts[v] = "%%i%d" % v
            lines.append("  %s = arith.constant %d : index" % (consts[v], v))
        return consts[v]

    for idx, (ty, val) in enumerate(zip(arg_types, values)):
        static = ty.with_shape(val.shape)
        globals_.append('memref.global "private" constant @__harness_arg%d : '
                        '%s = %s' % (idx, static, dense_literal(val)))
        lines.append("  %%g%d = memref.get_global @__harness_arg%d : %s" %
                     (idx, idx, static))
        dyn = [index_const(val.shape[i]) for i, d in enumerate(ty.dims)
               if d is None]
        lines.append("  %%a%d = memref.alloc(%s) : %s" %
                     (idx, ", ".join(dyn), ty.text))
        lines.append("  memref.copy %%g%d, %%a%d : %s to %s" %
                     (idx, idx, static, ty.text))
        names.append("%%a%d" % idx)
    lines.append("  call @%s(%s) : (%s) -> ()" %
                 (func, ", ".join(names), ", ".join(t.text for t in arg_types)))
    init_ty = arg_types[-1]
    out_shape = values[-1].shape
    static_out = init_ty.with_shape(out_shape)
    y = names[-1]
    if static_out != init_ty.text:
        lines.append("  %%ys = memref.cast %s : %s to %s" %
                     (y, init_ty.text, static_out))
        y = "%ys"
    if init_ty.element != "f32":
        f32_out = init_ty.with_shape(out_shape, "f32")
        rank = len(out_shape)
        ids = ", ".join("d%d" % i for i in range(rank))
        lines += [
            "  %%yf = memref.alloc() : %s" % f32_out,
            "  linalg.generic {indexing_maps = [affine_map<(%s) -> (%s)>,"
            " affine_map<(%s) -> (%s)>], iterator_types = [%s]}" %
            (ids, ids, ids, ids, ", ".join(['"parallel"'] * rank)),
            "      ins(%s : %s) outs(%%yf : %s) {" % (y, static_out, f32_out),
            "  ^bb0(%in: " + init_ty.element + ", %out: f32):",
            "    %w = arith.extf %in : " + init_ty.element + " to f32",
            "    linalg.yield %w : f32",
            "  }",
        ]
        y, static_out = "%yf", f32_out
    lines += [
        "  %%u = memref.cast %s : %s to memref<*xf32>" % (y, static_out),
        "  call @printMemrefF32(%u) : (memref<*xf32>) -> ()",
        "  return",
        "}",
    ]
    return "\n".join(globals_) + "\n" + "\n".join(lines) + "\n"


def insert_main(source, main):
    """Appends `main` to the module: inside the explicit top-level module if
    the file has one, else at the end (implicit module)."""
    if re.search(r"^module\b", source, re.M):
        end = source.rstrip().rfind("}")
        return source[:end] + main + "}\n"
    return source + "\n" + main


# ----------------------------------------------------------------------------
# Running.
# ----------------------------------------------------------------------------


class HarnessError(Exception):
    pass


def find_tool(explicit, env, name):
    for candidate in (explicit, os.environ.get(env)):
        if candidate:
            return candidate
    found = shutil.which(name)
    if not found:
        raise HarnessError("cannot find %s (not on PATH; set %s or pass the "
                           "option)" % (name, env))
    return found


def run(cmd, what, stdin=None, timeout=600):
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise HarnessError("%s timed out after %ds: %s" %
                           (what, timeout, " ".join(map(shlex.quote, cmd))))
    if proc.returncode != 0:
        raise HarnessError("%s exited with %d: %s\n--- stderr ---\n%s" %
                           (what, proc.returncode,
                            " ".join(map(shlex.quote, cmd)),
                            proc.stderr[-4000:]))
    return proc.stdout


NUMBER = re.compile(r"[-+]?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)",
                    re.I)


def parse_printed(text, expected_shape):
    m = re.search(r"sizes = \[([^\]]*)\].*?data =\s*\n?(.*)", text, re.S)
    if not m:
        raise HarnessError("no printMemrefF32 output in:\n" + text[-2000:])
    sizes = tuple(int(s) for s in m.group(1).split(",") if s.strip())
    if sizes != tuple(expected_shape):
        raise HarnessError("printed shape %s, expected %s" %
                           (sizes, tuple(expected_shape)))
    if int(np.prod(expected_shape)) == 0:
        # printMemrefF32 prints one (garbage) row of an empty memref.
        return np.zeros(expected_shape)
    data = [float(v) for v in NUMBER.findall(m.group(2))]
    if len(data) != int(np.prod(expected_shape)):
        raise HarnessError("printed %d values, expected %d" %
                           (len(data), int(np.prod(expected_shape))))
    return np.array(data).reshape(expected_shape)


def ulp(values, element):
    """ulp of |values| in the given float type (normal range, f16 subnormals)."""
    mant = {"bf16": 7, "f16": 10, "f32": 23}[element]
    min_exp = {"bf16": -126, "f16": -14, "f32": -126}[element]
    mag = np.maximum(np.abs(values), 2.0 ** min_exp)
    exp = np.floor(np.log2(mag))
    return 2.0 ** (exp - mant)


def tolerance(expected, bound, element, op=None):
    if op == "causal_conv":
        # The fast lowering goes through f32 DFTs, whose rounding error is
        # spread over the whole sequence: its scale is the largest bound of
        # the row, not the bound of each element.
        bound = np.broadcast_to(np.max(bound, axis=-1, keepdims=True),
                                bound.shape)
        if element != "f32":
            # An f32 error `spread` before the final rounding can move the
            # result across a rounding boundary of the element type.
            spread = 2e-5 * bound
            return (spread + 0.5 * ulp(np.abs(expected) + spread, element) +
                    1e-5 * np.abs(expected) + 1e-30)
    if element == "f32":
        return 1e-4 * bound + 1e-30
    # One final rounding of the f32 sums, plus printing (6 digits). Those
    # sums err by a few 2^-24 of the bound (more than of the value where
    # terms cancel), which can move the result across a rounding boundary.
    spread = 2e-6 * bound
    return (spread + 0.5 * ulp(np.abs(expected) + spread, element) +
            1e-5 * np.abs(expected) + 1e-30)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="structured_harness",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--op", required=True, choices=sorted(NUM_WEIGHTS),
                    help="which op @layer computes (selects the argument "
                    "layout and the numpy reference)")
    ap.add_argument("--reference", choices=["monarch"],
                    help="check a rank-1 btt against the monarch reference "
                    "on the same weights with the rank dimension dropped")
    ap.add_argument("--property", choices=["all-experts",
                                           "all-experts-shuffled",
                                           "duplicate"],
                    help="btt_moe property tests: 'all-experts' (K = R, "
                    "idx[b] = [0..R-1], gate[b, κ] = g_κ for every row; the "
                    "result must equal btt with w2[..., ρ] scaled by g_ρ), "
                    "'all-experts-shuffled' (the same with a random order of "
                    "the experts in each row, gate[b, κ] = g_idx[b,κ]), "
                    "'duplicate' (one expert selected twice in every row, "
                    "gates g1, g2; must equal that expert once with g1+g2)")
    ap.add_argument("--idx-out-of-range", nargs="?", const="R",
                    metavar="VALUE",
                    help="btt_moe: set one (seeded random) element of idx "
                    "to VALUE: 'R' (the default: the number of experts) or an "
                    "integer such as -1; needs --expect-abort")
    ap.add_argument("--expect-abort", action="store_true",
                    help="only compile and run; the program must abort "
                    "(SIGABRT). Prints 'ABORTED ...' (or 'FAIL ...' if it "
                    "does not abort), then the program's stdout and, on "
                    "stderr, its stderr; exits with the runner's status "
                    "(128 + signal when killed by one), so RUN lines use "
                    "`not`")
    ap.add_argument("--program-stdout", choices=["pipe", "tty"],
                    default="pipe",
                    help="with --expect-abort: connect mlir-runner's stdout "
                    "to a pipe (default) or to a pseudo-terminal, where the C "
                    "library line-buffers it (a message printed with puts "
                    "right before abort() survives only there)")
    ap.add_argument("--batch", help="concrete batch shape, e.g. 8 or 2x3 "
                    "(required when x has dynamic dims)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--func", default="layer", help="name of the function "
                    "under test (default: layer), for files with several")
    ap.add_argument("--pipeline", action="append",
                    help="struct-opt arguments of one compilation step "
                    "(repeat for several steps); default "
                    "--structured-to-cpu-pipeline")
    ap.add_argument("--compare-with", action="append", metavar="ARGS",
                    help="property test: also compile with these struct-opt "
                    "arguments (repeat for several steps) and require the "
                    "two programs to agree within the tolerance, besides "
                    "both matching the reference")
    ap.add_argument("--shared-libs", default=os.environ.get(
        "MLIR_RUNNER_UTILS", ""), help="comma-separated runtime libraries "
        "for mlir-runner (libmlir_c_runner_utils, libmlir_runner_utils)")
    ap.add_argument("--struct-opt")
    ap.add_argument("--mlir-runner")
    ap.add_argument("--keep", help="directory to keep the generated files in")
    args = ap.parse_args(argv)
    # `--idx-out-of-range FILE`: the optional value took the test file.
    if args.file is None and args.idx_out_of_range not in (None, "R"):
        try:
            int(args.idx_out_of_range, 0)
        except ValueError:
            args.file, args.idx_out_of_range = args.idx_out_of_range, "R"
    if args.file is None:
        ap.error("the following arguments are required: file")

    try:
        return check(args)
    except HarnessError as e:
        print("FAIL %s: %s" % (os.path.basename(args.file), e))
        return 2


def run_program(cmd, tty, timeout=600):
    """Runs cmd without raising on a non-zero exit; returns (returncode,
    stdout, stderr). With tty=True its stdout is a pseudo-terminal."""
    if not tty:
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise HarnessError("program timed out after %ds: %s" %
                               (timeout, " ".join(map(shlex.quote, cmd))))
        return proc.returncode, proc.stdout, proc.stderr
    import termios
    import threading
    master, slave = os.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR  # keep "\n" (no "\r\n")
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO once the last writer has gone
                break
            if not data:
                break
            chunks.append(data)

    try:
        proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
    finally:
        os.close(slave)
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise HarnessError("program timed out after %ds: %s" %
                           (timeout, " ".join(map(shlex.quote, cmd))))
    finally:
        reader.join(timeout=10)
        os.close(master)
    return (proc.returncode, b"".join(chunks).decode(errors="replace"),
            err.decode(errors="replace"))


def describe_status(rc):
    if rc < 0:
        try:
            return "was killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "was killed by signal %d" % -rc
    return "exited with status %d" % rc


def expected_kinds(op, nargs):
    """Whether each argument of @layer holds integers (btt_moe's idx)."""
    return [op == "btt_moe" and i == 3 for i in range(nargs)]


def batch_args(op, nargs):
    """Arguments that carry the batch dims (may be dynamic)."""
    if op == "btt_moe":
        return {0, 3, 4, nargs - 1}
    return {0, nargs - 1}


def apply_property(args, rng, x, weights, attrs):
    """Rewrites idx/gate of a btt_moe for --property; returns (ref_op,
    ref_weights) of the reference the compiled result is compared with, after
    checking in numpy that this reference equals the btt_moe reference."""
    w1, w2, idx, gate = weights
    rank = w1.shape[1]
    nsel = idx.shape[-1]
    flat_idx = idx.reshape(-1, nsel)  # views: edits reach idx and gate
    flat_gate = gate.reshape(-1, nsel)
    gate_element = args.gate_element
    if args.property.startswith("all-experts"):
        if nsel != rank:
            raise HarnessError("--property %s needs K = R (K=%d, R=%d)" %
                               (args.property, nsel, rank))
        g = random_values(rng, (rank,), gate_element)
        for b in range(flat_idx.shape[0]):
            flat_idx[b] = (rng.permutation(rank)
                           if args.property == "all-experts-shuffled"
                           else np.arange(rank))
        flat_gate[...] = g[flat_idx]
        # btt with the gates folded into w2's rank dimension.
        ref_op, ref_weights = "btt", [w1, w2 * g]
        what = "btt_moe with every expert equals btt with folded gates"
    else:
        if nsel < 2:
            raise HarnessError("--property duplicate needs K >= 2")
        rows = flat_idx.shape[0]
        merged_idx = np.empty((rows, nsel - 1), dtype=flat_idx.dtype)
        merged_gate = np.empty((rows, nsel - 1))
        for b in range(rows):
            k0, k1 = rng.choice(nsel, size=2, replace=False)
            flat_idx[b, k1] = flat_idx[b, k0]
            keep = [k for k in range(nsel) if k != k1]
            merged_idx[b] = flat_idx[b, keep]
            g = flat_gate[b].copy()
            g[k0] += g[k1]
            merged_gate[b] = g[keep]
        shape = idx.shape[:-1] + (nsel - 1,)
        ref_op = "btt_moe"
        ref_weights = [w1, w2, merged_idx.reshape(shape),
                       merged_gate.reshape(shape)]
        what = ("btt_moe with an expert selected twice equals that expert "
                "once with the summed gate")
    # The property itself, on the numpy side.
    lhs = reference("btt_moe", x, weights, attrs)
    rhs = reference(ref_op, x, ref_weights, attrs)
    scale = np.max(reference("btt_moe", x, weights, attrs, absolute=True),
                   initial=0)
    diff = float(np.max(np.abs(lhs - rhs), initial=0))
    if not diff <= 1e-12 * scale + 1e-300:
        raise PropertyViolation("%s: the numpy references differ by %g "
                                "(scale %g)" % (what, diff, scale))
    return ref_op, ref_weights


class PropertyViolation(Exception):
    pass


def check(args):
    with open(args.file) as f:
        source = f.read()
    try:
        arg_types, result, body = parse_layer(source, args.func)
    except ValueError as e:
        raise HarnessError(str(e))
    nweights = NUM_WEIGHTS[args.op]
    if len(arg_types) != nweights + 2:
        raise HarnessError("@layer has %d arguments; --op %s expects x, %d "
                           "weight(s), init" % (len(arg_types), args.op,
                                                nweights))
    for i, (t, want_int) in enumerate(zip(
            arg_types, expected_kinds(args.op, len(arg_types)))):
        if t.is_integer != want_int:
            raise HarnessError("argument %d of @%s is '%s'; expected %s" %
                               (i, args.func, t.text,
                                "i32 or i64 indices" if want_int
                                else "a float type"))
    if result is not None and result.is_integer:
        raise HarnessError("@%s returns integers" % args.func)
    memref_form = all(t.kind == "memref" for t in arg_types)
    if not memref_form and (result is None or
                            any(t.kind != "tensor" for t in arg_types)):
        raise HarnessError("@layer must take tensors and return a tensor, or "
                           "take memrefs only")
    if args.op != "btt_moe" and (args.property or
                                 args.idx_out_of_range is not None):
        raise HarnessError("--property and --idx-out-of-range need --op "
                           "btt_moe")
    if args.idx_out_of_range is not None and not args.expect_abort:
        raise HarnessError("--idx-out-of-range has no reference result; use "
                           "it with --expect-abort")

    attrs = {}
    if args.op == "permute":
        for key in ("rows", "cols"):
            m = re.search(r"\b%s\s*=\s*(\d+)" % key, body)
            if not m:
                raise HarnessError("no '%s' attribute in @%s" % (key, args.func))
            attrs[key] = int(m.group(1))

    batch = None
    if args.batch:
        batch = [int(b) for b in re.split(r"[x,]", args.batch)]
    x_type, init_type = arg_types[0], arg_types[-1]
    # causal_conv's x is batch... × H × L; the other ops' x is batch... × n.
    batch_rank = len(x_type.dims) - (2 if args.op == "causal_conv" else 1)
    if batch is not None and len(batch) != batch_rank:
        raise HarnessError("--batch %s has %d sizes but '%s' has %d batch "
                           "dimension(s)" % (args.batch, len(batch),
                                             x_type.text, batch_rank))
    shapes = []
    batched = batch_args(args.op, len(arg_types))
    try:
        for idx, t in enumerate(arg_types):
            if idx not in batched and t.is_dynamic:
                raise ValueError("weights must be static: '%s'" % t.text)
            shapes.append(t.concrete(batch if idx in batched else None))
    except ValueError as e:
        raise HarnessError(str(e))

    rng = np.random.default_rng(args.seed)
    # With a bf16/f16 result, every float input uses the exactly representable
    # low-precision values (an f32 gate of a bf16 btt_moe included).
    lowp = init_type.element != "f32"

    def element_of(t):
        return init_type.element if lowp and t.element == "f32" else t.element

    args.gate_element = (element_of(arg_types[4]) if args.op == "btt_moe"
                         else None)
    values = []
    for idx, (t, shape) in enumerate(zip(arg_types, shapes)):
        if t.is_integer:
            # btt_moe's idx: experts in [0, R), R = w1.shape[1].
            values.append(rng.integers(0, shapes[1][1], size=shape,
                                       dtype=np.int64))
        else:
            values.append(random_values(rng, shape, element_of(t),
                                        nonzero=(idx == len(arg_types) - 1)))
    x, weights, init = values[0], values[1:-1], values[-1]

    # Expected result (float64), and the error scale.
    ref_op, ref_weights = args.op, weights
    if args.reference == "monarch":
        if args.op != "btt" or weights[0].shape[1] != 1:
            raise HarnessError("--reference monarch needs a rank-1 btt")
        # btt w1 k×1×q×p, w2 l×s×r×1 are monarch's k×q×p and l×s×r.
        ref_weights = [weights[0][:, 0, :, :], weights[1][:, :, :, 0]]
        ref_op = "monarch"
        # The property itself, on the numpy side: rank-1 BTT == Monarch.
        diff = np.max(np.abs(reference("btt", x, weights, attrs) -
                             reference("monarch", x, ref_weights, attrs)))
        if diff > 1e-9:
            print("FAIL property: rank-1 btt reference differs from monarch "
                  "by %g" % diff)
            return 1
    if args.property:
        try:
            ref_op, ref_weights = apply_property(args, rng, x, weights,
                                                 attrs)
        except PropertyViolation as e:
            print("FAIL property: %s" % e)
            return 1
    bad_index = None
    if args.idx_out_of_range is not None:
        idx_values, idx_type = weights[2], arg_types[3]
        rank = weights[0].shape[1]
        try:
            value = (rank if args.idx_out_of_range == "R"
                     else int(args.idx_out_of_range, 0))
        except ValueError:
            raise HarnessError("--idx-out-of-range: 'R' or an integer, not "
                               "'%s'" % args.idx_out_of_range)
        bits = int(idx_type.element[1:])
        if not -2**(bits - 1) <= value < 2**(bits - 1):
            raise HarnessError("--idx-out-of-range %d does not fit in %s" %
                               (value, idx_type.element))
        if 0 <= value < rank:
            raise HarnessError("--idx-out-of-range %d is in [0, %d)" %
                               (value, rank))
        if idx_values.size == 0:
            raise HarnessError("--idx-out-of-range: idx is empty")
        pos = tuple(int(rng.integers(0, d)) for d in idx_values.shape)
        idx_values[pos] = value
        bad_index = (pos, value)

    desc = "%s %s x=%s w=%s -> %s" % (
        os.path.basename(args.file), args.op + (
            " (ref %s)" % args.reference if args.reference else "") + (
            " (property %s)" % args.property if args.property else ""),
        "x".join(map(str, x.shape)),
        ",".join("x".join(map(str, w.shape)) + (
            t.element if t.is_integer or t.element != init_type.element
            else "") for w, t in zip(weights, arg_types[1:-1])) or "-",
        "x".join(map(str, init.shape)) + init_type.element)

    if not args.expect_abort:
        expected = reference(ref_op, x, ref_weights, attrs)
        # The error scale of what the compiled code computes: the op's own
        # map on absolute values.
        bound = reference(args.op, x, weights, attrs, absolute=True)
        if args.op == "causal_conv" and x.size * x.shape[-1] <= 10**6:
            # The np.fft reference itself, against the definition.
            kernel = weights[0]
            direct = ref_causal_conv_direct(
                x.reshape((-1,) + kernel.shape), kernel).reshape(x.shape)
            diff = float(np.max(np.abs(direct - expected), initial=0))
            if not diff <= 1e-9 * float(np.max(bound, initial=0)) + 1e-300:
                print("FAIL reference: np.fft causal convolution differs "
                      "from the direct sum by %g" % diff)
                return 1
        if init.shape != expected.shape:
            raise HarnessError("init has shape %s but the op produces %s" %
                               (init.shape, expected.shape))
        if lowp and not exact_f32_accumulation(args.op, bound):
            raise HarnessError("sizes too large for exact f32 accumulation "
                               "of the low-precision inputs; use smaller "
                               "sizes")
        if os.environ.get("STRUCTURED_HARNESS_PERTURB"):
            if expected.size == 0:
                raise HarnessError("STRUCTURED_HARNESS_PERTURB: the result "
                                   "is empty")
            tol = tolerance(expected, bound, init_type.element, args.op)
            pos = tuple(rng.integers(0, d) for d in expected.shape)
            expected = expected.copy()
            expected[pos] += 4 * tol[pos] + 1e-6

    if memref_form:
        main_text = build_main_memref(args.func, arg_types, values)
    else:
        main_text = build_main_tensor(args.func, arg_types, result, values,
                                      init.shape)
    module = insert_main(source, main_text)

    struct_opt = find_tool(args.struct_opt, "STRUCT_OPT", "struct-opt")
    runner = find_tool(args.mlir_runner, "MLIR_RUNNER", "mlir-runner")
    libs = [l for l in args.shared_libs.split(",") if l]
    if not libs:
        raise HarnessError("no --shared-libs (pass %mlir_runner_utils)")
    for lib in libs:
        if not os.path.isabs(lib) or not os.path.exists(lib):
            raise HarnessError("runtime library '%s' does not exist (need an "
                               "absolute path)" % lib)
    steps = args.pipeline or ["--structured-to-cpu-pipeline"]

    workdir = args.keep or tempfile.mkdtemp(prefix="structured-harness-")
    os.makedirs(workdir, exist_ok=True)

    def compile_and_run(steps, tag):
        path = os.path.join(workdir, "input.mlir")
        with open(path, "w") as f:
            f.write(module)
        for n, step in enumerate(steps):
            out = os.path.join(workdir, "%sstep%d.mlir" % (tag, n))
            run([struct_opt] + shlex.split(step) + [path, "-o", out],
                "struct-opt %sstep %d" % (tag, n))
            path = out
        return [runner, "-e", "main", "-entry-point-result=void",
                "-shared-libs=" + ",".join(libs), path]

    other = None
    try:
        runner_cmd = compile_and_run(steps, "")
        if args.expect_abort:
            rc, printed, errors = run_program(
                runner_cmd, tty=args.program_stdout == "tty")
        else:
            printed = run(runner_cmd, "mlir-runner")
            if args.compare_with:
                other = run(compile_and_run(args.compare_with, "other-"),
                            "mlir-runner (--compare-with)")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    if args.expect_abort:
        if bad_index is not None:
            desc += " idx%s=%d" % (list(bad_index[0]), bad_index[1])
        if rc == -signal.SIGABRT:
            print("ABORTED %s: mlir-runner %s" % (desc, describe_status(rc)))
        else:
            print("FAIL %s: the program did not abort: mlir-runner %s" %
                  (desc, describe_status(rc)))
        print("--- program stdout ---")
        print(printed[-20000:], end="" if printed.endswith("\n") else "\n")
        sys.stdout.flush()
        sys.stderr.write("--- program stderr ---\n" + errors[-20000:])
        sys.stderr.flush()
        return 128 - rc if rc < 0 else rc

    got = parse_printed(printed, init.shape)
    tol = tolerance(expected, bound, init_type.element, args.op)
    if other is not None:
        got_other = parse_printed(other, init.shape)
        # Each may be off by up to `tol` (a value at a rounding tie of a
        # low-precision type may round either way), hence 2·tol.
        diff = np.abs(got - got_other)
        if not np.all(diff <= 2 * tol):
            print("FAIL %s: the two compilations differ (max %.3g, max "
                  "diff/tol %.3g): %s vs %s" % (
                      desc, float(np.nanmax(diff)),
                      float(np.nanmax(diff / (2 * tol))), " ".join(steps),
                      " ".join(args.compare_with)))
            return 1
        desc += " (== %s)" % " ".join(args.compare_with)
    err = np.abs(got - expected)
    bad = ~(err <= tol)  # NaN counts as bad
    max_err = float(np.nanmax(err)) if err.size else 0.0
    max_ratio = float(np.nanmax(err / tol)) if err.size else 0.0
    if bad.any():
        print("FAIL %s: %d of %d elements out of tolerance (max_abs_err=%.3g, "
              "max err/tol=%.3g)" % (desc, int(bad.sum()), bad.size, max_err,
                                     max_ratio))
        idxs = np.argwhere(bad)
        order = np.argsort(-np.nan_to_num(err[bad], nan=np.inf))[:8]
        for i in order:
            pos = tuple(idxs[i])
            print("  at %s: got %r expected %r (tol %.3g, init was %r)" %
                  (pos, got[pos], expected[pos], tol[pos], init[pos]))
        return 1
    print("PASS %s: max_abs_err=%.3g max_err/tol=%.3g" %
          (desc, max_err, max_ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
