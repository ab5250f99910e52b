#!/usr/bin/python3
"""struct-aot: compile a module with structured ops ahead of time into a
shared library or object file with C-interface entry points.

    struct-aot layer.mlir -o liblayer.so [--pipeline-options "lanes=32"]
               [--threads] [--march native] [--emit-llvm]
    struct-aot --gpu layer.mlir -o liblayer.so [--pipeline-options "chip=sm_90"]

Every public function @f of the module gets a C entry point

    void _mlir_ciface_f(Result *out, MemRef *arg0, MemRef *arg1, ...)

(a function returning a tensor/memref writes its result descriptor through
`out`; one returning nothing has no `out`), where a memref descriptor of rank
r is `{T *allocated, T *aligned, int64_t offset, int64_t sizes[r],
int64_t strides[r]}`. Results are allocated with malloc; the caller frees
`allocated`. See docs/aot.md for a C example.

Steps: struct-opt --structured-to-cpu-pipeline=emit-c-interface=true
→ mlir-translate --mlir-to-llvmir → clang-22 -O3 -march=<march>; with
--threads the module's scf.forall loops run on OpenMP (libomp of LLVM 22),
and the library links it.

With --gpu the module goes through --structured-to-nvvm-pipeline instead:
its functions take device memory, the kernels are embedded in the library
(a fatbin made with the CUDA toolkit's ptxas), and the library links
libStructuredCudaRuntime.so, found next to it at run time ($ORIGIN), so the
two travel together to a GPU machine; nothing of LLVM is needed there.
"""

import argparse
import os
import shlex
import subprocess
import sys
import tempfile

LLVM_BIN = "/usr/lib/llvm-22/bin"
LLVM_LIB = "/usr/lib/llvm-22/lib"


def run(cmd, env=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode:
        sys.stderr.write("struct-aot: command failed (exit %d): %s\n%s" %
                         (proc.returncode, " ".join(map(shlex.quote, cmd)),
                          proc.stderr))
        sys.exit(1)
    return proc


def main():
    parser = argparse.ArgumentParser(prog="struct-aot",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("input", help="input .mlir file")
    parser.add_argument("-o", "--output", required=True,
                        help="output: .so (shared library), .o (object) or, "
                        "with --emit-llvm, .ll")
    parser.add_argument("--pipeline-options", action="append", default=[],
                        help="extra options of the pipeline, space-separated "
                        "key=value (may be repeated)")
    parser.add_argument("--threads", action="store_true",
                        help="run scf.forall loops on OpenMP threads")
    parser.add_argument("--march", default="native",
                        help="target CPU for clang's -march (default native)")
    parser.add_argument("--gpu", action="store_true",
                        help="compile for NVIDIA GPUs (structured-to-nvvm-"
                        "pipeline) and link libStructuredCudaRuntime")
    parser.add_argument("--cuda-runtime", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "lib",
        "libStructuredCudaRuntime.so"),
        help="the runtime library to link with --gpu")
    parser.add_argument("--emit-llvm", action="store_true",
                        help="stop after translation to LLVM IR")
    parser.add_argument("--struct-opt", default=os.path.join(
        os.path.dirname(os.path.realpath(__file__)), "struct-opt"))
    args = parser.parse_args()

    options = ["emit-c-interface=true"]
    if args.gpu:
        pipeline = "structured-to-nvvm-pipeline"
        if not os.path.exists(args.cuda_runtime):
            parser.error("--gpu needs the CUDA runtime library, not found at "
                         + args.cuda_runtime + " (build with the CUDA "
                         "toolkit present)")
    else:
        pipeline = "structured-to-cpu-pipeline"
        options.append("threads=" + ("true" if args.threads else "false"))
    for extra in args.pipeline_options:
        options += extra.split()
    env = dict(os.environ)
    if args.gpu and os.path.isdir("/usr/local/cuda/bin"):
        env["PATH"] = "/usr/local/cuda/bin:" + env.get("PATH", "")
        # libdevice (math functions in kernels) is found through CUDA_HOME.
        env.setdefault("CUDA_HOME", "/usr/local/cuda")
    with tempfile.TemporaryDirectory(prefix="struct-aot-") as work:
        lowered = os.path.join(work, "lowered.mlir")
        run([args.struct_opt, args.input,
             "--" + pipeline + "=" + " ".join(options), "-o", lowered],
            env=env)
        llvm_ir = args.output if args.emit_llvm else os.path.join(
            work, "module.ll")
        run([os.path.join(LLVM_BIN, "mlir-translate"), "--mlir-to-llvmir",
             lowered, "-o", llvm_ir])
        if args.emit_llvm:
            return 0
        clang = [os.path.join(LLVM_BIN, "clang"), "-O3",
                 "-march=" + args.march, "-fPIC", "-Wno-override-module"]
        if args.output.endswith(".o"):
            run(clang + ["-c", llvm_ir, "-o", args.output])
        else:
            libs = []
            if args.threads:
                libs = ["-L" + LLVM_LIB, "-Wl,-rpath," + LLVM_LIB, "-lomp"]
            if args.gpu:
                libs = [args.cuda_runtime, "-Wl,-rpath,$ORIGIN"]
            run(clang + ["-shared", llvm_ir, "-o", args.output] + libs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
