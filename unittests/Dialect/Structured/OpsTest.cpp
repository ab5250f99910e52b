//===- OpsTest.cpp - Tests of the op C++ API ------------------------------===//

#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <string>

using namespace mlir;
using namespace mlir::structured;

namespace {

class StructuredOpsTest : public ::testing::Test {
protected:
  StructuredOpsTest() {
    DialectRegistry registry;
    registry.insert<func::FuncDialect>();
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Parses `source`, returning null and the diagnostics on failure.
  OwningOpRef<ModuleOp> parse(StringRef source, std::string &diagnostics) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      diagnostics += diag.str();
      return success();
    });
    return parseSourceString<ModuleOp>(source, &context);
  }

  MLIRContext context;
};

TEST_F(StructuredOpsTest, BuildsAMonarchOpAndItVerifies) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToStart(module->getBody());
  Type f32 = b.getF32Type();
  auto xType = RankedTensorType::get({ShapedType::kDynamic, 16}, f32);
  auto wType = RankedTensorType::get({4, 4, 4}, f32);
  auto func = func::FuncOp::create(
      b, loc, "layer",
      b.getFunctionType({xType, wType, wType, xType}, {xType}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  auto monarch = MonarchOp::create(b, loc, TypeRange{xType},
                                   body->getArgument(0), body->getArgument(1),
                                   body->getArgument(2), body->getArgument(3));
  func::ReturnOp::create(b, loc, monarch->getResults());

  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_EQ(monarch.getBatchRank(), 1);
  auto dps = cast<DestinationStyleOpInterface>(monarch.getOperation());
  EXPECT_EQ(dps.getNumDpsInits(), 1);
  EXPECT_EQ(dps.getDpsInits()[0], body->getArgument(3));
  EXPECT_TRUE(dps.hasPureTensorSemantics());
}

TEST_F(StructuredOpsTest, VerifierNamesTheOperandAndTheSizes) {
  std::string diagnostics;
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<8x1024xf32>, %w1: tensor<33x32x32xf32>,
                 %w2: tensor<32x32x32xf32>, %init: tensor<8x1024xf32>)
        -> tensor<8x1024xf32> {
      %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x1024xf32>, tensor<33x32x32xf32>, tensor<32x32x32xf32>)
                              outs(%init : tensor<8x1024xf32>) -> tensor<8x1024xf32>
      return %y : tensor<8x1024xf32>
    })mlir",
                                       diagnostics);
  EXPECT_FALSE(module);
  EXPECT_NE(diagnostics.find("'w1' has 33 blocks of 32 columns but 'x' has "
                             "1024 features (expected k·p = n)"),
            std::string::npos)
      << diagnostics;
}

TEST_F(StructuredOpsTest, TilingInterfaceDescribesBatchAndOutputBlocks) {
  std::string diagnostics;
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%x: tensor<2x3x24xf32>, %w: tensor<4x5x6xf32>,
                 %init: tensor<2x3x20xf32>) -> tensor<2x3x20xf32> {
      %y = structured.blockdiag ins(%x, %w : tensor<2x3x24xf32>, tensor<4x5x6xf32>)
                                outs(%init : tensor<2x3x20xf32>) -> tensor<2x3x20xf32>
      return %y : tensor<2x3x20xf32>
    })mlir",
                                       diagnostics);
  ASSERT_TRUE(module) << diagnostics;
  BlockDiagOp op;
  module->walk([&](BlockDiagOp found) { op = found; });
  ASSERT_TRUE(op);
  auto tileable = cast<TilingInterface>(op.getOperation());
  EXPECT_EQ(tileable.getLoopIteratorTypes().size(), 3u);
  OpBuilder b(op);
  SmallVector<Range> domain = tileable.getIterationDomain(b);
  ASSERT_EQ(domain.size(), 3u);
  EXPECT_EQ(getConstantIntValue(domain[0].size), 2);
  EXPECT_EQ(getConstantIntValue(domain[1].size), 3);
  EXPECT_EQ(getConstantIntValue(domain[2].size), 4); // k blocks
}

} // namespace
