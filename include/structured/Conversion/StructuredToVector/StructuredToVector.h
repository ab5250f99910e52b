//===- StructuredToVector.h - Structured ops to vector code -----*- C++ -*-===//
//
// Lowers buffer-form blockdiag, monarch and btt ops to vector code for CPUs:
// the batch goes into the vector lanes, the weights are broadcast scalars,
// both Monarch/BTT stages run on one group of batch rows at a time with the
// intermediate in a small buffer, and the stride permutation is row
// indexing.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_CONVERSION_STRUCTUREDTOVECTOR_STRUCTUREDTOVECTOR_H
#define STRUCTURED_CONVERSION_STRUCTUREDTOVECTOR_STRUCTUREDTOVECTOR_H

#include <cstdint>

namespace mlir {
class RewritePatternSet;

namespace structured {

/// Shape of the generated kernels.
struct BatchVectorKernelOptions {
  /// f32 elements per vector register (16 for AVX-512).
  int64_t vectorWidth = 16;
  /// Batch rows processed together: a multiple of `vectorWidth`. Each
  /// register-tile row holds `lanes / vectorWidth` vectors.
  int64_t lanes = 32;
  /// Output rows of one register tile; `rowBlock · lanes / vectorWidth`
  /// accumulators stay in registers across the reduction.
  int64_t rowBlock = 12;
  /// btt_moe: check at run time that expert indices lie in [0, R)
  /// (cf.assert).
  bool runtimeChecks = true;

  /// Whether a kernel `lanes` wide with `rowBlock` rows can be generated for
  /// this vector width.
  bool isValid(int64_t lanes, int64_t rowBlock) const {
    return vectorWidth > 0 && lanes > 0 && lanes % vectorWidth == 0 &&
           rowBlock > 0;
  }
  bool isValid() const { return isValid(lanes, rowBlock); }
};

/// Adds the patterns that lower buffer-form `blockdiag`, `monarch`, `btt` and
/// `btt_moe` ops with f32, f16 or bf16 elements and static feature sizes to
/// vector code.
void populateStructuredToVectorPatterns(
    RewritePatternSet &patterns, const BatchVectorKernelOptions &options);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_CONVERSION_STRUCTUREDTOVECTOR_STRUCTUREDTOVECTOR_H
