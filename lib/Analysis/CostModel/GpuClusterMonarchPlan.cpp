//===- GpuClusterMonarchPlan.cpp - Shape of the cluster Monarch -----------===//

#include "structured/Analysis/CostModel/GpuClusterMonarchPlan.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::structured;

std::optional<GpuClusterMonarchPlan>
structured::planClusterMonarch(Operation *op, bool roundIntermediate) {
  auto monarch = dyn_cast<MonarchOp>(op);
  if (!monarch)
    return std::nullopt;
  Type element = cast<ShapedType>(monarch.getX().getType()).getElementType();
  for (Value operand : op->getOperands()) {
    auto type = cast<ShapedType>(operand.getType());
    if (type.getElementType() != element ||
        ShapedType::isDynamic(type.getShape().back()))
      return std::nullopt;
  }
  // The exact intermediate is split into bf16 parts, which multiply bf16
  // weights only.
  if (!(element.isBF16() || (roundIntermediate && element.isF16())))
    return std::nullopt;
  auto w1Type = cast<ShapedType>(monarch.getW1().getType());
  auto w2Type = cast<ShapedType>(monarch.getW2().getType());
  if (!w1Type.hasStaticShape() || !w2Type.hasStaticShape())
    return std::nullopt;
  ArrayRef<int64_t> w1 = w1Type.getShape(), w2 = w2Type.getShape();
  int64_t k = w1[0], q = w1[1], p = w1[2], l = w2[0], s = w2[1], r = w2[2];
  GpuClusterMonarchPlan plan;
  if (q != l || r != k || k != l || k % plan.blocksPerCTA != 0)
    return std::nullopt;
  plan.blocks = k;
  plan.p = p;
  plan.s = s;
  plan.clusterSize = k / plan.blocksPerCTA;
  // mma k steps of 16 terms in both stages, 8-column tiles of both.
  if (plan.clusterSize < 2 || plan.clusterSize > 8 || p % 16 != 0 || s % 8 != 0)
    return std::nullopt;
  plan.intermediateParts = roundIntermediate ? 1 : 3;
  // Whole blocks per warp (the longest stores) where the registers allow,
  // else half; the largest row tile that fits shared memory.
  for (int64_t blocksPerWarp : {4, 8}) {
    plan.blocksPerWarp = blocksPerWarp;
    for (int64_t rows : {32, 16}) {
      plan.rowsPerTile = rows;
      if (plan.fitsRegisters() &&
          plan.sharedMemoryBytes() <=
              GpuClusterMonarchPlan::maxSharedMemoryBytes)
        return plan;
    }
  }
  return std::nullopt;
}
