//===- GpuClusterMonarchPlan.cpp - Shape of the cluster Monarch -----------===//

#include "structured/Analysis/CostModel/GpuClusterMonarchPlan.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

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
  // Clusters of 2, 4 or 8 CTAs (the sizes measured on the GPU), so k steps
  // of 16 terms in the second stage.
  if (q != l || r != k || k != l || !llvm::is_contained({16, 32, 64}, k))
    return std::nullopt;
  plan.blocks = k;
  plan.p = p;
  plan.s = s;
  plan.clusterSize = k / plan.blocksPerCTA;
  // mma k steps of 16 terms in the first stage, 8-column tiles of both.
  if (p % 16 != 0 || s % 8 != 0)
    return std::nullopt;
  plan.intermediateParts = roundIntermediate ? 1 : 3;
  // Whole blocks per warp (measured 1.45x faster than half blocks at
  // n = 1024 and 4096: 16-byte stores, half the store instructions and
  // barrier arrivals), half blocks where the weights would not fit the
  // registers; the largest row tile that fits shared memory.
  for (int64_t blocksPerWarp : {8, 4}) {
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
