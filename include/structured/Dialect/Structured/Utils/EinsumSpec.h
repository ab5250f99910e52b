//===- EinsumSpec.h - Einsum specifications of linear maps ------*- C++ -*-===//
//
// Parses and checks the `spec` of `structured.einsum_linear`: numpy einsum
// notation "x,f1,...,fn->y" where x's first letter is the batch dimension and
// its other letters a row-major factored view of the feature dimension, every
// factor term names the dimensions of one factor operand, and the output is
// the batch letter followed by letters flattened row-major into the output
// features.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_DIALECT_STRUCTURED_UTILS_EINSUMSPEC_H
#define STRUCTURED_DIALECT_STRUCTURED_UTILS_EINSUMSPEC_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <functional>
#include <string>

namespace mlir {
namespace structured {

/// A parsed einsum specification. Letters are kept as chars.
struct EinsumSpec {
  /// The batch letter (first letter of the x and output terms).
  char batch = 0;
  /// Feature letters of x, of each factor, and of the output.
  std::string input;
  SmallVector<std::string> factors;
  std::string output;
  /// Size of every non-batch letter, once resolved against operand shapes.
  llvm::DenseMap<char, int64_t> sizes;

  /// Parses `text`; on failure calls `error` with a message and returns
  /// failure. Only the syntax and letter usage are checked here.
  static FailureOr<EinsumSpec> parse(StringRef text,
                                     function_ref<void(const Twine &)> error);

  /// Resolves letter sizes from the factor shapes and checks them against the
  /// feature sizes of x and the output (with checked products).
  LogicalResult resolveSizes(ArrayRef<ArrayRef<int64_t>> factorShapes,
                             int64_t inFeatures, int64_t outFeatures,
                             function_ref<void(const Twine &)> error);

  /// Product of the sizes of `letters` (which must be resolved).
  int64_t sizeOf(StringRef letters) const;

  /// The spec in the notation `parse` reads.
  std::string str() const;

  /// A letter that no term uses, or 0 when all 52 are taken.
  char getUnusedLetter() const;
};

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_DIALECT_STRUCTURED_UTILS_EINSUMSPEC_H
