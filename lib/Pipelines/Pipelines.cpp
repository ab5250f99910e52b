//===- Pipelines.cpp - Registration of the pipelines ----------------------===//

#include "structured/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::structured;

void structured::registerStructuredPipelines() {
  PassPipelineRegistration<StructuredToCPUPipelineOptions>(
      "structured-to-cpu-pipeline",
      "Lower a module with structured ops to the LLVM dialect for the host "
      "CPU (runs under mlir-runner)",
      buildStructuredToCPUPipeline);
  PassPipelineRegistration<StructuredToNVVMPipelineOptions>(
      "structured-to-nvvm-pipeline",
      "Lower a module with structured ops on device memory to NVIDIA GPU "
      "kernels (an embedded binary) and host code in the LLVM dialect",
      buildStructuredToNVVMPipeline);
}
