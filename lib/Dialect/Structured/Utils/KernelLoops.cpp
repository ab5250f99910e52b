//===- KernelLoops.cpp - Parallel loops that become GPU kernels -----------===//

#include "structured/Dialect/Structured/Utils/KernelLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::structured;

scf::ParallelOp structured::buildKernelLoop(
    OpBuilder &b, Location loc, ValueRange upperBounds,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<Value> bounds(upperBounds);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  // Bounds that are not constants yet (memref.dim of static sizes) may
  // fold to 1 later: unless one is a constant above 1, the first dimension
  // gets an idle iteration.
  bool idle = !bounds.empty() && llvm::none_of(bounds, [](Value bound) {
    std::optional<int64_t> size = getConstantIntValue(bound);
    return size && *size > 1;
  });
  Value firstBound = bounds.empty() ? Value() : bounds.front();
  if (idle)
    bounds.front() = arith::AddIOp::create(b, loc, firstBound, one);
  SmallVector<Value> lower(bounds.size(), zero), steps(bounds.size(), one);
  return scf::ParallelOp::create(
      b, loc, lower, bounds, steps,
      [&](OpBuilder &nested, Location at, ValueRange ivs) {
        if (!idle) {
          body(nested, at, ivs);
          return;
        }
        Value active = arith::CmpIOp::create(
            nested, at, arith::CmpIPredicate::ult, ivs.front(), firstBound);
        scf::IfOp::create(nested, at, active,
                          [&](OpBuilder &inner, Location innerLoc) {
                            body(inner, innerLoc, ivs);
                            scf::YieldOp::create(inner, innerLoc);
                          });
      });
}
