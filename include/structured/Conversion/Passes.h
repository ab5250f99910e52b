//===- Passes.h - Structured conversion passes ------------------*- C++ -*-===//

#ifndef STRUCTURED_CONVERSION_PASSES_H
#define STRUCTURED_CONVERSION_PASSES_H

#include "structured/Conversion/StructuredToGPU/StructuredToGPU.h"
#include "structured/Conversion/StructuredToVector/StructuredToVector.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace structured {

#define GEN_PASS_DECL
#include "structured/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "structured/Conversion/Passes.h.inc"

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_CONVERSION_PASSES_H
