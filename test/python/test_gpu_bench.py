# RUN: %python %s
"""bench/gpu_bench.py without a GPU: the benchmark cases (DESIGN.md §5
shapes, each layer's MLIR), the table that `report` writes from a results
file, and the per-kernel lines that `profile` prints from Nsight Compute's
CSV (a stand-in ncu script)."""

import contextlib
import importlib.util
import io
import json
import os
import re
import stat
import sys
import tempfile
import types
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def load_gpu_bench():
    spec = importlib.util.spec_from_file_location(
        "gpu_bench", os.path.join(ROOT, "bench", "gpu_bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gpu_bench = load_gpu_bench()


class CasesTest(unittest.TestCase):
    def test_design_shapes_in_both_types(self):
        names = [case["name"] for case in gpu_bench.cases()]
        self.assertEqual(len(names), len(set(names)))
        for element in ("bf16", "f32"):
            for shape in ("n=1024,b=32,batch=65536", "n=4096,b=64,batch=16384",
                          "n=16384,b=128,batch=4096"):
                self.assertIn(f"monarch {shape} {element}", names)
            for rank in (1, 4):
                self.assertIn(
                    f"btt rank={rank} n=4096,b=64,batch=16384 {element}", names)
        self.assertIn("causal_conv B=8,d=768,L=4096 f32", names)
        self.assertIn("causal_conv B=8,d=768,L=4096 bf16", names)

    def test_source_is_one_op_on_memrefs(self):
        case = next(c for c in gpu_bench.cases()
                    if c["name"] == "monarch n=1024,b=32,batch=65536 bf16")
        text = gpu_bench.source(case)
        self.assertIn("func.func @layer(%a0: memref<65536x1024xbf16>", text)
        self.assertIn("structured.monarch ins(%a0, %a1, %a2 : "
                      "memref<65536x1024xbf16>, memref<32x32x32xbf16>, "
                      "memref<32x32x32xbf16>) outs(%a3 : "
                      "memref<65536x1024xbf16>)", text)


    def test_chunked_case_is_one_op_per_slice(self):
        case = next(c for c in gpu_bench.cases() if c.get("chunks"))
        self.assertEqual(case["name"], "monarch n=4096,b=64,batch=16384 bf16, "
                         "8 ops of 2048 rows")
        # x_0..x_7, w1, w2, y_0..y_7; the first op's operands are checked.
        self.assertEqual(gpu_bench.operands(case)[0], [0, 8, 9, 10])
        self.assertEqual(gpu_bench.operands(case)[7], [7, 8, 9, 17])
        text = gpu_bench.source(case)
        self.assertEqual(text.count("structured.monarch"), 8)
        self.assertIn("structured.monarch ins(%a7, %a8, %a9 : "
                      "memref<2048x4096xbf16>, memref<64x64x64xbf16>, "
                      "memref<64x64x64xbf16>) outs(%a17 : "
                      "memref<2048x4096xbf16>)", text)


class ReportTest(unittest.TestCase):
    def test_table_rows_and_speedups(self):
        case = dict(next(c for c in gpu_bench.cases()
                         if c["name"] == "monarch n=4096,b=64,batch=16384 f32"),
                    ms=0.5, correct=True, compile_s=0.4)
        peers = [dict(op="monarch_eager", shape="n=4096,b=64,batch=16384",
                      dtype="float32", ms=1.5),
                 dict(op="monarch_compile", shape="n=4096,b=64,batch=16384",
                      dtype="float32", ms=0.75),
                 dict(op="copy", shape="1GiB", dtype="float32", GBps=4000.0),
                 dict(op="gemm", shape="8192^3", dtype="bfloat16",
                      TFLOPs=700.0),
                 dict(op="gemm", shape="8192^3", dtype="float32",
                      TFLOPs=50.0)]
        plots = []
        gpu_bench.write_plot = lambda data, peers, path: plots.append(path)
        with tempfile.TemporaryDirectory() as tmp:
            results = os.path.join(tmp, "results.json")
            with open(results, "w") as f:
                json.dump(dict(results=[case], peers=peers,
                               date="2026-12-02"), f)
            output = os.path.join(tmp, "table.md")
            gpu_bench.report(types.SimpleNamespace(results=results,
                                                   output=output))
            with open(output) as f:
                table = f.read()
        self.assertEqual(plots, [os.path.join(tmp, "table.png")])
        self.assertIn("copy **4000.0 GB/s**", table)
        rows = [line for line in table.splitlines()
                if line.startswith("| monarch n=4096")]
        self.assertEqual(len(rows), 1)
        self.assertIn("| 0.500 |", rows[0])
        # flops / ms against the f32 GEMM of the same run.
        tflops = case["flops"] / 0.5 / 1e9
        self.assertIn(f"| {100 * tflops / 50.0:.1f}% |", rows[0])
        self.assertIn("| monarch_eager (float32) | 1.500 | 3.000× |", rows[0])
        self.assertIn("| yes |", rows[0])
        self.assertIn("| monarch_compile (float32) | 0.750 | 1.500× |", table)


FAKE_NCU = """#!/bin/sh
echo "==PROF== Connected to process"
echo '"ID","Kernel Name","gpu__time_duration.sum","launch__registers_per_thread","dram__bytes_read.sum"'
echo '"","","usecond","register/thread","byte"'
echo '"0","layer_monarch_stage1","900","128","1"'
echo '"1","layer_monarch_stage2","800","128","2"'
echo '"2","layer_monarch_stage1","170","128","3"'
echo '"3","layer_monarch_stage2","290","126","4"'
"""


class ProfileTest(unittest.TestCase):
    def test_second_call_kernels(self):
        with tempfile.TemporaryDirectory() as tmp:
            ncu = os.path.join(tmp, "ncu")
            with open(ncu, "w") as f:
                f.write(FAKE_NCU)
            os.chmod(ncu, os.stat(ncu).st_mode | stat.S_IEXEC)
            output = io.StringIO()
            with contextlib.redirect_stdout(output):
                gpu_bench.profile(types.SimpleNamespace(
                    dir=tmp, only=["n=4096"], ncu=ncu,
                    metrics=["dram__bytes_read.sum"], stalls=False, sass=0))
        printed = output.getvalue().splitlines()
        self.assertEqual(printed[0], "== n=4096")
        self.assertEqual(len(printed), 3)
        self.assertTrue(re.match(r"layer_monarch_stage1 us=170 .*registers=128",
                                 printed[1]))
        self.assertTrue(re.match(r"layer_monarch_stage2 us=290 .*registers=126",
                                 printed[2]))
        self.assertIn("dram%=?", printed[1])
        # --metrics: printed after the standard ones, with their full name.
        self.assertTrue(printed[2].endswith(" dram__bytes_read.sum=4"))


class SassHotSpotsTest(unittest.TestCase):
    # The shape of Nsight Compute's `--page source --print-source sass
    # --csv` output (2025 versions): the kernel's name, a header, a row per
    # instruction.
    SOURCE_PAGE = "\n".join([
        '==PROF== Connected to process 1',
        '"Kernel Name","layer_monarch",',
        '"Address","Source","Warp Stall Sampling (All Samples)",'
        '"stall_barrier","stall_barrier (Not Issued)","stall_long_sb",'
        '"stall_membar"',
        '"0x10","  HMMA.16816.F32.BF16 R4, R8, R12, R4","120","0","0","20","0"',
        '"0x20","  MEMBAR.ALL.GPU","7,325","0","0","3,618","3,700"',
        '"0x30","  UCGABAR_WAIT","4510","4492","4286","0","0"',
    ])

    def test_sass_hot_spots_sorts_by_samples(self):
        spots = gpu_bench.sass_hot_spots(self.SOURCE_PAGE, 2)
        self.assertEqual(spots, [
            (7325, "0x20", "MEMBAR.ALL.GPU",
             [(3700, "stall_membar"), (3618, "stall_long_sb")]),
            (4510, "0x30", "UCGABAR_WAIT", [(4492, "stall_barrier")]),
        ])

    def test_sass_hot_spots_without_a_source_page(self):
        self.assertEqual(gpu_bench.sass_hot_spots("==PROF== error", 5), [])

    def test_stall_metrics_are_a_regex(self):
        self.assertTrue(gpu_bench.NCU_STALLS.startswith("regex:"))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
