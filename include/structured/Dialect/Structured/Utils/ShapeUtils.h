//===- ShapeUtils.h - Shape helpers for structured ops ----------*- C++ -*-===//
//
// Arithmetic on stride permutations and reshapes of the feature dimension
// that work alike on tensors and memrefs.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_UTILS_SHAPEUTILS_H
#define STRUCTURED_DIALECT_STRUCTURED_UTILS_SHAPEUTILS_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

#include <cstdint>
#include <optional>

namespace mlir {
namespace structured {

/// Whether `permute {rows, cols}` leaves every position in place.
inline bool isIdentityStridePermutation(int64_t rows, int64_t cols) {
  return rows == 1 || cols == 1;
}

/// The stride permutation `permute {rows = R, cols = n/R}` sends position i
/// (i < n-1) to i·R mod (n-1) and keeps n-1 in place, so applying
/// `permute {rows = R1}` and then `permute {rows = R2}` to n features is the
/// map i -> i·R1·R2 mod (n-1). Returns the row count R3 of the stride
/// permutation equal to that composition (1 when it is the identity), or
/// std::nullopt when the composition is not a stride permutation.
std::optional<int64_t> composeStridePermutations(int64_t features,
                                                 int64_t firstRows,
                                                 int64_t secondRows);

/// Reshapes dimension `dim` of a tensor or memref `source` into `innerSizes`
/// (whose product must equal it); the other dimensions are kept.
Value expandDim(OpBuilder &b, Location loc, Value source, int64_t dim,
                ArrayRef<int64_t> innerSizes);

/// Reshapes the last dimension of a tensor or memref `source` into
/// `innerSizes` (whose product must equal it); leading dimensions are kept.
Value expandLastDim(OpBuilder &b, Location loc, Value source,
                    ArrayRef<int64_t> innerSizes);

/// Collapses the trailing `count` dimensions of a tensor or memref into one.
Value collapseTrailingDims(OpBuilder &b, Location loc, Value source,
                           int64_t count);

/// Whether `x` and `init` can be the input and destination of one op: no
/// batch dimension static in both with different sizes. Rewrites that bypass
/// intermediate ops check this, since a dynamic intermediate hides mismatches
/// that the new op's verifier would reject.
bool haveCompatibleBatchDims(Value x, Value init);

/// Adds a leading dimension of size 1 to a tensor or memref.
Value prependUnitDim(OpBuilder &b, Location loc, Value source);

/// Collapses dimensions of a tensor or (contiguous) memref by `reassociation`.
Value collapseDims(OpBuilder &b, Location loc, Value source,
                   ArrayRef<ReassociationIndices> reassociation);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_UTILS_SHAPEUTILS_H
