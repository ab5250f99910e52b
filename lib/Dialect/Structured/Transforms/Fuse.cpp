//===- Fuse.cpp - Fuse structured ops with their neighbours per batch tile
//-===//
//
// structured-fuse: a structured op, the elementwise ops around it (bias,
// activation, gating, residual) and the structured ops it feeds or is fed by
// form a group that shares its batch dimension. The last op of the group is
// tiled along the batch and every other op of the group is fused into the
// same loop as a producer (TilingInterface), so that each batch tile runs
// the whole group while its intermediates are in cache.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/InterleavedRange.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDFUSE
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

/// Whether `op` is a structured op in value form (with a tensor result).
static bool isStructuredOnTensors(Operation *op) {
  return isa<StructuredDialect>(op->getDialect()) && op->getNumResults() == 1 &&
         isa<TilingInterface>(op);
}

/// Whether `op` is an elementwise linalg op on tensors whose loops are its
/// result's dimensions in order (so its leading loops are batch dims).
static bool isFusableElementwise(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      !linalg::isElementwise(linalgOp) || linalgOp->getNumResults() != 1)
    return false;
  AffineMap map =
      linalgOp.getMatchingIndexingMap(linalgOp.getDpsInitOperand(0));
  return map.isIdentity();
}

static bool isFusable(Operation *op) {
  return op && (isStructuredOnTensors(op) || isFusableElementwise(op));
}

/// Number of batch dimensions of a structured op.
static int64_t getBatchRank(Operation *op) {
  return cast<ShapedType>(op->getResult(0).getType()).getRank() - 1;
}

namespace {

/// A root and the ops that are fused into its loop.
struct FusionGroup {
  Operation *root;
  llvm::SetVector<Operation *> members;
};

} // namespace

/// Collects `root` and, transitively, the fusable producers of its inputs
/// whose every use is inside the group.
static FusionGroup collectGroup(Operation *root) {
  FusionGroup group{root, {}};
  group.members.insert(root);
  SmallVector<Operation *> worklist{root};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    auto dps = cast<DestinationStyleOpInterface>(op);
    for (OpOperand *input : dps.getDpsInputOperands()) {
      Operation *producer = input->get().getDefiningOp();
      if (!isFusable(producer) || producer->getBlock() != root->getBlock() ||
          group.members.contains(producer))
        continue;
      if (!llvm::all_of(producer->getUsers(), [&](Operation *user) {
            return group.members.contains(user);
          }))
        continue;
      group.members.insert(producer);
      worklist.push_back(producer);
    }
  }
  return group;
}

/// The batch tile of `group`: that of its structured ops'
/// `structured.tile_sizes` (the smallest where several disagree). Empty when
/// none has one; failure, with an error on the op, for a negative size.
static FailureOr<SmallVector<int64_t>>
getAnnotatedBatchTile(const FusionGroup &group, int64_t batchRank) {
  SmallVector<int64_t> tile;
  for (Operation *op : group.members) {
    auto attr = op->getAttrOfType<DenseI64ArrayAttr>(kTileSizesAttrName);
    if (!attr || !isStructuredOnTensors(op) || getBatchRank(op) != batchRank)
      continue;
    if (llvm::any_of(attr.asArrayRef(), [](int64_t size) { return size < 0; }))
      return op->emitOpError()
             << "'" << kTileSizesAttrName << "' must not be negative, got ["
             << llvm::interleaved(attr.asArrayRef()) << "]";
    ArrayRef<int64_t> sizes = attr.asArrayRef().take_front(batchRank);
    if (tile.empty()) {
      tile.assign(sizes.begin(), sizes.end());
      tile.resize(batchRank, 0);
      continue;
    }
    for (auto [current, size] : llvm::zip(tile, sizes))
      if (size && (!current || size < current))
        current = size;
  }
  return tile;
}

