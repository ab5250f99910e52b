//===- SelectTiles.cpp - Tile sizes and kernel shapes from a cost model ---===//

#include "structured/Analysis/CostModel/CostModel.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDSELECTTILES
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

/// Tile sizes over the op's iteration domain (batch dims, output blocks)
/// that give tiles of about `rows` flattened batch rows: the first batch
/// dimension is tiled, the others are not.
static SmallVector<int64_t> batchTileSizes(Operation *op, int64_t rows) {
  auto xType = cast<ShapedType>(op->getOperand(0).getType());
  ArrayRef<int64_t> batchShape = xType.getShape().drop_back();
  SmallVector<int64_t> sizes(batchShape.size() + 1, 0);
  int64_t inner = 1;
  for (int64_t size : batchShape.drop_front())
    inner = ShapedType::isDynamic(size) ? ShapedType::kDynamic : inner * size;
  if (ShapedType::isDynamic(inner)) {
    sizes[0] = 1;
  } else {
    // Whole leading rows of `inner` batch rows each. A dynamic leading
    // dimension may be short (a few sequences of many channels), so its
    // tiles take at most half the rows asked for, which keeps several
    // tiles for the threads.
    int64_t target =
        ShapedType::isDynamic(batchShape.front()) && batchShape.size() > 1
            ? rows / 2
            : rows;
    sizes[0] = std::max<int64_t>(1, target / std::max<int64_t>(inner, 1));
  }
  return sizes;
}

LogicalResult structured::annotateTileSizes(Operation *op,
                                            const CostModel &costModel,
                                            const TargetDescription &target) {
  std::optional<KernelFeatures> problem = getKernelProblem(op);
  if (!problem)
    return failure();
  KernelFeatures best = selectKernelConfiguration(costModel, *problem, target);
  Builder b(op->getContext());
  op->setAttr(kTileSizesAttrName,
              b.getDenseI64ArrayAttr(batchTileSizes(op, best.batchTile)));
  op->setAttr(kKernelAttrName,
              b.getDenseI64ArrayAttr({best.lanes, best.rowBlock}));
  return success();
}

namespace {

struct StructuredSelectTilesPass
    : structured::impl::StructuredSelectTilesBase<StructuredSelectTilesPass> {
  using Base::Base;

  void runOnOperation() override {
    if (model != "analytical") {
      getOperation()->emitError()
          << "unknown cost model '" << model << "'; expected 'analytical'";
      return signalPassFailure();
    }
    TargetDescription target = TargetDescription::host();
    if (threads > 0)
      target.threads = threads;
    if (vectorWidth > 0) {
      // Vectors wider than the host's take several of its registers each.
      if (vectorWidth > target.vectorWidth && vectorRegisters == 0)
        target.vectorRegisters = std::max<int64_t>(
            1, target.vectorRegisters * target.vectorWidth / vectorWidth);
      target.vectorWidth = vectorWidth;
    }
    if (vectorRegisters > 0)
      target.vectorRegisters = vectorRegisters;
    AnalyticalCostModel costModel(target);

    // Ops inside an scf.forall already run on one batch tile.
    getOperation()->walk([&](Operation *op) {
      if (!op->hasAttr(kTileSizesAttrName) &&
          !op->getParentOfType<scf::ForallOp>())
        (void)annotateTileSizes(op, costModel, target);
    });
  }
};

} // namespace
