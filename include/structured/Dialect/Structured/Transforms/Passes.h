//===- Passes.h - Structured dialect passes ---------------------*- C++ -*-===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_H
#define STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace structured {

#define GEN_PASS_DECL
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"

/// Adds the patterns of `structured-decompose`: each structured op becomes
/// linalg ops on reshaped views of its operands. Temporaries of memref-form
/// ops are freed with memref.dealloc when `deallocateTemporaries` is set.
void populateStructuredDecompositionPatterns(RewritePatternSet &patterns,
                                             bool deallocateTemporaries = true);

#define GEN_PASS_REGISTRATION
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMS_PASSES_H
