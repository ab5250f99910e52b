//===- Structured.td - Structured dialect umbrella ---------*- tablegen -*-===//
//
// Umbrella file: everything TableGen generates for the dialect comes from here.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTURED_TD
#define STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTURED_TD

include "structured/Dialect/Structured/IR/StructuredDialect.td"
include "structured/Dialect/Structured/IR/StructuredOps.td"

#endif // STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTURED_TD
