//===- StructuredDialect.h - Structured dialect -----------------*- C++ -*-===//
//
// Declares the `structured` dialect.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H
#define STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "structured/Dialect/Structured/IR/StructuredDialect.h.inc"

#endif // STRUCTURED_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H
