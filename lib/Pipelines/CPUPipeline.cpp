//===- CPUPipeline.cpp - Structured ops to LLVM for the host CPU ----------===//

#include "structured/Pipelines/Pipelines.h"

#include "PipelineSteps.h"

#include "structured/Conversion/Passes.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::structured;

/// Batch tiles and vector kernel shapes from the cost model; each group of
/// fused ops and each other annotated op becomes an scf.forall over batch
/// tiles.
static void addBatchTiling(OpPassManager &pm,
                           const StructuredToCPUPipelineOptions &options) {
  if (!options.vectorize || options.tileModel == "none")
    return;
  StructuredSelectTilesOptions selectOptions;
  selectOptions.model = options.tileModel;
  selectOptions.threads = options.numThreads;
  selectOptions.vectorWidth = options.vectorWidth;
  pm.addPass(createStructuredSelectTiles(selectOptions));
  if (options.fuse)
    pm.addPass(createStructuredFuse());
  pm.addPass(createStructuredTile());
}

void structured::buildStructuredToCPUPipeline(
    OpPassManager &pm, const StructuredToCPUPipelineOptions &options) {
  // 1. Structured level: canonicalization folds permutation pairs, rewrites
  //    rank-1 BTTs and blockdiag/permute chains into Monarch ops.
  //    Permutes then fold into the indexing of their neighbours.
  if (options.canonicalizeStructured)
    addStructuredCanonicalization(pm);

  // 1b. Batch tiles and vector kernel shapes from the cost model. Each
  //     structured op and the elementwise ops and structured ops around it
  //     become one scf.forall over batch tiles (structured-fuse); the other
  //     annotated ops get a loop of their own (TilingInterface).
  addBatchTiling(pm, options);

  // 2. Structured ops to linalg (the reference decomposition), except those
  //    the vector kernels of step 4 handle. Temporaries of memref-form ops are
  //    left to the buffer deallocation of step 3.
  StructuredDecomposeOptions decomposeOptions;
  decomposeOptions.keepVectorizable = options.vectorize;
  decomposeOptions.deallocateTemporaries = false;
  decomposeOptions.runtimeChecks = options.runtimeChecks;
  decomposeOptions.causalConv = options.causalConv;
  pm.addPass(createStructuredDecompose(decomposeOptions));
  // 2b. The decomposition of causal_conv produces monarch ops (real DFT
  //     factors) between elementwise generics; they get batch tiles, kernel
  //     shapes and fusion too.
  addBatchTiling(pm, options);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 3. Bufferize the whole module with C-compatible function boundaries,
  //    and free temporaries (see addBufferization).
  addBufferization(pm);

  // 4. The remaining (buffer-form) blockdiag, monarch, btt and btt_moe ops
  //    to vector kernels: batch in the vector lanes, both stages per group
  //    of rows (btt_moe: per expert, on its rows gathered into the lanes).
  ConvertStructuredToVectorOptions vectorOptions;
  vectorOptions.vectorWidth = options.vectorWidth;
  vectorOptions.lanes = options.lanes;
  vectorOptions.rowBlock = options.rowBlock;
  vectorOptions.runtimeChecks = options.runtimeChecks;
  pm.addPass(createConvertStructuredToVector(vectorOptions));

  // 5. Linalg and multi-dimensional vector transfers to loops; batch tiles
  //    to OpenMP threads.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createForallToParallelLoopPass());
  if (options.threads) {
    pm.addPass(createConvertSCFToOpenMPPass());
    // Inlines the memref.alloca_scope the conversion wraps around each loop
    // body (nothing in it allocates on the stack), which would otherwise hold
    // several blocks once control flow is lowered.
    pm.addPass(createCanonicalizerPass());
  }
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createCanonicalizerPass());

  // 6. Everything to the LLVM dialect.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  // Vector lowering leaves ub.poison as the start of some vectors it builds
  // element by element (8-wide kernels).
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertComplexToStandardPass());
  pm.addPass(createConvertComplexToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  if (options.emitCInterface)
    pm.addPass(LLVM::createLLVMRequestCWrappersPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  if (options.threads)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}
