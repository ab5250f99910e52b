"""Helpers shared by the demo and the benchmarks: MLIR literals for numpy
arrays, and compiling a module with struct-opt and running it under
upstream mlir-runner."""

import os
import re
import subprocess

import numpy as np

LLVM_BIN = "/usr/lib/llvm-22/bin"
LLVM_LIB = "/usr/lib/llvm-22/lib"
RUNNER_LIBS = ",".join(
    os.path.join(LLVM_LIB, lib)
    for lib in ("libmlir_c_runner_utils.so", "libmlir_runner_utils.so",
                "libomp.so"))

MLIR_TYPES = {np.dtype("float32"): ("f32", "<f4"),
              np.dtype("int32"): ("i32", "<i4"),
              np.dtype("int64"): ("i64", "<i8")}


def tensor_type(array):
    element = MLIR_TYPES[array.dtype][0]
    return "tensor<%sx%s>" % ("x".join(str(d) for d in array.shape), element)


def dense(array):
    """A dense elements attribute in MLIR's hex form (fast to parse)."""
    element, layout = MLIR_TYPES[array.dtype]
    data = array.astype(layout).tobytes().hex().upper()
    return f'dense<"0x{data}"> : {tensor_type(array)}'


def timing_main(arguments, result_type, repetitions, print_result=True):
    """@main: builds `arguments` (name -> array) as constants, times
    `repetitions` calls of @layer(arguments..., init), printing each time in
    seconds, then prints the result of one more call."""
    lines = ["func.func private @rtclock() -> f64",
             "func.func private @printF64(f64)",
             "func.func private @printNewline()",
             "func.func private @printMemrefF32(tensor<*xf32>)",
             "func.func @main() {"]
    names, types = [], []
    for name, array in arguments.items():
        lines.append(f"  %{name} = arith.constant {dense(array)}")
        names.append("%" + name)
        types.append(tensor_type(array))
    lines.append(f"  %init = tensor.empty() : {result_type}")
    names.append("%init")
    types.append(result_type)
    call = (f"func.call @layer({', '.join(names)}) : "
            f"({', '.join(types)}) -> {result_type}")
    lines += ["  %c0 = arith.constant 0 : index",
              "  %c1 = arith.constant 1 : index",
              f"  %reps = arith.constant {repetitions} : index",
              "  scf.for %i = %c0 to %reps step %c1 {",
              "    %t0 = func.call @rtclock() : () -> f64",
              f"    %y = {call}",
              "    %t1 = func.call @rtclock() : () -> f64",
              "    %dt = arith.subf %t1, %t0 : f64",
              "    func.call @printF64(%dt) : (f64) -> ()",
              "    func.call @printNewline() : () -> ()",
              "  }"]
    if print_result:
        lines += [f"  %last = {call}",
                  f"  %u = tensor.cast %last : {result_type} to tensor<*xf32>",
                  "  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()"]
    lines += ["  return", "}"]
    return "\n".join(lines) + "\n"


def compile_and_run(struct_opt, source, pipeline_args, lowered):
    """Lowers `source` with struct-opt into `lowered`, runs it, and returns
    (times in seconds, printed result values as a flat array)."""
    subprocess.run([struct_opt, source, *pipeline_args, "-o", lowered],
                   check=True)
    out = subprocess.run(
        [os.path.join(LLVM_BIN, "mlir-runner"), lowered, "-e", "main",
         "-entry-point-result=void", "-O3", f"-shared-libs={RUNNER_LIBS}"],
        check=True, capture_output=True, text=True).stdout
    head, _, data = out.partition("Unranked Memref")
    times = [float(t) for t in head.split()]
    values = re.findall(r"-?[\d.]+(?:e[-+]?\d+)?|nan|inf",
                        data.partition("data =")[2])
    return np.array(times), np.array(values, dtype=np.float64)
