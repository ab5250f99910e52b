# RUN: %python %s
"""The struct-opt command line, driven through subprocess: --version, the
exit status and stderr of an invalid input, and a round trip of a valid
module (custom and generic assembly). struct-opt is $STRUCT_OPT (set by
lit.local.cfg) or else the first struct-opt on PATH."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TIMEOUT = 60


def struct_opt():
    path = os.environ.get("STRUCT_OPT") or shutil.which("struct-opt")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("struct-opt not found (set STRUCT_OPT or PATH); "
                           "got %r" % path)
    return path


def run(args, stdin=None):
    return subprocess.run([struct_opt()] + args, input=stdin,
                          capture_output=True, text=True, timeout=TIMEOUT)


CRASH_MARKERS = ("PLEASE submit a bug report", "Stack dump", "LLVM ERROR")

VALID = """\
func.func @blockdiag(%x: tensor<8x6xf32>, %w: tensor<2x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<2x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}
func.func @permute(%x: tensor<?x6xbf16>, %init: tensor<?x6xbf16>) -> tensor<?x6xbf16> {
  %y = structured.permute ins(%x : tensor<?x6xbf16>) outs(%init : tensor<?x6xbf16>) {cols = 3 : i64, rows = 2 : i64} -> tensor<?x6xbf16>
  return %y : tensor<?x6xbf16>
}
func.func @monarch(%x: tensor<2x3x8xf32>, %w1: tensor<2x3x4xf32>, %w2: tensor<3x5x2xf32>, %init: tensor<2x3x15xf32>) -> tensor<2x3x15xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2x3x8xf32>, tensor<2x3x4xf32>, tensor<3x5x2xf32>) outs(%init : tensor<2x3x15xf32>) -> tensor<2x3x15xf32>
  return %y : tensor<2x3x15xf32>
}
func.func @btt(%x: memref<16x1024xf16>, %w1: memref<32x4x32x32xf16>, %w2: memref<32x32x32x4xf16>, %init: memref<16x1024xf16>) {
  structured.btt ins(%x, %w1, %w2 : memref<16x1024xf16>, memref<32x4x32x32xf16>, memref<32x32x32x4xf16>) outs(%init : memref<16x1024xf16>)
  return
}
"""

# 'w' has 3 blocks of 3 columns (9 features) but 'x' has 6.
INVALID = """\
func.func @f(%x: tensor<8x6xf32>, %w: tensor<3x2x3xf32>, %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %y = structured.blockdiag ins(%x, %w : tensor<8x6xf32>, tensor<3x2x3xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}
"""


class StructOptCliTest(unittest.TestCase):

    def assertNoCrash(self, proc):
        self.assertGreaterEqual(proc.returncode, 0, proc.stderr)
        self.assertLess(proc.returncode, 128, proc.stderr)
        for marker in CRASH_MARKERS:
            self.assertNotIn(marker, proc.stderr)

    def test_version(self):
        proc = run(["--version"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("structured version", proc.stdout)

    def test_help_lists_the_dialect_and_passes(self):
        proc = run(["--help"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("structured", proc.stdout)
        for flag in ("--structured-decompose", "--structured-to-cpu-pipeline"):
            self.assertIn(flag, proc.stdout)

    def test_invalid_op_exits_1_with_diagnostic(self):
        proc = run(["-"], stdin=INVALID)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertNoCrash(proc)
        self.assertIn("<stdin>:2:8: error: 'structured.blockdiag' op 'w' has 3 "
                      "blocks of 3 columns but 'x' has 6 features (expected "
                      "k·p = n)", proc.stderr)
        self.assertEqual(proc.stdout, "", "no module printed on failure")

    def test_invalid_op_from_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "invalid.mlir")
            with open(path, "w") as f:
                f.write(INVALID)
            proc = run([path])
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(path + ":2:8: error:", proc.stderr)
        self.assertEqual(proc.stdout, "")

    def test_unknown_op_exits_1(self):
        proc = run(["-"], stdin="func.func @f() {\n  structured.nope\n}\n")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertNoCrash(proc)
        self.assertIn("error: custom op 'structured.nope' is unknown",
                      proc.stderr)

    def test_missing_input_file(self):
        proc = run(["/nonexistent/input.mlir"])
        self.assertNotEqual(proc.returncode, 0)
        self.assertNoCrash(proc)
        self.assertIn("/nonexistent/input.mlir", proc.stderr)

    def test_valid_module_round_trips(self):
        first = run(["-"], stdin=VALID)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(first.stderr, "")
        for op in ("structured.blockdiag", "structured.permute",
                   "structured.monarch", "structured.btt"):
            self.assertIn(op + " ins(", first.stdout)
        # Printing is a fixed point of parse+print.
        second = run(["-"], stdin=first.stdout)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertEqual(second.stdout, first.stdout)
        # The generic form parses back to the same module.
        generic = run(["-", "--mlir-print-op-generic"], stdin=VALID)
        self.assertEqual(generic.returncode, 0, generic.stderr)
        self.assertIn('"structured.monarch"', generic.stdout)
        back = run(["-"], stdin=generic.stdout)
        self.assertEqual(back.returncode, 0, back.stderr)
        self.assertEqual(back.stdout, first.stdout)

    def test_valid_module_through_verify_each_and_output_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.mlir")
            proc = run(["-", "--verify-each", "-o", out], stdin=VALID)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(out) as f:
                text = f.read()
        self.assertEqual(text, run(["-"], stdin=VALID).stdout)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
