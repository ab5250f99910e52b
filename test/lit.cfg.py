# -*- Python -*-
# lit configuration of the structured regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "STRUCTURED"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".py", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py", "lit.local.cfg", "Inputs", "lib"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.structured_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.shlibext))

llvm_config.use_default_substitutions()

# The CPU pipeline runs batch tiles on OpenMP threads: programs need libomp.
runner_libs = [os.path.join(config.mlir_lib_dir, lib + config.shlibext)
               for lib in ("libmlir_c_runner_utils", "libmlir_runner_utils",
                           "libomp")]
config.substitutions.append(("%mlir_runner_utils", ",".join(runner_libs)))
config.substitutions.append(
    ("%mlir_c_runner_utils", runner_libs[0]))
config.substitutions.append(
    ("%structured_plugin",
     os.path.join(config.structured_lib_dir, "StructuredPlugin" + config.shlibext)))
config.substitutions.append(("%structured_src_root", config.structured_src_root))
config.substitutions.append(("%structured_obj_root", config.structured_obj_root))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(
    ("%clang", os.path.join(config.llvm_tools_dir, "clang")))
config.substitutions.append(("%python", config.host_python))

# Integration tests share the harness in test/Integration/lib.
config.environment["PYTHONPATH"] = os.path.join(
    config.structured_src_root, "test", "Integration", "lib")

# CUDA_HOME / CUDA_ROOT / CUDA_PATH: where gpu-module-to-binary finds ptxas and
# libdevice (the math functions of GPU kernels).
llvm_config.with_system_environment(
    ["HOME", "TMPDIR", "CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"])
# RUN lines may start with `not`, `count` or `split-file`: find them on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.structured_tools_dir, config.llvm_tools_dir]
tools = [
    "struct-opt",
    "struct-aot",
    "mlir-opt",
    "mlir-runner",
    "mlir-translate",
    ToolSubst("%mlir_runner", command=os.path.join(config.llvm_tools_dir,
                                                    "mlir-runner")),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# GPU tests run only where a CUDA device answers.
if os.path.exists("/dev/nvidia0") or os.environ.get("STRUCTURED_CUDA_DEVICE"):
    config.available_features.add("cuda-device")

# libStructuredCudaRuntime is built where the CUDA toolkit is present.
cuda_runtime = os.path.join(config.structured_lib_dir,
                            "libStructuredCudaRuntime" + config.shlibext)
if os.path.exists(cuda_runtime):
    config.available_features.add("cuda-runtime")
    config.substitutions.append(("%cuda_runtime", cuda_runtime))
