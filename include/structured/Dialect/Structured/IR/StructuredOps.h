//===- StructuredOps.h - Structured dialect ops -----------------*- C++ -*-===//
//
// Declares the ops of the `structured` dialect.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_H
#define STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "structured/Dialect/Structured/IR/StructuredDialect.h"
#include "structured/Dialect/Structured/Utils/EinsumSpec.h"

namespace mlir {
namespace structured {
/// Largest DFT size of poly_eval/poly_interp (and 2·L of causal_conv) that
/// the verifier accepts: the lowerings' factorisation search and index
/// arithmetic stay cheap and exact below it.
constexpr int64_t kMaxTransformSize = int64_t(1) << 40;

/// Discardable attribute with the tile sizes `structured-tile` applies to an
/// op (an `array<i64>`, one size per loop of its iteration domain).
constexpr llvm::StringLiteral kTileSizesAttrName = "structured.tile_sizes";
/// Discardable attribute with the shape of the vector kernel
/// `convert-structured-to-vector` generates for an op: `array<i64: lanes,
/// row_block>`.
constexpr llvm::StringLiteral kKernelAttrName = "structured.kernel";
} // namespace structured
} // namespace mlir

#define GET_OP_CLASSES
#include "structured/Dialect/Structured/IR/StructuredOps.h.inc"

#endif // STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_H
