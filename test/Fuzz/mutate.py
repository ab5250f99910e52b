#!/usr/bin/env python3
"""Deterministic mutation fuzzer of struct-opt (a smoke test, run by lit from
struct-opt-mutations.test).

Corpus: every `.mlir` file under --inputs (test/Dialect), walked in sorted
order and split on `// -----` lines; whole-line `//` comments (RUN lines,
CHECKs, expected-error annotations) are dropped.

Mutants: a seeded `random.Random(seed)` picks a chunk and one mutation class
per mutant (round-robin over the classes, so each gets its share), and
stacks a second and third mutation on a quarter of the mutants. Classes:

  dim        a dimension of a tensor/memref/vector type -> 0, 1, -1, -0,
             2^31, 2^62, 2^63-1, 2^63, -2^63, 2^64-1, `?`
  rank       drop or insert a dimension of a shaped type
  (dim, rank, elemtype and kind change one shaped type: in 3 of 4 mutants
  every occurrence of it, so that signatures and op types stay consistent
  and the verifiers and passes see the change, else one occurrence only)
  int-attr   an integer attribute (rows = 2, ...) -> 0, -1, huge, 2^63-1 ...
             or its type to i32/index/i1, or the attribute dropped
  elemtype   the element type of one shaped type -> f32/f16/bf16/f64/i32/
             i8/index/complex<f32>
  elemtype-all  one element type -> another in every shaped type of the chunk
  kind       tensor <-> memref in one type
  operand    in an `ins(...)`/`outs(...)` list: drop an operand, drop an
             operand and its type, duplicate an operand (with or without its
             type), swap two operands, replace one by another value, or use
             the input as the init (the custom parser rejects most of these)
  generic-operand  the same on the generic form of the chunks struct-opt
             accepts ("generic:<file>" corpus entries, printed once with
             --mlir-print-op-generic): drop/duplicate/swap an operand with its
             type, no operands, add or remove a result -- these reach the op
             verifiers with wrong operand and result lists
  token      delete or duplicate one token
  line       delete or duplicate one line
  truncate   cut the text at a random offset

Runs: mutants are batched (--batch per struct-opt invocation, separated by
`// -----`) and each batch goes through three struct-opt invocations:

  struct-opt -split-input-file --verify-each
  struct-opt -split-input-file --verify-each -canonicalize
  struct-opt -split-input-file --verify-each --structured-decompose

A run fails ("crash") if it exits with a status >= 128 or < 0 (a signal), if
stderr contains "PLEASE submit a bug report", "Stack dump" or "LLVM ERROR",
or if it does not finish within --timeout seconds (a hang). A normal non-zero
exit with diagnostics is fine. When a batch crashes, its mutants are rerun
one by one to find every offender, and each offender is minimized (greedy
line- then token-level deletion that keeps the same crash signature) and
printed (hangs are printed unminimized). Exit status: 0 if no run crashed,
1 otherwise.

Also reported, as a NOTE that does not fail the run unless
--fail-on-pass-errors is given: mutants that the verify run accepts but on
which -canonicalize or --structured-decompose then reports an error (a pass
must handle every valid input; usually the verifier rejects its output).

Every struct-opt run's outcome per mutant (accepted / rejected by the parser
/ rejected by an op verifier or pass) is counted from the line numbers of
the diagnostics and printed, to show how deep the mutants get.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import time

SEPARATOR = "// -----"
CRASH_MARKERS = ("PLEASE submit a bug report", "Stack dump", "LLVM ERROR")

MODES = [
    ("verify", ["-split-input-file", "--verify-each"]),
    ("canonicalize", ["-split-input-file", "--verify-each", "-canonicalize"]),
    ("decompose", ["-split-input-file", "--verify-each",
                   "--structured-decompose"]),
]

DIM_VALUES = ["0", "1", "-1", "-0", "2147483648", "4611686018427387904",
              "9223372036854775807", "9223372036854775808",
              "-9223372036854775808", "18446744073709551615", "?"]
INT_ATTR_VALUES = ["0", "1", "-1", "-2", "3", "7", "2147483648",
                   "4611686018427387904", "9223372036854775807",
                   "-9223372036854775808", "4294967297"]
ELEMENT_TYPES = ["f32", "f16", "bf16", "f64", "i32", "i8", "index",
                 "complex<f32>"]


INT_ATTR_RE = re.compile(r"\b(rows|cols)\s*=\s*(-?\d+)(\s*:\s*\w+)?")
LIST_RE = re.compile(r"\b(ins|outs)\(([^():]*):([^()]*(?:\([^()]*\)[^()]*)*)"
                     r"\)")
TOKEN_RE = re.compile(r'%[\w.$#-]+|@[\w.$-]+|#[\w.$-]+|![\w.$-]+|"[^"\n]*"|'
                      r"->|\d+(?:x\d+)*x?|\w+|\S")


# ----------------------------------------------------------------------------
# Corpus.
# ----------------------------------------------------------------------------


def load_corpus(root):
    """{relative path: [(chunk label, text)]}."""
    chunks = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".mlir"):
                continue
            path = os.path.join(dirpath, name)
            with open(path) as f:
                text = f.read()
            parts = re.split(r"^// -----.*$", text, flags=re.M)
            for index, part in enumerate(parts):
                lines = [l for l in part.split("\n")
                         if not l.lstrip().startswith("//")]
                body = "\n".join(lines).strip("\n")
                # A chunk of several top-level functions (implicit module)
                # becomes one chunk per function, so that a mutation in one
                # of them does not keep the others from the passes.
                pieces = [body]
                if not re.search(r"^module\b", body, re.M):
                    starts = [m.start() for m in
                              re.finditer(r"^func\.func\b", body, re.M)]
                    if len(starts) > 1 and body[:starts[0]].strip() == "":
                        pieces = [body[a:b] for a, b in
                                  zip(starts, starts[1:] + [len(body)])]
                for sub, piece in enumerate(pieces):
                    if piece.strip():
                        label = "%d" % index if len(pieces) == 1 else \
                            "%d.%d" % (index, sub)
                        chunks.setdefault(os.path.relpath(path, root),
                                          []).append(
                            (label, piece.strip("\n") + "\n"))
    return chunks


def add_generic_forms(corpus, struct_opt, timeout):
    """Adds "generic:<file>" entries: the chunks of <file> that struct-opt
    accepts, printed in the generic op form. There the operand and result
    lists are free, so dropping or duplicating an operand reaches the op's
    verifier instead of stopping in the custom parser."""
    for name in sorted(corpus):
        chunks = corpus[name]
        text = ("\n%s\n" % SEPARATOR).join(t for _, t in chunks)
        try:
            proc = subprocess.run(
                [struct_opt, "-", "-split-input-file",
                 "--mlir-print-op-generic"], input=text.encode(),
                capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
        if proc.returncode < 0 or proc.returncode >= 128:
            continue  # the unmutated corpus crashing shows up elsewhere
        pieces = re.split(r"^// -----$", proc.stdout.decode(), flags=re.M)
        if len(pieces) != len(chunks):
            continue
        generic = [(label, piece.strip("\n") + "\n")
                   for (label, _), piece in zip(chunks, pieces)
                   if piece.strip()]
        if generic:
            corpus["generic:" + name] = generic


# ----------------------------------------------------------------------------
# Mutations. Each takes (rng, text) and returns (new text, description) or
# None when it does not apply to the text.
# ----------------------------------------------------------------------------


def _splice(text, start, end, new):
    return text[:start] + new + text[end:]


def _shaped_types(text):
    """Every shaped type of the text: [(start, end, type text)]."""
    out = []
    for m in re.finditer(r"\b(?:tensor|memref|vector)<", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"<": 1, ">": -1}.get(text[i], 0)
            i += 1
        if depth == 0:
            out.append((m.start(), i, text[m.start():i]))
    return out


def _retype(rng, text, change, what):
    """Applies change(rng, type text) -> (new type, description) to one
    shaped type: to every occurrence of that type in the text (3 times in 4,
    so that function signatures, op types and results stay consistent and
    the op verifiers, folders and passes see the mutation) or to one
    occurrence only (so that the parser's type checks see it)."""
    types = _shaped_types(text)
    if not types:
        return None
    start, end, old = rng.choice(types)
    res = change(rng, old)
    if res is None or res[0] == old:
        return None
    new, desc = res
    if rng.random() < 0.75:
        count = sum(1 for t in types if t[2] == old)
        out = re.sub(re.escape(old) + r"(?![\w<])", lambda m: new, text)
        return out, "%s %s (%d uses of %s)" % (what, desc, count, old)
    return (_splice(text, start, end, new),
            "%s %s (one use of %s)" % (what, desc, old))


def _dims(ty):
    """[(start, end)] of the dimensions of a shaped type text."""
    m = re.match(r"(?:tensor|memref|vector)<((?:(?:\d+|\?)x)*)", ty)
    out, pos = [], m.start(1)
    for d in m.group(1).split("x")[:-1]:
        out.append((pos, pos + len(d)))
        pos += len(d) + 1
    return out


def mut_dim(rng, text):
    def change(rng, ty):
        dims = _dims(ty)
        if not dims:
            return None
        a, b = rng.choice(dims)
        new = rng.choice([v for v in DIM_VALUES if v != ty[a:b]])
        return _splice(ty, a, b, new), "%s -> %s" % (ty[a:b], new)
    return _retype(rng, text, change, "dim")


def mut_rank(rng, text):
    def change(rng, ty):
        dims = _dims(ty)
        if not dims:
            return None
        a, b = rng.choice(dims)
        if rng.random() < 0.5:
            return _splice(ty, a, b + 1, ""), "drop dim %s" % ty[a:b]
        extra = rng.choice(["1", ty[a:b], "0", "?"])
        return _splice(ty, a, a, extra + "x"), "insert dim %s" % extra
    return _retype(rng, text, change, "rank:")


def mut_kind(rng, text):
    def change(rng, ty):
        if ty.startswith("vector"):
            return None
        kind = ty[:ty.index("<")]
        new = "memref" if kind == "tensor" else "tensor"
        return new + ty[len(kind):], "%s -> %s" % (kind, new)
    return _retype(rng, text, change, "kind")


def mut_int_attr(rng, text):
    matches = list(INT_ATTR_RE.finditer(text))
    if not matches:
        return None
    m = rng.choice(matches)
    choice = rng.random()
    if choice < 0.7:
        new = rng.choice([v for v in INT_ATTR_VALUES if v != m.group(2)])
        return (_splice(text, m.start(2), m.end(2), new),
                "int-attr %s %s -> %s" % (m.group(1), m.group(2), new))
    if choice < 0.85:
        ty = rng.choice([": i32", ": index", ": i1", ": i8", ": f32"])
        return (_splice(text, m.end(2), m.end(), " " + ty),
                "int-attr %s type -> %s" % (m.group(1), ty))
    # Drop the attribute (and one neighbouring comma).
    start, end = m.start(), m.end()
    if text[end:end + 1] == ",":
        end += 1
    elif text[start - 2:start] == ", ":
        start -= 2
    return _splice(text, start, end, ""), "int-attr drop %s" % m.group(1)


def mut_elemtype(rng, text):
    def change(rng, ty):
        m = re.search(r"(?:(?<=<)|(?<=x))(complex<f32>|[a-z]\w*)(?=[,>])", ty)
        if not m:
            return None
        new = rng.choice([t for t in ELEMENT_TYPES if t != m.group(1)])
        return (_splice(ty, m.start(1), m.end(1), new),
                "%s -> %s" % (m.group(1), new))
    return _retype(rng, text, change, "elemtype")


def mut_elemtype_all(rng, text):
    """One element type -> another in every shaped type of the text."""
    elem = re.compile(r"(?:(?<=<)|(?<=x))(complex<f32>|[a-z]\w*)(?=[,>])")
    types = sorted(set(t for _, _, t in _shaped_types(text)))
    present = sorted(set(m.group(1) for t in types
                         for m in elem.finditer(t)))
    if not present:
        return None
    old = rng.choice(present)
    new = rng.choice([t for t in ELEMENT_TYPES if t != old])
    mapping = {t: elem.sub(lambda m: new if m.group(1) == old
                           else m.group(0), t) for t in types}
    out = re.sub("|".join(re.escape(t) for t in
                          sorted(types, key=len, reverse=True)) +
                 r"(?![\w<])", lambda m: mapping[m.group(0)], text)
    return out, "elemtype %s -> %s (all shaped types)" % (old, new)


def _split_types(types):
    out, depth, cur = [], 0, ""
    for ch in types:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def mut_operand(rng, text):
    matches = list(LIST_RE.finditer(text))
    if not matches:
        return None
    m = rng.choice(matches)
    kw = m.group(1)
    ops = [o.strip() for o in m.group(2).split(",") if o.strip()]
    tys = _split_types(m.group(3))
    if not ops:
        return None
    kind = rng.choice(["drop", "drop-with-type", "dup", "dup-with-type",
                       "swap", "replace", "init-is-input"])
    i = rng.randrange(len(ops))
    desc = "operand %s in %s(...) #%d" % (kind, kw, i)
    if kind == "drop":
        ops = ops[:i] + ops[i + 1:]
    elif kind == "drop-with-type":
        ops = ops[:i] + ops[i + 1:]
        if i < len(tys):
            tys = tys[:i] + tys[i + 1:]
    elif kind == "dup":
        ops = ops[:i + 1] + [ops[i]] + ops[i + 1:]
    elif kind == "dup-with-type":
        ops = ops[:i + 1] + [ops[i]] + ops[i + 1:]
        if i < len(tys):
            tys = tys[:i + 1] + [tys[i]] + tys[i + 1:]
    elif kind == "swap":
        if len(ops) < 2:
            return None
        j = rng.randrange(len(ops))
        ops[i], ops[j] = ops[j], ops[i]
        desc += "<->#%d" % j
    elif kind == "replace":
        # Another SSA value of the chunk in place of this operand; where the
        # value is a function argument, its type goes with it.
        values = sorted(set(re.findall(r"%[\w.$#-]+", text)))
        ops[i] = rng.choice(values)
        desc += " -> %s" % ops[i]
        arg = re.search(re.escape(ops[i]) + r"\s*:\s*((?:tensor|memref)"
                        r"<[^<>]*(?:<[^<>]*>[^<>]*)*>)", text)
        if arg and i < len(tys):
            tys[i] = arg.group(1)
            desc += " : %s" % tys[i]
    else:  # init-is-input: outs(%init) -> outs(%x), types unchanged
        if kw != "outs":
            return None
        ins = [mm for mm in LIST_RE.finditer(text) if mm.group(1) == "ins"
               and mm.end() <= m.start() and m.start() - mm.end() < 4]
        if not ins:
            return None
        x = ins[-1].group(2).split(",")[0].strip()
        ops = [x] + ops[1:]
    new = "%s(%s : %s)" % (kw, ", ".join(ops), ", ".join(tys))
    return _splice(text, m.start(), m.end(), new), desc


GENERIC_OP_RE = re.compile(
    r'^(?P<indent>\s*)(?P<res>%[\w#:]+ = )?"(?P<name>structured\.\w+)"'
    r'\((?P<ops>[^()]*)\)(?P<attrs>.*?) : \((?P<types>.*)\) -> '
    r'(?P<results>.*)$', re.M)


def mut_generic_operand(rng, text):
    """On the generic form: drop, duplicate or swap an operand together with
    its type, or add or remove a result, so that the op verifiers see the
    wrong operand and result lists."""
    matches = list(GENERIC_OP_RE.finditer(text))
    if not matches:
        return None
    m = rng.choice(matches)
    ops = [o.strip() for o in m.group("ops").split(",") if o.strip()]
    tys = _split_types(m.group("types"))
    res, results = m.group("res") or "", m.group("results").strip()
    kind = rng.choice(["drop", "drop", "dup", "swap", "add-result",
                       "remove-result", "no-operands"])
    desc = "generic %s on %s" % (kind, m.group("name"))
    if kind in ("drop", "dup", "swap"):
        if not ops or len(ops) != len(tys):
            return None
        i = rng.randrange(len(ops))
        desc += " #%d" % i
        if kind == "drop":
            del ops[i], tys[i]
        elif kind == "dup":
            ops.insert(i, ops[i])
            tys.insert(i, tys[i])
        else:
            j = rng.randrange(len(ops))
            ops[i], ops[j] = ops[j], ops[i]
            tys[i], tys[j] = tys[j], tys[i]
            desc += "<->#%d" % j
    elif kind == "no-operands":
        ops, tys = [], []
    elif kind == "add-result":
        if res:
            name = res.split("=")[0].strip()
            if ":" in name:
                return None
            res = "%s:2 = " % name
            results = "(%s, %s)" % (results, results)
        else:
            res = "%fuzz_result = "
            results = tys[-1] if tys else "tensor<1x1xf32>"
    else:  # remove-result: keep the SSA name so later uses stay
        if not res:
            return None
        results = "()"
    new = '%s%s"%s"(%s)%s : (%s) -> %s' % (
        m.group("indent"), res, m.group("name"), ", ".join(ops),
        m.group("attrs"), ", ".join(tys), results)
    return _splice(text, m.start(), m.end(), new), desc


def mut_token(rng, text):
    tokens = list(TOKEN_RE.finditer(text))
    if not tokens:
        return None
    t = rng.choice(tokens)
    if rng.random() < 0.7:
        return (_splice(text, t.start(), t.end(), ""),
                "token delete %r" % t.group(0))
    return (_splice(text, t.end(), t.end(), " " + t.group(0)),
            "token duplicate %r" % t.group(0))


def mut_line(rng, text):
    lines = text.split("\n")
    nonblank = [i for i, l in enumerate(lines) if l.strip()]
    if len(nonblank) < 2:
        return None
    i = rng.choice(nonblank)
    if rng.random() < 0.7:
        return ("\n".join(lines[:i] + lines[i + 1:]),
                "line delete %d %r" % (i + 1, lines[i].strip()[:60]))
    return ("\n".join(lines[:i + 1] + [lines[i]] + lines[i + 1:]),
            "line duplicate %d %r" % (i + 1, lines[i].strip()[:60]))


def mut_truncate(rng, text):
    if len(text) < 2:
        return None
    cut = rng.randrange(1, len(text))
    return text[:cut] + "\n", "truncate at %d of %d" % (cut, len(text))


MUTATIONS = [
    ("dim", mut_dim),
    ("rank", mut_rank),
    ("int-attr", mut_int_attr),
    ("elemtype", mut_elemtype),
    ("elemtype-all", mut_elemtype_all),
    ("kind", mut_kind),
    ("operand", mut_operand),
    ("generic-operand", mut_generic_operand),
    ("token", mut_token),
    ("line", mut_line),
    ("truncate", mut_truncate),
]
MUTATION_BY_NAME = dict(MUTATIONS)


def make_mutants(rng, corpus, count, classes):
    mutants = []
    for n in range(count):
        cls = classes[n % len(classes)]
        for attempt in range(100):
            if attempt == 50:  # the class fits no chunk tried: use another
                cls = rng.choice(classes)
            # A file first, then one of its chunks: the many small negative
            # tests of invalid.mlir and robustness.mlir do not crowd out the
            # valid inputs that reach the passes.
            src = rng.choice(sorted(corpus))
            index, text = rng.choice(corpus[src])
            res = MUTATION_BY_NAME[cls](rng, text)
            if res is not None and res[0] != text:
                break
        else:
            continue
        text, desc = res
        descs = [desc]
        names = [cls]
        if rng.random() < 0.25:
            for _ in range(rng.randint(1, 2)):
                extra = rng.choice(classes)
                res = MUTATION_BY_NAME[extra](rng, text)
                if res is not None:
                    text, d = res
                    descs.append(d)
                    names.append(extra)
        # A mutant must never contain the split marker itself.
        text = text.replace(SEPARATOR, "// ----")
        mutants.append({"id": n, "classes": names, "desc": "; ".join(descs),
                        "origin": "%s#%s" % (src, index), "text": text})
    return mutants


# ----------------------------------------------------------------------------
# Running struct-opt.
# ----------------------------------------------------------------------------


class Result:
    def __init__(self, rc, stderr, timed_out):
        self.rc, self.stderr, self.timed_out = rc, stderr, timed_out

    @property
    def crashed(self):
        return (self.timed_out or self.rc < 0 or self.rc >= 128 or
                any(m in self.stderr for m in CRASH_MARKERS))

    def signature(self):
        """What a minimized input must keep producing."""
        if self.timed_out:
            return ("timeout",)
        for line in self.stderr.splitlines():
            if "LLVM ERROR" in line:
                return ("llvm-error", re.sub(r"\d+", "N", line.strip()))
        return ("signal", self.rc)

    def describe(self):
        if self.timed_out:
            return "timed out"
        return "exit status %d" % self.rc


def run_struct_opt(struct_opt, flags, text, timeout):
    try:
        proc = subprocess.run([struct_opt, "-", "-o", os.devnull] + flags,
                              input=text.encode(), capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as e:
        err = (e.stderr or b"").decode(errors="replace")
        return Result(None, err, True)
    return Result(proc.returncode, proc.stderr.decode(errors="replace"), False)


def minimize(struct_opt, flags, text, signature, timeout, deadline):
    """Greedy deletion of lines, then tokens, keeping the crash signature."""

    def still(candidate):
        if time.time() > deadline:
            return False
        res = run_struct_opt(struct_opt, flags, candidate, timeout)
        return res.crashed and res.signature() == signature

    def reduce(units, join):
        chunk = max(1, len(units) // 2)
        while chunk >= 1 and time.time() < deadline:
            i, changed = 0, False
            while i < len(units) and time.time() < deadline:
                candidate = units[:i] + units[i + chunk:]
                if candidate and still(join(candidate)):
                    units, changed = candidate, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        return units

    lines = reduce(text.split("\n"), "\n".join)
    text = "\n".join(lines)
    tokens = [t.group(0) for t in TOKEN_RE.finditer(text)]
    # Keep line structure readable: remember which tokens start a line.
    spans = []
    for lineno, line in enumerate(text.split("\n")):
        for t in TOKEN_RE.finditer(line):
            spans.append((lineno, t.group(0)))

    def join_tokens(sp):
        out, last = [], None
        for lineno, tok in sp:
            if last is not None:
                out.append("\n" if lineno != last else " ")
            out.append(tok)
            last = lineno
        return "".join(out) + "\n"

    if spans and still(join_tokens(spans)):
        spans = reduce(spans, join_tokens)
        return join_tokens(spans)
    return text + "\n"


# ----------------------------------------------------------------------------
# Main.
# ----------------------------------------------------------------------------


def find_struct_opt(arg):
    path = arg or os.environ.get("STRUCT_OPT") or shutil.which("struct-opt")
    if not path or not os.access(path, os.X_OK):
        sys.exit("mutate.py: struct-opt not found (--struct-opt, $STRUCT_OPT "
                 "or PATH); got %r" % path)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", required=True,
                    help="directory walked for .mlir seed files")
    ap.add_argument("--struct-opt")
    ap.add_argument("--seed", type=int,
                    default=int(os.environ.get("STRUCTURED_FUZZ_SEED",
                                               "20250611")))
    ap.add_argument("--count", type=int,
                    default=int(os.environ.get("STRUCTURED_FUZZ_COUNT",
                                               "300")))
    ap.add_argument("--batch", type=int, default=25,
                    help="mutants per struct-opt invocation")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds per struct-opt invocation (a hang fails)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--classes", default=",".join(n for n, _ in MUTATIONS),
                    help="comma-separated mutation classes to use")
    ap.add_argument("--minimize-seconds", type=float, default=10.0,
                    help="time budget per crashing input for minimization")
    ap.add_argument("--crash-dir",
                    help="write every crashing input (and its minimized "
                    "form) into this directory")
    ap.add_argument("--fail-on-pass-errors", action="store_true",
                    help="also fail when a pass reports an error on a "
                    "mutant that the verify run accepted (not a crash; "
                    "off by default)")
    ap.add_argument("--list", action="store_true",
                    help="print the mutants and exit")
    args = ap.parse_args(argv)

    start = time.time()
    struct_opt = find_struct_opt(args.struct_opt)
    classes = [c.strip() for c in args.classes.split(",") if c.strip()]
    for c in classes:
        if c not in MUTATION_BY_NAME:
            sys.exit("mutate.py: unknown mutation class '%s'" % c)
    corpus = load_corpus(args.inputs)
    add_generic_forms(corpus, struct_opt, args.timeout)
    if not corpus:
        sys.exit("mutate.py: no .mlir chunks under %s" % args.inputs)
    rng = random.Random(args.seed)
    mutants = make_mutants(rng, corpus, args.count, classes)
    print("seed %d: %d mutants of %d chunks of %d files under %s "
          "(classes: %s)" %
          (args.seed, len(mutants), sum(len(c) for c in corpus.values()),
           len(corpus), args.inputs,
           ", ".join(classes)))
    if args.list:
        for m in mutants:
            print("%s\n// mutant %d [%s] from %s: %s\n%s" %
                  (SEPARATOR, m["id"], "+".join(m["classes"]), m["origin"],
                   m["desc"], m["text"]))
        return 0

    batches = [mutants[i:i + args.batch]
               for i in range(0, len(mutants), args.batch)]
    jobs = [(mode, flags, batch) for batch in batches
            for mode, flags in MODES]

    def batch_text(batch):
        """The batch as one split input, and the first line of each mutant."""
        parts, starts, line = [], [], 1
        for m in batch:
            part = "// mutant %d: %s\n%s" % (m["id"], m["desc"],
                                             m["text"].rstrip("\n"))
            starts.append(line)
            parts.append(part)
            line += part.count("\n") + 2  # the part and a separator line
        return ("\n%s\n" % SEPARATOR).join(parts) + "\n", starts

    def outcomes(stderr, starts):
        """Per mutant: 'ok', 'parse' (rejected by the parser) or 'op' (an
        op's verifier or a pass reported an error), from the first error
        diagnostic in the mutant's line range."""
        result = ["ok"] * len(starts)
        for m in re.finditer(r"^<stdin>:(\d+):\d+: error: (.*)$", stderr,
                             re.M):
            line = int(m.group(1))
            i = max(j for j, st in enumerate(starts) if st <= line) \
                if line >= starts[0] else 0
            if result[i] == "ok":
                result[i] = "op" if re.match(r"'[\w.]+' op ", m.group(2)) \
                    else "parse"
        return result

    def run_job(job):
        mode, flags, batch = job
        text, starts = batch_text(batch)
        res = run_struct_opt(struct_opt, flags, text, args.timeout)
        if not res.crashed:
            return mode, list(zip(batch, outcomes(res.stderr, starts))), []
        # Isolate every offender of the batch.
        found = []
        for m in batch:
            single = run_struct_opt(struct_opt, flags, m["text"],
                                    args.timeout)
            if single.crashed:
                found.append((mode, flags, m, single))
        if not found:
            found.append((mode, flags, {"id": -1, "classes": ["batch"],
                                        "desc": "only the whole batch crashes",
                                        "origin": "-", "text": text}, res))
        return mode, [], found

    crashes = []
    stats = {mode: {"ok": 0, "parse": 0, "op": 0} for mode, _ in MODES}
    outcome = {}  # (mode, mutant id) -> ok/parse/op
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for mode, outs, found in pool.map(run_job, jobs):
            crashes.extend(found)
            for m, o in outs:
                stats[mode][o] += 1
                outcome[(mode, m["id"])] = o
    # Mutants the parser and verifiers accept but a pass then rejects (an
    # error diagnostic, usually the verifier failing on the pass's output):
    # not crashes, but bugs as well, since every pass must handle valid IR.
    pass_errors = [(mode, flags, m) for m in mutants
                   for mode, flags in MODES[1:]
                   if outcome.get((MODES[0][0], m["id"])) == "ok"
                   and outcome.get((mode, m["id"])) not in (None, "ok")]

    elapsed = time.time() - start
    per_class = {}
    for m in mutants:
        for c in set(m["classes"]):
            per_class[c] = per_class.get(c, 0) + 1
    print("%d struct-opt runs (%d batches x %d modes: %s), %.1f s" %
          (len(jobs), len(batches), len(MODES),
           ", ".join(mode for mode, _ in MODES), elapsed))
    print("mutants per class: " + ", ".join(
        "%s=%d" % (c, per_class.get(c, 0)) for c in classes))
    for mode, _ in MODES:
        print("%s: %d accepted, %d rejected by the parser, %d by an op "
              "verifier or pass (outcomes of batches that did not crash)" %
              (mode, stats[mode]["ok"], stats[mode]["parse"],
               stats[mode]["op"]))
    if pass_errors:
        print("%s: %d mutants are valid IR (accepted by the verify run) but "
              "a pass reports an error on them:" %
              ("FAIL" if args.fail_on_pass_errors else "NOTE",
               len(pass_errors)))
        for mode, flags, m in pass_errors:
            res = run_struct_opt(struct_opt, flags, m["text"], args.timeout)
            first = re.search(r"error: .*", res.stderr)
            print("\n--- mutant %d [%s] from %s, mode %s: %s" %
                  (m["id"], "+".join(m["classes"]), m["origin"], mode,
                   first.group(0) if first else res.describe()))
            print("mutation: %s" % m["desc"])
            print(m["text"].rstrip("\n"))
        print()
    if not crashes:
        print("PASS: no crash, hang or LLVM ERROR in %d mutants (seed %d)" %
              (len(mutants), args.seed))
        return 1 if pass_errors and args.fail_on_pass_errors else 0

    if args.crash_dir:
        os.makedirs(args.crash_dir, exist_ok=True)
    print("FAIL: %d crashing (mutant, mode) pairs (seed %d)" %
          (len(crashes), args.seed))
    for n, (mode, flags, m, res) in enumerate(crashes):
        if res.timed_out:
            small = m["text"]  # every reduction step could take --timeout
        else:
            deadline = time.time() + args.minimize_seconds
            small = minimize(struct_opt, flags, m["text"], res.signature(),
                             args.timeout, deadline)
        cmd = "struct-opt %s" % " ".join(flags)
        print("\n=== crash %d: mutant %d [%s] from %s, mode %s: %s" %
              (n + 1, m["id"], "+".join(m["classes"]), m["origin"], mode,
               res.describe()))
        print("mutation: %s" % m["desc"])
        print("command: %s" % cmd)
        lines = [l for l in res.stderr.splitlines() if l.strip()]
        print("stderr (first lines):")
        for l in lines[:8]:
            print("  | " + l)
        print("%s input (%s):" % ("offending" if res.timed_out else
                                  "minimized", cmd))
        print(small.rstrip("\n"))
        if args.crash_dir:
            base = os.path.join(args.crash_dir, "crash-%d-%s" % (n + 1, mode))
            with open(base + ".mlir", "w") as f:
                f.write("// %s\n// mutation: %s\n%s" % (cmd, m["desc"],
                                                         m["text"]))
            with open(base + ".min.mlir", "w") as f:
                f.write("// %s\n%s" % (cmd, small))
    return 1


if __name__ == "__main__":
    sys.exit(main())
