//===- KernelLoops.h - Parallel loops that become GPU kernels ---*- C++ -*-===//
//
// The NVVM pipeline runs every host scf.parallel as a GPU kernel
// (structured-parallel-loops-to-gpu), after canonicalization; a loop of one
// iteration known at compile time would be inlined into host code there,
// which cannot read device memory.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_UTILS_KERNELLOOPS_H
#define STRUCTURED_DIALECT_STRUCTURED_UTILS_KERNELLOOPS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace structured {

/// Builds an scf.parallel over [0, upperBounds[i]) whose body `body` fills
/// (with the builder and the induction variables). Unless a bound is a
/// constant above 1, the first dimension gets one more, idle iteration, so
/// that a loop whose bounds fold to 1 stays a loop (and becomes a kernel)
/// through canonicalization.
scf::ParallelOp
buildKernelLoop(OpBuilder &b, Location loc, ValueRange upperBounds,
                function_ref<void(OpBuilder &, Location, ValueRange)> body);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_UTILS_KERNELLOOPS_H
