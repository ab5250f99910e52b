//===- StructuredDialect.cpp - Structured dialect -------------------------===//

#include "structured/Dialect/Structured/IR/StructuredDialect.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"

using namespace mlir;
using namespace mlir::structured;

#include "structured/Dialect/Structured/IR/StructuredDialect.cpp.inc"

void StructuredDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "structured/Dialect/Structured/IR/StructuredOps.cpp.inc"
      >();
}
