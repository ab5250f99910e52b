//===- GpuClusterMonarchPlanTest.cpp - Tests of the cluster Monarch plan --===//

#include "structured/Analysis/CostModel/GpuClusterMonarchPlan.h"
#include "structured/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <string>

using namespace mlir;
using namespace mlir::structured;

namespace {

class GpuClusterMonarchPlanTest : public ::testing::Test {
protected:
  GpuClusterMonarchPlanTest() {
    DialectRegistry registry;
    registry.insert<func::FuncDialect>();
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// A monarch with k = l blocks, w1 k×k×p, w2 k×s×k of `type` on a dynamic
  /// batch.
  Operation *parseMonarch(int64_t k, int64_t p, int64_t s, StringRef type) {
    auto shape = [&](int64_t a, int64_t b, int64_t c) {
      return "memref<" + std::to_string(a) + "x" + std::to_string(b) + "x" +
             std::to_string(c) + "x" + type.str() + ">";
    };
    auto rows = [&](int64_t n) {
      return "memref<?x" + std::to_string(n) + "x" + type.str() + ">";
    };
    std::string x = rows(k * p), y = rows(k * s);
    std::string w1 = shape(k, k, p), w2 = shape(k, s, k);
    std::string source =
        "func.func @f(%x: " + x + ", %w1: " + w1 + ", %w2: " + w2 +
        ", %y: " + y + ") {\n structured.monarch ins(%x, %w1, %w2 : " + x +
        ", " + w1 + ", " + w2 + ") outs(%y : " + y + ")\n return\n}";
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return nullptr;
    auto func = module->lookupSymbol<func::FuncOp>("f");
    return &func.getBody().front().front();
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(GpuClusterMonarchPlanTest, Bf16Monarch4096RunsOnClustersOfEight) {
  Operation *op = parseMonarch(64, 64, 64, "bf16");
  ASSERT_TRUE(op);
  auto plan = planClusterMonarch(op, /*roundIntermediate=*/false);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->clusterSize, 8);
  EXPECT_EQ(plan->intermediateParts, 3);
  // All of a CTA's blocks per warp: 128 weight registers of both stages,
  // 8 warps of one row slice.
  EXPECT_EQ(plan->blocksPerWarp, 8);
  EXPECT_EQ(plan->weightRegisters(), 128);
  EXPECT_EQ(plan->warps(), 8);
  EXPECT_TRUE(plan->fitsRegisters());
  // 16 rows: 32 would not fit the split intermediate tiles.
  EXPECT_EQ(plan->rowsPerTile, 16);
  EXPECT_LE(plan->sharedMemoryBytes(),
            GpuClusterMonarchPlan::maxSharedMemoryBytes);
  // The GPCs of 132 SMs run 15 clusters of 8 at once.
  EXPECT_EQ(plan->concurrentClusters(132), 15);
  // The rounded intermediate is one part: a third of the exchange.
  auto rounded = planClusterMonarch(op, /*roundIntermediate=*/true);
  ASSERT_TRUE(rounded.has_value());
  EXPECT_EQ(rounded->intermediateParts, 1);
  EXPECT_LT(rounded->intermediateTileElements(),
            plan->intermediateTileElements());
}

TEST_F(GpuClusterMonarchPlanTest, SmallerMonarchsTakeSmallerClusters) {
  auto n1024 = planClusterMonarch(parseMonarch(32, 32, 32, "bf16"), false);
  ASSERT_TRUE(n1024.has_value());
  EXPECT_EQ(n1024->clusterSize, 4);
  EXPECT_EQ(n1024->rowsPerTile, 32);
  EXPECT_EQ(n1024->concurrentClusters(132), 30);
  // Rectangular: s = 24 output columns (3 tiles) against q = 16 (2 tiles):
  // the warps of the third tile idle in the first stage.
  auto rect = planClusterMonarch(parseMonarch(16, 32, 24, "bf16"), false);
  ASSERT_TRUE(rect.has_value());
  EXPECT_EQ(rect->clusterSize, 2);
  EXPECT_EQ(rect->rowsPerTile, 32);
  EXPECT_EQ(rect->warps(), 2 * 3);
}

TEST_F(GpuClusterMonarchPlanTest, LongBlocksTakeHalfBlocksPerWarp) {
  // p = 160: the weights of 8 blocks would need 8 · (10 + 2) · 2 = 192
  // registers, too many with the others; 4 blocks need 96, so two warp
  // groups of 4 blocks.
  auto plan = planClusterMonarch(parseMonarch(32, 160, 8, "bf16"), false);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->blocksPerWarp, 4);
  EXPECT_EQ(plan->weightRegisters(), 96);
  EXPECT_EQ(plan->warpGroups(), 2);
  EXPECT_TRUE(plan->fitsRegisters());
  plan->blocksPerWarp = 8;
  EXPECT_FALSE(plan->fitsRegisters());
}

TEST_F(GpuClusterMonarchPlanTest, OtherShapesAndTypesHaveNoClusterKernel) {
  // 128 blocks: clusters of 16 CTAs are not portable.
  EXPECT_FALSE(planClusterMonarch(parseMonarch(128, 128, 128, "bf16"), false));
  // 24 blocks: clusters of 3, and a second stage of 24 terms, not a
  // multiple of the mma's 16.
  EXPECT_FALSE(planClusterMonarch(parseMonarch(24, 16, 24, "bf16"), false));
  // 8 blocks: one CTA, no cluster.
  EXPECT_FALSE(planClusterMonarch(parseMonarch(8, 16, 8, "bf16"), false));
  // Blocks of 8 terms: no 16-term k step.
  EXPECT_FALSE(planClusterMonarch(parseMonarch(16, 8, 16, "bf16"), false));
  // f16 splits into bf16 parts that its weights cannot multiply; rounded,
  // it runs.
  EXPECT_FALSE(planClusterMonarch(parseMonarch(32, 32, 32, "f16"), false));
  EXPECT_TRUE(planClusterMonarch(parseMonarch(32, 32, 32, "f16"), true));
  EXPECT_FALSE(planClusterMonarch(parseMonarch(32, 32, 32, "f32"), false));
  // q ≠ l: the first stage's columns are not the second stage's blocks.
  module = parseSourceString<ModuleOp>(R"mlir(
    func.func @f(%x: memref<?x512xbf16>, %w1: memref<16x32x32xbf16>, %w2: memref<32x16x16xbf16>, %y: memref<?x512xbf16>) {
      structured.monarch ins(%x, %w1, %w2 : memref<?x512xbf16>, memref<16x32x32xbf16>, memref<32x16x16xbf16>) outs(%y : memref<?x512xbf16>)
      return
    })mlir",
                                       &context);
  ASSERT_TRUE(module);
  Operation *unequal =
      &module->lookupSymbol<func::FuncOp>("f").getBody().front().front();
  EXPECT_FALSE(planClusterMonarch(unequal, false));
}

} // namespace
