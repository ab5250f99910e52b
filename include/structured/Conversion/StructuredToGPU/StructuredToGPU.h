//===- StructuredToGPU.h - Structured ops to GPU kernels --------*- C++ -*-===//
//
// Lowers buffer-form blockdiag, monarch and btt ops to gpu.launch kernels
// (one per stage) that use tensor cores where the shapes allow, btt_moe to
// the stage kernels of each expert on its rows, and causal_conv to fused
// FFT kernels; see convert-structured-to-gpu.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_CONVERSION_STRUCTUREDTOGPU_STRUCTUREDTOGPU_H
#define STRUCTURED_CONVERSION_STRUCTUREDTOGPU_STRUCTUREDTOGPU_H

#include "structured/Analysis/CostModel/GpuKernelPlan.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir {
class RewritePatternSet;

namespace structured {

struct GpuKernelOptions {
  /// Streaming multiprocessors of the target (132 on an H100 SXM or H200).
  int64_t smCount = 132;
  /// The intermediate (its type and layout), f32 arithmetic and input
  /// path of the block-matmul kernels.
  GpuKernelChoices choices;
  /// Run both stages of Monarchs with small blocks in one kernel, the
  /// f32 intermediate in shared memory (planFusedMonarch; not combined with
  /// a rounded intermediate). Experimental.
  bool fuseStages = false;
  /// Run both stages of Monarchs that planClusterMonarch accepts as one
  /// kernel over thread-block clusters (sm_90). Experimental.
  bool clusterStages = false;
  /// Check btt_moe's expert indices on the GPU and stop the program with a
  /// message when one is outside [0, R); without, they are clamped.
  bool runtimeChecks = true;
};

/// Names the launches of the kernels with the function their outlined
/// kernel gets (`<func>_<op>[_stage<i>]`).
constexpr llvm::StringLiteral kGpuKernelNameAttr = "structured.kernel_name";
/// Marks the launches whose registers ctas-per-sm bounds (tensor-core
/// kernels; the FMA kernels measured slower with a bound) with the most
/// CTAs per SM the bound may ask for: those that fit in an SM's shared
/// memory, or 1 for kernels that need more registers.
constexpr llvm::StringLiteral kGpuOccupancyCTAsAttr =
    "structured.occupancy_ctas";
/// The same for the FFT kernels of causal_conv, whose registers
/// fft-ctas-per-sm bounds (their best count differs: 3 against 2 at
/// L = 4096 on an H200).
constexpr llvm::StringLiteral kGpuFFTOccupancyCTAsAttr =
    "structured.fft_occupancy_ctas";

/// Adds the patterns that turn buffer-form `blockdiag`, `monarch` and `btt`
/// ops with GPU kernels (see planGpuKernels) into launches, and those of
/// populateMoEToGPUPatterns and populateCausalConvToGPUPatterns.
void populateStructuredToGPUPatterns(RewritePatternSet &patterns,
                                     const GpuKernelOptions &options);

/// Adds the pattern that turns a buffer-form `btt_moe` with GPU kernels
/// (see planGpuKernels) into the sort of its rows by expert and the stage
/// kernels of each expert.
void populateMoEToGPUPatterns(RewritePatternSet &patterns,
                              const GpuKernelOptions &options);

/// Adds the pattern that turns a buffer-form `causal_conv` with a fused FFT
/// kernel (see planGpuFFTConv) into its launches.
void populateCausalConvToGPUPatterns(RewritePatternSet &patterns);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_CONVERSION_STRUCTUREDTOGPU_STRUCTUREDTOGPU_H
