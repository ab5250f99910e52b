//===- Passes.h - Structured dialect passes ---------------------*- C++ -*-===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_H
#define STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_H

#include "structured/Analysis/CostModel/CostModel.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace structured {

#define GEN_PASS_DECL
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"

/// Options of the decomposition patterns (see `structured-decompose`).
struct DecompositionOptions {
  /// Free the temporaries of memref-form ops with memref.dealloc.
  bool deallocateTemporaries = true;
  /// Check at run time that btt_moe expert indices are in range.
  bool runtimeChecks = true;
  /// Those checks as parallel loops (GPU kernels in the NVVM pipeline)
  /// instead of sequential ones.
  bool parallelChecks = false;
  /// Lower causal_conv to the O(L²) direct sum instead of polynomial
  /// multiplication through Monarch-factored DFTs.
  bool directCausalConv = false;
  /// Leave the ops that `convert-structured-to-vector` lowers (see
  /// hasBatchVectorLowering) for it.
  bool keepBatchVectorizable = false;
  /// Leave the ops that `convert-structured-to-gpu` lowers (see
  /// hasGpuKernelLowering) for it.
  bool keepGpuKernels = false;
  /// Keep the DFT weights of causal_conv in module globals filled on the
  /// first call; otherwise compute them on every call.
  bool cacheDftWeights = true;
};

/// Adds the patterns of `structured-decompose`: each structured op becomes
/// linalg ops on reshaped views of its operands.
void populateStructuredDecompositionPatterns(
    RewritePatternSet &patterns, const DecompositionOptions &options = {});

/// Adds the patterns of `structured-fold-permutations`: tensor-form permutes
/// are folded into the indexing of neighbouring einsum_linear and elementwise
/// linalg ops, composed, or absorbed into Monarch products.
void populateFoldPermutationPatterns(RewritePatternSet &patterns);

/// Annotates `op` with the batch tile (`structured.tile_sizes`) and vector
/// kernel shape (`structured.kernel`) that `costModel` finds cheapest on
/// `target`. Fails, leaving `op` alone, when `op` is not a kernel the model
/// costs (see getKernelProblem).
LogicalResult annotateTileSizes(Operation *op, const CostModel &costModel,
                                const TargetDescription &target);

/// Tiles `root` (a structured op or elementwise linalg op on tensors) along
/// its batch dimensions into one scf.forall and fuses into it the structured
/// and elementwise producers whose users are all in that group (see
/// `structured-fuse`). `batchTile` gives the tile of each batch dimension;
/// when empty it is taken from the group's `structured.tile_sizes`. Fails
/// without changing the IR when `root` is not fusable or has no tile.
FailureOr<scf::ForallOp> fuseIntoBatchTiles(RewriterBase &rewriter,
                                            Operation *root,
                                            ArrayRef<int64_t> batchTile = {});

#define GEN_PASS_REGISTRATION
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_H
