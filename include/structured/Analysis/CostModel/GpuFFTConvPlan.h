//===- GpuFFTConvPlan.h - Shape of the fused GPU causal_conv ----*- C++ -*-===//
//
// causal_conv on NVIDIA GPUs as one kernel per pair of rows: the product of
// polynomials through a complex FFT of size N (the power of two of at least
// 2L) held in shared memory. Two real rows with the same kernel ride in one
// complex sequence (x1 + i·x2); since k is real, the inverse transform of
// FFT(x1 + i·x2)·FFT(k) is conv(k, x1) + i·conv(k, x2). The FFT is a
// Stockham sequence of radix-R passes (R ≤ 32), each a Monarch factor: R-point
// DFTs in registers between a twiddle diagonal and a stride permutation.
// This file decides whether such a kernel exists for an op and its shape.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_ANALYSIS_COSTMODEL_GPUFFTCONVPLAN_H
#define STRUCTURED_ANALYSIS_COSTMODEL_GPUFFTCONVPLAN_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace mlir {
class Operation;

namespace structured {

struct GpuFFTConvPlan {
  /// L, the sequence length, and N, the size of the complex transform.
  int64_t length = 0;
  int64_t size = 0;
  /// Sequences of 2N (past maxSize): one real row per CTA, its even and odd
  /// elements as one complex sequence of N; the spectrum of 2N follows from
  /// its transform (and back) by the split of a real DFT into halves.
  bool realRows = false;
  /// Length of the zero-padded real sequence: N, or 2N for realRows.
  int64_t paddedLength() const { return realRows ? 2 * size : size; }
  /// Radices of the passes, largest first; their product is N.
  SmallVector<int64_t, 4> radices;
  /// Threads per CTA: N / 32 (32 complex values per thread and pass), at
  /// least one warp.
  int64_t threads = 0;

  static constexpr int64_t maxRadix = 32;
  /// The largest N whose sequence fits in shared memory (135 KiB).
  static constexpr int64_t maxSize = 16384;

  /// Shared memory holds the sequence as complex f32 with one element of
  /// padding after every `radices[0]` (the stride of the first pass's
  /// writes), which keeps the passes free of bank conflicts.
  int64_t paddedSize() const { return size + size / radices.front(); }
  int64_t sharedMemoryBytes() const { return paddedSize() * 8; }
};

/// The plan of N = `size` (a power of two from 2 to maxSize).
GpuFFTConvPlan planGpuFFT(int64_t length, int64_t size, bool realRows);

/// The fused kernels of a buffer- or tensor-form causal_conv with a static
/// kernel `k` and f32/f16/bf16 elements, if 2L rounds up to at most
/// 2·maxSize (realRows past maxSize); std::nullopt otherwise (longer
/// sequences take the Monarch DFT stages).
std::optional<GpuFFTConvPlan> planGpuFFTConv(Operation *op);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_ANALYSIS_COSTMODEL_GPUFFTCONVPLAN_H
