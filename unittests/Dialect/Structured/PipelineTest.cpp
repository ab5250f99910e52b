//===- PipelineTest.cpp - Tests of the pass and pipeline C++ API ----------===//

#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"
#include "structured/InitAll.h"
#include "structured/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::structured;

namespace {

constexpr const char *kLayer = R"mlir(
  func.func @layer(%x: tensor<?x16xbf16>, %w1: tensor<4x4x4xbf16>,
                   %w2: tensor<4x4x4xbf16>, %init: tensor<?x16xbf16>) -> tensor<?x16xbf16> {
    %y = structured.monarch ins(%x, %w1, %w2 : tensor<?x16xbf16>, tensor<4x4x4xbf16>, tensor<4x4x4xbf16>)
                            outs(%init : tensor<?x16xbf16>) -> tensor<?x16xbf16>
    return %y : tensor<?x16xbf16>
  })mlir";

class PipelineTest : public ::testing::Test {
protected:
  PipelineTest() {
    DialectRegistry registry;
    mlir::registerAllDialects(registry);
    mlir::registerAllExtensions(registry);
    structured::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
  }

  static bool containsDialect(ModuleOp module, StringRef name) {
    bool found = false;
    module.walk([&](Operation *op) {
      if (op->getDialect() && op->getDialect()->getNamespace() == name)
        found = true;
    });
    return found;
  }

  MLIRContext context;
};

TEST_F(PipelineTest, DecompositionPatternsRemoveEveryStructuredOp) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kLayer, &context);
  ASSERT_TRUE(module);
  RewritePatternSet patterns(&context);
  populateStructuredDecompositionPatterns(patterns);
  ASSERT_TRUE(succeeded(applyPatternsGreedily(*module, std::move(patterns))));
  EXPECT_FALSE(containsDialect(*module, "structured"));
  EXPECT_TRUE(containsDialect(*module, "linalg"));
}

TEST_F(PipelineTest, CPUPipelineProducesOnlyTheLLVMDialect) {
  for (bool threads : {false, true}) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(kLayer, &context);
    ASSERT_TRUE(module);
    PassManager pm(&context);
    StructuredToCPUPipelineOptions options;
    options.threads = threads;
    buildStructuredToCPUPipeline(pm, options);
    ASSERT_TRUE(succeeded(pm.run(*module)));
    // With threads, OpenMP ops (on LLVM types) remain; mlir-translate turns
    // them into runtime calls.
    bool onlyLLVM = true, sawOpenMP = false;
    module->walk([&](Operation *op) {
      StringRef dialect = op->getDialect()->getNamespace();
      sawOpenMP |= dialect == "omp";
      if (!isa<ModuleOp>(op) && dialect != "llvm" &&
          !(threads && dialect == "omp"))
        onlyLLVM = false;
    });
    EXPECT_TRUE(onlyLLVM) << "threads=" << threads;
    EXPECT_EQ(sawOpenMP, threads);
  }
}

TEST_F(PipelineTest, PipelineIsRegisteredUnderItsFlagName) {
  structured::registerAllPasses();
  PassManager pm(&context);
  std::string errors;
  llvm::raw_string_ostream os(errors);
  EXPECT_TRUE(
      succeeded(parsePassPipeline("builtin.module(structured-to-cpu-pipeline{"
                                  "canonicalize-structured=false})",
                                  pm, os)))
      << errors;
  EXPECT_TRUE(succeeded(parsePassPipeline(
      "builtin.module(structured-decompose{deallocate-temporaries=false})", pm,
      os)))
      << errors;
  EXPECT_TRUE(succeeded(parsePassPipeline(
      "builtin.module(structured-to-nvvm-pipeline{chip=sm_80 format=isa "
      "block-size=128})",
      pm, os)))
      << errors;
}

TEST_F(PipelineTest, NVVMPipelineOptionsReachTheGPUTarget) {
  // The pipeline up to the binary: kernels are outlined into a GPU module
  // that carries the requested NVVM target; no structured op is left.
  StructuredToNVVMPipelineOptions options;
  options.chip = "sm_80";
  options.features = "+ptx70";
  options.format = "isa";
  constexpr const char *kF32Layer = R"mlir(
    func.func @layer(%x: memref<?x16xf32>, %w1: memref<4x4x4xf32>,
                     %w2: memref<4x4x4xf32>, %y: memref<?x16xf32>) {
      structured.monarch ins(%x, %w1, %w2 : memref<?x16xf32>, memref<4x4x4xf32>, memref<4x4x4xf32>)
                         outs(%y : memref<?x16xf32>)
      return
    })mlir";
  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  context.appendDialectRegistry(registry);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(kF32Layer, &context);
  ASSERT_TRUE(module);
  PassManager pm(&context);
  buildStructuredToNVVMPipeline(pm, options);
  ASSERT_TRUE(succeeded(pm.run(*module)));
  EXPECT_FALSE(containsDialect(*module, "structured"));
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  EXPECT_NE(text.find("chip = \"sm_80\""), std::string::npos);
  EXPECT_NE(text.find(".target sm_80"), std::string::npos);
}

} // namespace
