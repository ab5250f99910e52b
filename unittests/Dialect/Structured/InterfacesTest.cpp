//===- InterfacesTest.cpp - Tests of the op interfaces --------------------===//
//
// Memory effects, reified shapes, bufferization and tiling through their C++
// APIs, as a project embedding the dialect would use them.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/InitAll.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Func/Extensions/AllExtensions.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::structured;

namespace {

class InterfacesTest : public ::testing::Test {
protected:
  InterfacesTest() {
    DialectRegistry registry;
    registry.insert<func::FuncDialect, scf::SCFDialect,
                    bufferization::BufferizationDialect>();
    bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
        registry);
    tensor::registerBufferizableOpInterfaceExternalModels(registry);
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  OwningOpRef<ModuleOp> parse(StringRef source) {
    return parseSourceString<ModuleOp>(source, &context);
  }

  template <typename OpTy> OpTy findFirst(ModuleOp module) {
    OpTy found;
    module.walk([&](OpTy op) {
      if (!found)
        found = op;
    });
    return found;
  }

  MLIRContext context;
};

TEST_F(InterfacesTest, BuffersAreReadAndDestinationOnlyWritten) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: memref<8x16xf32>, %w1: memref<4x4x4xf32>,
                 %w2: memref<4x4x4xf32>, %init: memref<8x16xf32>) {
      structured.monarch ins(%x, %w1, %w2 : memref<8x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>)
                         outs(%init : memref<8x16xf32>)
      return
    })mlir");
  ASSERT_TRUE(module);
  auto op = findFirst<MonarchOp>(*module);
  auto effects = cast<MemoryEffectOpInterface>(op.getOperation());
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  ASSERT_EQ(instances.size(), 4u);
  int reads = 0, writes = 0;
  for (const MemoryEffects::EffectInstance &instance : instances) {
    if (isa<MemoryEffects::Read>(instance.getEffect())) {
      ++reads;
      EXPECT_NE(instance.getValue(), op.getInit());
    }
    if (isa<MemoryEffects::Write>(instance.getEffect())) {
      ++writes;
      EXPECT_EQ(instance.getValue(), op.getInit());
    }
  }
  EXPECT_EQ(reads, 3);
  EXPECT_EQ(writes, 1);
}

TEST_F(InterfacesTest, TensorsHaveNoMemoryEffects) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<8x6xf32>, %init: tensor<8x6xf32>) -> tensor<8x6xf32> {
      %y = structured.permute ins(%x : tensor<8x6xf32>) outs(%init : tensor<8x6xf32>) {rows = 2, cols = 3} -> tensor<8x6xf32>
      return %y : tensor<8x6xf32>
    })mlir");
  ASSERT_TRUE(module);
  EXPECT_TRUE(isMemoryEffectFree(findFirst<PermuteOp>(*module)));
}

TEST_F(InterfacesTest, ReifiesDynamicBatchFromTheDestination) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<?x3x24xf32>, %w: tensor<4x5x6xf32>,
                 %init: tensor<?x3x20xf32>) -> tensor<?x3x20xf32> {
      %y = structured.blockdiag ins(%x, %w : tensor<?x3x24xf32>, tensor<4x5x6xf32>)
                                outs(%init : tensor<?x3x20xf32>) -> tensor<?x3x20xf32>
      return %y : tensor<?x3x20xf32>
    })mlir");
  ASSERT_TRUE(module);
  auto op = findFirst<BlockDiagOp>(*module);
  OpBuilder b(op);
  ReifiedRankedShapedTypeDims shapes;
  ASSERT_TRUE(succeeded(reifyResultShapes(b, op, shapes)));
  ASSERT_EQ(shapes.size(), 1u);
  ASSERT_EQ(shapes[0].size(), 3u);
  auto dim = dyn_cast<Value>(shapes[0][0]).getDefiningOp<tensor::DimOp>();
  ASSERT_TRUE(dim);
  EXPECT_EQ(dim.getSource(), op.getInit());
  EXPECT_EQ(getConstantIntValue(shapes[0][1]), 3);
  EXPECT_EQ(getConstantIntValue(shapes[0][2]), 20);
}

TEST_F(InterfacesTest, OneShotBufferizationWritesIntoTheDestination) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<8x16xf32>, %w1: tensor<4x1x4x4xf32>,
                 %w2: tensor<4x4x4x1xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
      %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x1x4x4xf32>, tensor<4x4x4x1xf32>)
                          outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
      return %y : tensor<8x16xf32>
    })mlir");
  ASSERT_TRUE(module);
  bufferization::OneShotBufferizationOptions options;
  options.bufferizeFunctionBoundaries = true;
  options.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  bufferization::BufferizationState state;
  ASSERT_TRUE(succeeded(
      bufferization::runOneShotModuleBufferize(*module, options, state)));
  ASSERT_TRUE(succeeded(verify(*module)));
  auto op = findFirst<BTTOp>(*module);
  ASSERT_TRUE(op);
  EXPECT_EQ(op->getNumResults(), 0u);
  // In place: the destination is the function's own argument, not a copy.
  EXPECT_TRUE(isa<BlockArgument>(op.getInit()));
  EXPECT_FALSE(findFirst<memref::CopyOp>(*module));
}

TEST_F(InterfacesTest, TilesBatchAndOutputBlocksWithSCF) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<8x16xf32>, %w1: tensor<4x4x4xf32>,
                 %w2: tensor<4x4x4xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
      %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                              outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
      return %y : tensor<8x16xf32>
    })mlir");
  ASSERT_TRUE(module);
  auto op = findFirst<MonarchOp>(*module);
  IRRewriter rewriter(&context);
  rewriter.setInsertionPoint(op);
  scf::SCFTilingOptions options;
  options.setTileSizes({rewriter.getIndexAttr(2), rewriter.getIndexAttr(2)});
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  ASSERT_TRUE(succeeded(tiled));
  EXPECT_EQ(tiled->loops.size(), 2u);
  ASSERT_EQ(tiled->tiledOps.size(), 1u);
  auto tile = dyn_cast<MonarchOp>(tiled->tiledOps[0]);
  ASSERT_TRUE(tile);
  EXPECT_EQ(cast<ShapedType>(tile.getX().getType()).getShape(),
            ArrayRef<int64_t>({2, 16}));
  EXPECT_EQ(cast<ShapedType>(tile.getW2().getType()).getShape(),
            ArrayRef<int64_t>({4, 2, 4}));
  EXPECT_EQ(cast<ShapedType>(tile.getInit().getType()).getShape(),
            ArrayRef<int64_t>({2, 8}));
  rewriter.replaceOp(op, tiled->replacements);
  EXPECT_TRUE(succeeded(verify(*module)));
}

} // namespace
