//===- KernelLoopsTest.cpp - Tests of buildKernelLoop ---------------------===//

#include "structured/Dialect/Structured/Utils/KernelLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::structured;

namespace {

class KernelLoopsTest : public ::testing::Test {
protected:
  KernelLoopsTest() : builder(&context) {
    context
        .loadDialect<arith::ArithDialect, func::FuncDialect, scf::SCFDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(
        builder, builder.getUnknownLoc(), "f",
        builder.getFunctionType({builder.getIndexType()}, {}));
    builder.setInsertionPointToStart(func.addEntryBlock());
    dynamicBound = func.getArgument(0);
  }

  Value constant(int64_t v) {
    return arith::ConstantIndexOp::create(builder, builder.getUnknownLoc(), v);
  }

  /// Builds a loop over `bounds` whose body records that it ran, and
  /// returns it.
  scf::ParallelOp build(ValueRange bounds) {
    bodyBuilt = false;
    return buildKernelLoop(builder, builder.getUnknownLoc(), bounds,
                           [&](OpBuilder &, Location, ValueRange ivs) {
                             EXPECT_EQ(ivs.size(), bounds.size());
                             bodyBuilt = true;
                           });
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  Value dynamicBound;
  bool bodyBuilt = false;
};

TEST_F(KernelLoopsTest, ALoopThatMayHaveOneIterationGetsAnIdleOne) {
  for (Value bound : {constant(1), dynamicBound}) {
    scf::ParallelOp loop = build({bound, constant(1)});
    EXPECT_TRUE(bodyBuilt);
    // The first bound is one more than asked, the body guarded by
    // iv < bound.
    auto first = loop.getUpperBound()[0].getDefiningOp<arith::AddIOp>();
    ASSERT_TRUE(first);
    EXPECT_EQ(first.getLhs(), bound);
    EXPECT_EQ(getConstantIntValue(first.getRhs()), std::optional<int64_t>(1));
    auto guards = loop.getBody()->getOps<scf::IfOp>();
    ASSERT_EQ(std::distance(guards.begin(), guards.end()), 1);
    scf::IfOp guard = *guards.begin();
    auto active = guard.getCondition().getDefiningOp<arith::CmpIOp>();
    ASSERT_TRUE(active);
    EXPECT_EQ(active.getPredicate(), arith::CmpIPredicate::ult);
    EXPECT_EQ(active.getLhs(), loop.getInductionVars()[0]);
    EXPECT_EQ(active.getRhs(), bound);
  }
}

TEST_F(KernelLoopsTest, ALoopWithAConstantBoundAboveOneIsPlain) {
  Value four = constant(4);
  scf::ParallelOp loop = build({dynamicBound, four});
  EXPECT_TRUE(bodyBuilt);
  EXPECT_EQ(loop.getUpperBound()[0], dynamicBound);
  EXPECT_EQ(loop.getUpperBound()[1], four);
  EXPECT_TRUE(loop.getBody()->getOps<scf::IfOp>().empty());
}

} // namespace
