//===- StructuredPlugin.cpp - Plugin for upstream mlir-opt ----------------===//
//
// Entry points that mlir-opt's --load-dialect-plugin and --load-pass-plugin
// look up.
//
//===----------------------------------------------------------------------===//

#include "structured/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Structured", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::structured::registerAllDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "StructuredPasses", LLVM_VERSION_STRING,
          []() { mlir::structured::registerAllPasses(); }};
}
