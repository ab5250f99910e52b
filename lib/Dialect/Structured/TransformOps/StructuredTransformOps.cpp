//===- StructuredTransformOps.cpp - Transform ops for structured ----------===//

#include "structured/Dialect/Structured/TransformOps/StructuredTransformOps.h"

#include "structured/Analysis/CostModel/CostModel.h"
#include "structured/Conversion/StructuredToVector/StructuredToVector.h"
#include "structured/Dialect/Structured/IR/StructuredDialect.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::structured;

//===----------------------------------------------------------------------===//
// Pattern sets
//===----------------------------------------------------------------------===//

void transform::ApplyFoldPermutationPatternsOp::populatePatterns(
    RewritePatternSet &patterns) {
  populateFoldPermutationPatterns(patterns);
}

void transform::ApplyDecompositionPatternsOp::populatePatterns(
    RewritePatternSet &patterns) {
  DecompositionOptions options;
  options.keepBatchVectorizable = getKeepVectorizable();
  populateStructuredDecompositionPatterns(patterns, options);
}

static BatchVectorKernelOptions
getKernelOptions(transform::ApplyToVectorPatternsOp op) {
  BatchVectorKernelOptions options;
  options.vectorWidth = op.getVectorWidth();
  options.lanes = op.getLanes();
  options.rowBlock = op.getRowBlock();
  return options;
}

LogicalResult transform::ApplyToVectorPatternsOp::verify() {
  BatchVectorKernelOptions options = getKernelOptions(*this);
  if (!options.isValid())
    return emitOpError() << "needs a positive vector_width, lanes a multiple "
                            "of it and a positive row_block; got lanes = "
                         << options.lanes
                         << ", row_block = " << options.rowBlock
                         << ", vector_width = " << options.vectorWidth;
  return success();
}

void transform::ApplyToVectorPatternsOp::populatePatterns(
    RewritePatternSet &patterns) {
  populateStructuredToVectorPatterns(patterns, getKernelOptions(*this));
}

//===----------------------------------------------------------------------===//
// SelectTileSizesOp
//===----------------------------------------------------------------------===//

DiagnosedSilenceableFailure
transform::SelectTileSizesOp::apply(transform::TransformRewriter &rewriter,
                                    transform::TransformResults &results,
                                    transform::TransformState &state) {
  TargetDescription target = TargetDescription::host();
  if (getThreads() > 0)
    target.threads = getThreads();
  if (getVectorWidth() > 0)
    target.vectorWidth = getVectorWidth();
  if (getVectorRegisters() > 0)
    target.vectorRegisters = getVectorRegisters();
  AnalyticalCostModel costModel(target);
  for (Operation *op : state.getPayloadOps(getTarget())) {
    if (failed(annotateTileSizes(op, costModel, target))) {
      DiagnosedSilenceableFailure diag =
          emitSilenceableError() << "the cost model does not cost this op";
      diag.attachNote(op->getLoc()) << "target op";
      return diag;
    }
  }
  return DiagnosedSilenceableFailure::success();
}

void transform::SelectTileSizesOp::getEffects(
    SmallVectorImpl<MemoryEffects::EffectInstance> &effects) {
  onlyReadsHandle(getTargetMutable(), effects);
  modifiesPayload(effects);
}

//===----------------------------------------------------------------------===//
// FuseIntoBatchTilesOp
//===----------------------------------------------------------------------===//

DiagnosedSilenceableFailure transform::FuseIntoBatchTilesOp::applyToOne(
    transform::TransformRewriter &rewriter, Operation *target,
    transform::ApplyToEachResultList &results,
    transform::TransformState &state) {
  FailureOr<scf::ForallOp> loop =
      fuseIntoBatchTiles(rewriter, target, getBatchTile());
  if (failed(loop)) {
    DiagnosedSilenceableFailure diag =
        emitSilenceableError()
        << "could not tile and fuse along the batch (not a structured or "
           "elementwise op on tensors, or no batch tile)";
    diag.attachNote(target->getLoc()) << "root op";
    return diag;
  }
  results.push_back(*loop);
  return DiagnosedSilenceableFailure::success();
}

//===----------------------------------------------------------------------===//
// Extension
//===----------------------------------------------------------------------===//

#define GET_OP_CLASSES
#include "structured/Dialect/Structured/TransformOps/StructuredTransformOps.cpp.inc"

namespace {
class StructuredTransformDialectExtension
    : public transform::TransformDialectExtension<
          StructuredTransformDialectExtension> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(
      StructuredTransformDialectExtension)

  using Base::Base;

  void init() {
    declareDependentDialect<StructuredDialect>();
    declareGeneratedDialect<affine::AffineDialect>();
    declareGeneratedDialect<arith::ArithDialect>();
    declareGeneratedDialect<linalg::LinalgDialect>();
    declareGeneratedDialect<memref::MemRefDialect>();
    declareGeneratedDialect<scf::SCFDialect>();
    declareGeneratedDialect<tensor::TensorDialect>();
    declareGeneratedDialect<vector::VectorDialect>();
    registerTransformOps<
#define GET_OP_LIST
#include "structured/Dialect/Structured/TransformOps/StructuredTransformOps.cpp.inc"
        >();
  }
};
} // namespace

void structured::registerTransformDialectExtension(DialectRegistry &registry) {
  registry.addExtensions<StructuredTransformDialectExtension>();
}
