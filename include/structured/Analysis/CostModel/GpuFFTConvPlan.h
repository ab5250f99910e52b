//===- GpuFFTConvPlan.h - Shape of the fused GPU causal_conv ----*- C++ -*-===//
//
// causal_conv on NVIDIA GPUs as three kernels (see FFTConvKernels.cpp), the
// last with one CTA per row: the product of polynomials through the FFT of
// the row zero-padded to P ≥ 2L (a power of two), computed as the complex
// FFT of N = P/2 points z[n] = x[2n] + i·x[2n+1] held in shared memory, from
// which the P-point spectrum of the real row is split out (and merged back
// before the inverse). The FFT is a Stockham sequence of radix-R passes
// (R ≤ 32), each a Monarch factor: R-point DFTs in registers between a
// twiddle diagonal and a stride permutation. This file decides whether such
// kernels exist for an op and their shape.
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
  /// P = 2N, the length of the zero-padded real row.
  int64_t paddedLength() const { return 2 * size; }
  /// Radices of the passes, largest first; their product is N.
  SmallVector<int64_t, 4> radices;
  /// Threads per CTA: one job of the largest radix each (N / radices[0]),
  /// at least one warp.
  int64_t threads = 0;

  static constexpr int64_t maxRadix = 32;
  /// The largest N whose sequence fits in shared memory (132 KiB), so
  /// L ≤ 16384.
  static constexpr int64_t maxSize = 16384;

  /// Shared memory holds the sequence as complex f32 with one element of
  /// padding after every `radices[0]` (the stride of the first pass's
  /// writes), which keeps the passes free of bank conflicts.
  int64_t sharedElements() const { return size + size / radices.front(); }
  int64_t sharedMemoryBytes() const { return sharedElements() * 8; }

  /// The twiddle table, in complex entries: first W^t = exp(-2πi·t/P) for
  /// t ≤ N/2 (the split and merge of the real spectrum); then, for each pass
  /// after the first (radix R after a product Ns of earlier radices), the
  /// entries exp(-2πi·r·k/(Ns·R)) at twiddleOffset(pass) + r·Ns + k for
  /// r < R, k < Ns. Job j of a pass multiplies element r by entry
  /// k = j mod Ns of row r, so a warp's loads of one r are contiguous
  /// (indexed by t·r/(Ns·R) in a table of P, they would touch a cache line
  /// per lane).
  int64_t twiddleOffset(unsigned pass) const;
  int64_t twiddleEntries() const { return twiddleOffset(radices.size()); }
  /// The table as interleaved (re, im) pairs: cos and sin in f64, rounded
  /// to f32.
  SmallVector<float> twiddleTable() const;
};

/// The plan of N = `size` (a power of two from 2 to maxSize) for rows of
/// `length`.
GpuFFTConvPlan planGpuFFT(int64_t length, int64_t size);

/// The fused kernels of a buffer- or tensor-form causal_conv with a static
/// kernel `k` and f32/f16/bf16 elements, if L ≤ maxSize; std::nullopt
/// otherwise (longer sequences take the Monarch DFT stages).
std::optional<GpuFFTConvPlan> planGpuFFTConv(Operation *op);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_ANALYSIS_COSTMODEL_GPUFFTCONVPLAN_H
