//===- DeduplicateGpuModules.cpp - One of each identical GPU module -------===//
//
// structured-deduplicate-gpu-modules: after gpu-kernel-outlining, every
// launch has its own gpu.module, so identical ops (a chain of layers of one
// shape) give identical modules that would each be compiled and loaded.
// Modules are compared by the printed form of their bodies, which leaves
// out only the modules' own names.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDDEDUPLICATEGPUMODULES
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

namespace {

/// The printed ops of `module`'s body, and its attributes other than its
/// name (targets, for instance).
std::string bodyKey(gpu::GPUModuleOp module) {
  std::string key;
  llvm::raw_string_ostream os(key);
  for (NamedAttribute attribute : module->getAttrs())
    if (attribute.getName() != SymbolTable::getSymbolAttrName())
      os << attribute.getName() << "=" << attribute.getValue() << ";";
  for (Operation &op : module.getBody()->getOperations())
    op.print(os, OpPrintingFlags().useLocalScope());
  return key;
}

struct StructuredDeduplicateGpuModulesPass
    : structured::impl::StructuredDeduplicateGpuModulesBase<
          StructuredDeduplicateGpuModulesPass> {
  void runOnOperation() override {
    ModuleOp root = getOperation();
    llvm::StringMap<gpu::GPUModuleOp> firstWithBody;
    SmallVector<gpu::GPUModuleOp> duplicates;
    for (auto module : root.getOps<gpu::GPUModuleOp>()) {
      auto [it, inserted] = firstWithBody.try_emplace(bodyKey(module), module);
      if (inserted)
        continue;
      // Where the uses cannot all be found (an unknown op that may be a
      // symbol table), none is replaced: the module stays, compiled again.
      if (succeeded(SymbolTable::replaceAllSymbolUses(
              module, it->second.getNameAttr(), root)))
        duplicates.push_back(module);
    }
    for (gpu::GPUModuleOp module : duplicates)
      module.erase();
  }
};

} // namespace
