//===- StructuredTransformOps.h - Transform ops for structured --*- C++ -*-===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_TRANSFORMOPS_STRUCTUREDTRANSFORMOPS_H
#define STRUCTURED_DIALECT_STRUCTURED_TRANSFORMOPS_STRUCTUREDTRANSFORMOPS_H

#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/IR/OpImplementation.h"

namespace mlir {
class DialectRegistry;
} // namespace mlir

#define GET_OP_CLASSES
#include "structured/Dialect/Structured/TransformOps/StructuredTransformOps.h.inc"

namespace mlir {
namespace structured {

/// Registers the `transform.structured.*` ops of this project as a transform
/// dialect extension.
void registerTransformDialectExtension(DialectRegistry &registry);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_TRANSFORMOPS_STRUCTUREDTRANSFORMOPS_H
