//===- NVVMPipeline.cpp - Structured ops to NVIDIA GPU kernels ------------===//
//
// blockdiag, monarch and btt (also those that long causal_convs decompose
// into) become block-matmul kernels, on tensor cores where the shapes allow,
// and causal_conv up to L = 16384 FFT kernels (convert-structured-to-gpu).
// Every other op goes through its linalg decomposition, whose loops become
// GPU blocks and threads: correct for every op, but not fast.
//
//===----------------------------------------------------------------------===//

#include "structured/Pipelines/Pipelines.h"

#include "PipelineSteps.h"

#include "structured/Conversion/Passes.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::structured;

void structured::buildStructuredToNVVMPipeline(
    OpPassManager &pm, const StructuredToNVVMPipelineOptions &options) {
  // 1. Structured level: canonicalization and permutation folding.
  if (options.canonicalizeStructured)
    addStructuredCanonicalization(pm);

  // 2. Every structured op without a GPU kernel to linalg (the reference
  //    decomposition). Temporaries are left to the buffer deallocation of
  //    step 3.
  StructuredDecomposeOptions decomposeOptions;
  decomposeOptions.keepGpuKernels = options.kernels;
  decomposeOptions.deallocateTemporaries = false;
  decomposeOptions.runtimeChecks = options.runtimeChecks;
  // Host code cannot read device memory: the checks of the reference
  // lowering run as kernels (device-side assertions).
  decomposeOptions.parallelChecks = true;
  decomposeOptions.causalConv = options.causalConv;
  // Kernels cannot read host globals: the DFT weights are computed (on the
  // GPU) on every call.
  decomposeOptions.cacheDftWeights = false;
  pm.addPass(createStructuredDecompose(decomposeOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 3. Bufferize with identity layouts at function boundaries (see
  //    addBufferization); the caller's buffers are device memory,
  //    temporaries are allocated with memref.alloc and become gpu.alloc in
  //    step 3b.
  addBufferization(pm);

  // 3a. The kept ops become their kernels: one gpu.launch per stage.
  ConvertStructuredToGPUOptions kernelOptions;
  kernelOptions.smCount = options.smCount;
  kernelOptions.roundIntermediate = options.roundIntermediate;
  kernelOptions.transposeIntermediate = options.transposeIntermediate;
  kernelOptions.directInputs = options.directInputs;
  kernelOptions.directOutputs = options.directOutputs;
  kernelOptions.stridedWarps = options.stridedWarps;
  kernelOptions.asyncStridedInputs = options.asyncStridedInputs;
  kernelOptions.ctasPerSM = options.ctasPerSM;
  kernelOptions.fftCtasPerSM = options.fftCtasPerSM;
  kernelOptions.fuseStages = options.fuseStages;
  kernelOptions.clusterStages = options.clusterStages;
  kernelOptions.f32TensorCores = options.f32TensorCores;
  kernelOptions.runtimeChecks = options.runtimeChecks;
  pm.addPass(createConvertStructuredToGPU(kernelOptions));

  // 3b. Host allocations of temporaries become device allocations, copies
  //     device copies or kernels.
  pm.addPass(createStructuredGpuAllocations());

  // 4. Linalg to parallel loops (reductions stay sequential inside), each
  //    run as a GPU launch of one thread per iteration, innermost dimension
  //    fastest (coalesced).
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  StructuredParallelLoopsToGpuOptions launchOptions;
  launchOptions.blockSize = options.blockSize;
  pm.addPass(createStructuredParallelLoopsToGpu(launchOptions));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 5. The launches are outlined into kernels, and the GPU ops of each
  //    function are chained on one stream with async tokens (the runtime
  //    calls of gpu-to-llvm are asynchronous), with a wait before returning.
  pm.addPass(createGpuKernelOutliningPass());
  // Ops of one shape outline to identical modules: compile each once.
  pm.addPass(createStructuredDeduplicateGpuModules());
  // Globals that only kernels read (their copies are in the kernels'
  // modules) leave the host module.
  pm.addPass(createSymbolDCEPass());
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());

  if (options.emitCInterface)
    pm.addPass(LLVM::createLLVMRequestCWrappersPass());

  // 6. Upstream's GPU to NVVM pipeline: kernels to NVVM, serialised by
  //    gpu-module-to-binary (ptxas for cubin/fatbin), host code to LLVM.
  gpu::GPUToNVVMPipelineOptions nvvmOptions;
  nvvmOptions.cubinChip = options.chip;
  nvvmOptions.cubinFeatures = options.features;
  nvvmOptions.cubinFormat = options.format;
  nvvmOptions.optLevel = options.optLevel;
  nvvmOptions.cmdOptions = options.ptxasOptions;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvmOptions);
}