/// Tiles and fuses `group`; on failure the group is left as it was, its ops
/// keeping their own tile sizes for structured-tile.
static FailureOr<scf::ForallOp> fuseGroup(RewriterBase &rewriter,
                                          const FusionGroup &group,
                                          ArrayRef<int64_t> batchTile) {
  Operation *root = group.root;
  if (llvm::all_of(batchTile, [](int64_t size) { return size == 0; }) ||
      llvm::any_of(batchTile, [](int64_t size) { return size < 0; }))
    return failure();
  MLIRContext *ctx = root->getContext();
  auto tilingRoot = cast<TilingInterface>(root);
  SmallVector<int64_t> sizes(batchTile);
  sizes.resize(tilingRoot.getLoopIteratorTypes().size(), 0);
  scf::SCFTilingOptions tilingOptions;
  tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tilingOptions.setTileSizes(getAsIndexOpFoldResult(ctx, sizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tilingOptions);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (isDestination || !group.members.contains(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });

  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, tilingRoot, options);
  if (failed(fused))
    return failure();
  // Each member runs on the group's tile, which replaces its own (the tiled
  // copies carry the attributes of the ops they come from).
  for (Operation *op : fused->tiledAndFusedOps)
    op->removeAttr(kTileSizesAttrName);
  rewriter.replaceOp(root, fused->replacements.lookup(root->getResult(0)));
  // The fused producers fed only the group, whose untiled ops are gone but
  // for the slices fusion went through; they are listed consumers first.
  for (Operation *producer : fused->fusedProducers) {
    for (Operation *user : llvm::make_early_inc_range(producer->getUsers()))
      if (isa<tensor::ExtractSliceOp>(user) && user->use_empty())
        rewriter.eraseOp(user);
    if (producer->use_empty())
      rewriter.eraseOp(producer);
  }
  return cast<scf::ForallOp>(fused->loops.front().getOperation());
}

FailureOr<scf::ForallOp>
structured::fuseIntoBatchTiles(RewriterBase &rewriter, Operation *root,
                               ArrayRef<int64_t> batchTile) {
  if (!isFusable(root))
    return failure();
  FusionGroup group = collectGroup(root);
  int64_t batchRank =
      cast<ShapedType>(root->getResult(0).getType()).getRank() - 1;
  SmallVector<int64_t> tile(batchTile);
  if (tile.empty()) {
    FailureOr<SmallVector<int64_t>> annotated =
        getAnnotatedBatchTile(group, batchRank);
    if (failed(annotated))
      return failure();
    tile = std::move(*annotated);
  }
  if (tile.empty() || static_cast<int64_t>(tile.size()) > batchRank)
    return failure();
  return fuseGroup(rewriter, group, tile);
}

/// Slices of tensor.empty become tile-sized empties, so that each tile
/// allocates only its own intermediates. Loop bounds taken from the untiled
/// results (tensor.dim) are resolved to the operands they come from, which
/// lets the untiled ops die.
static LogicalResult cleanUpAfterFusion(Operation *scope) {
  RewritePatternSet patterns(scope->getContext());
  tensor::populateFoldTensorEmptyPatterns(patterns);
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  return applyPatternsGreedily(scope, std::move(patterns));
}

namespace {

struct StructuredFusePass
    : structured::impl::StructuredFuseBase<StructuredFusePass> {
  using Base::Base;

  void runOnOperation() override {
    if (batchTile < 0) {
      getOperation()->emitError() << "batch-tile must not be negative, got "
                                  << static_cast<int64_t>(batchTile);
      return signalPassFailure();
    }
    // Roots: fusable ops none of whose users is fusable. A group is worth a
    // loop when it holds a structured op and at least one other op.
    SmallVector<FusionGroup> groups;
    getOperation()->walk([&](Operation *op) {
      if (!isFusable(op) || llvm::any_of(op->getUsers(), isFusable))
        return;
      FusionGroup group = collectGroup(op);
      if (group.members.size() > 1 &&
          llvm::any_of(group.members, isStructuredOnTensors))
        groups.push_back(std::move(group));
    });

    IRRewriter rewriter(&getContext());
    for (FusionGroup &group : groups) {
      int64_t batchRank = getBatchRank(group.root);
      FailureOr<SmallVector<int64_t>> tile =
          getAnnotatedBatchTile(group, batchRank);
      if (failed(tile))
        return signalPassFailure();
      if (tile->empty() && batchTile > 0) {
        tile->assign(batchRank, 0);
        tile->front() = batchTile;
      }
      // A group that cannot be tiled together stays as it is: its ops keep
      // their own tile sizes, and structured-tile tiles them one by one.
      (void)fuseGroup(rewriter, group, *tile);
    }
    if (failed(cleanUpAfterFusion(getOperation())))
      return signalPassFailure();
  }
};

} // namespace
