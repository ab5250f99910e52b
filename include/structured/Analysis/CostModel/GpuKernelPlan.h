//===- GpuKernelPlan.h - Shapes of the GPU block-matmul kernels -*- C++ -*-===//
//
// blockdiag, monarch and btt run on NVIDIA GPUs as one kernel per stage,
// btt_moe as the two stages of each expert's Monarch on the rows that chose
// it.
// A stage multiplies every row of the batch by G independent Q×P weight
// blocks; where a block reads its P inputs and writes its Q outputs in the
// feature vector is given by a chunk size C (see GpuStageLayout). This file
// decides, for one op, whether such kernels exist and their tile shapes:
// tensor cores (mma.sync m16n8k16, f32 accumulation) for f16/bf16 and, as
// split bf16 parts, f32; FMA otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_ANALYSIS_COSTMODEL_GPUKERNELPLAN_H
#define STRUCTURED_ANALYSIS_COSTMODEL_GPUKERNELPLAN_H

#include "structured/Analysis/CostModel/GpuFFTConvPlan.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MathExtras.h"

#include <array>
#include <cstdint>
#include <optional>

namespace mlir {
class Operation;

namespace structured {

/// Elements per vector access of `elementBytes`-byte elements: the largest
/// power of two of at most 16 bytes that divides `extent` (so accesses at
/// multiples of it stay aligned and within runs of that length).
inline int64_t vectorElements(int64_t extent, int64_t elementBytes) {
  int64_t vector = 1;
  while (vector * 2 * elementBytes <= 16 && extent % (vector * 2) == 0)
    vector *= 2;
  return vector;
}

/// Position of element t (0 ≤ t < size) of block g (0 ≤ g < blocks) in a
/// feature vector of blocks·size elements: chunks of `chunk` consecutive
/// elements of one block alternate between the blocks,
///   offset(g, t) = (t / chunk)·blocks·chunk + g·chunk + t mod chunk.
/// chunk = size is the contiguous layout (block after block); chunk = 1 is
/// the stride permutation of Monarch's second factor.
struct GpuStageLayout {
  int64_t chunk = 1;
};

/// One stage: out[b, outLayout(g, n)] = Σ_t W_g[n, t] · in[b, inLayout(g, t)].
struct GpuStagePlan {
  int64_t blocks = 0;  // G
  int64_t inSize = 0;  // P, reduction length of a block
  int64_t outSize = 0; // Q, outputs of a block
  GpuStageLayout in, out;
  /// W_g[n, t] = w1[g, n mod R, n / R, t] for BTT's first stage (R =
  /// weightRank, the intermediate is laid out as [i·q + j][ρ]); 0 when the
  /// weight operand is indexed [g, n, t] directly.
  int64_t weightRank = 0;
  /// Bytes of an input element in global memory, of the operand type of
  /// the multiplication (the weights' element type, bf16 for split
  /// weights), and of an output.
  int64_t inElementBytes = 4;
  int64_t elementBytes = 4;
  int64_t outElementBytes = 4;

  // Kernel shape. One CTA of `warps` warps owns `blocksPerCTA` blocks and
  // `colsPerCTA` of their Q outputs and walks over the batch in tiles of
  // `rowsPerTile` rows; warp w computes block w mod blocksPerCTA of the
  // group, columns slice w / blocksPerCTA of `warpsPerBlock`. Its weights
  // stay in registers for the whole kernel.
  bool tensorCores = false;
  /// f32 inputs on tensor cores (the f32 intermediate of bf16 ops): each is
  /// split into `splitParts` bf16 parts whose sum is the f32 value to its
  /// last bit, and each part is multiplied. The split happens once, when
  /// the tile is stored to shared memory, which holds the parts as
  /// `splitParts` bf16 tiles: the warps that share a block (and every
  /// column tile of a warp) read them ready for the mma.
  bool splitInput = false;
  static constexpr int64_t splitParts = 3;
  /// f32 weights on tensor cores: split into `splitParts` bf16 parts too
  /// (B fragments of every part stay in registers). Of the nine products of
  /// parts, the six whose ranks sum to less than `splitParts` are
  /// multiplied; the others are below 2^-24 of the product, so the result
  /// has the accuracy of an f32 sum.
  bool splitWeights = false;
  /// Tensor cores, contiguous bf16/f16 input blocks, P a multiple of 16 and
  /// at most 64: each lane loads its A fragments straight from global
  /// memory, with no input tile in shared memory. The fragments
  /// and the B fragments take the reduction index under one permutation π
  /// (any bijection gives the same sums): for k step s and lane position
  /// t = lane mod 4, π(16s + 2t + e) = (P/4)·t + 4s + e and
  /// π(16s + 2t + 8 + e) = (P/4)·t + 4s + 2 + e (e ∈ {0, 1}), so a lane's
  /// inputs of a row are P/4 consecutive elements, read as 16-byte vectors.
  bool directInput = false;
  /// Tensor cores, contiguous outputs, no ragged columns: each lane stores
  /// its accumulators straight to global memory, with no staging tile.
  /// The mma columns take the outputs under a permutation σ of the warp's
  /// W columns: with m = 2·nt + e and V the elements of a vector of at most
  /// 16 bytes dividing W/4, σ(8·nt + 2t + e) = (4·(m / V) + t)·V + m mod V,
  /// so each of a lane's results of a row fill whole vectors, and the four
  /// lanes of a row store neighbouring vectors.
  bool directOutput = false;
  /// Tensor cores, strided inputs at chunk 1 (each run of a row holds one
  /// element of every block of the CTA): cp.async brings the next tile into
  /// a staging buffer in shared memory in global order (no prefetch
  /// registers) while the current one is multiplied; the staged tile is then
  /// transposed in registers, V runs at a time (V = stridedVector), into the
  /// blocks' matrices with one V-element store per block (per split part),
  /// instead of one scalar store per element.
  bool asyncInput = false;
  /// Elements of `bytes` each in a vector access of a chunk-1 run (one
  /// element per block of the CTA).
  int64_t stridedVector(int64_t bytes) const {
    return vectorElements(blocksPerCTA, bytes);
  }
  /// Tiles of the input in shared memory, or parts of a direct A fragment:
  /// one, or one per split part.
  int64_t inTileParts() const { return splitInput ? splitParts : 1; }
  /// B fragments of a weight: one, or one per split part.
  int64_t weightParts() const { return splitWeights ? splitParts : 1; }
  /// Tensor cores: the weights of `cols` columns of a block that a warp
  /// keeps as B fragments (every part, the padded reduction).
  int64_t fragmentWeights(int64_t cols) const {
    return cols * mmaReduction() * weightParts();
  }
  int64_t blocksPerCTA = 0;
  int64_t warpsPerBlock = 1;
  /// Outputs of a block per CTA: Q is covered by colSlices() slices, the
  /// last one partly unused where colsPerCTA does not divide Q (tensor
  /// cores with Q not a multiple of 8).
  int64_t colsPerCTA = 0;
  int64_t rowsPerTile = 0;
  int64_t colSlices() const { return llvm::divideCeil(outSize, colsPerCTA); }
  bool raggedColumns() const { return outSize % colsPerCTA != 0; }
  /// Tensor cores: the reduction padded to whole k tiles of 16 (the input
  /// tile's extra columns are zero).
  int64_t mmaReduction() const { return llvm::alignTo(inSize, 16); }
  /// Tensor cores: B fragments of more than 4096 weights per warp, which
  /// need more than 128 registers per thread (no bound of ctas-per-sm).
  bool oneCTAPerSM = false;
  /// FMA path: lanes that share one output column, each summing
  /// `laneReduction` consecutive terms of its reduction (a multiple of
  /// fmaVector()); their sums are combined by shuffles.
  int64_t reductionLanes = 1;
  int64_t laneReduction = 0;
  /// Warps of a CTA: defaultWarps, or more for tensor-core stages with a
  /// strided side (planGpuStage's `stridedWarps`).
  int64_t warps = defaultWarps;
  static constexpr int64_t defaultWarps = 8;
  int64_t threads() const { return warps * 32; }
  /// Whether a strided side (chunks of fewer than a CTA's columns of a
  /// block) moves runs of blocksPerCTA · chunk elements per row that are
  /// shorter than a 32-byte sector.
  bool hasShortStridedRuns() const {
    auto shortRuns = [&](int64_t chunk, int64_t cols, int64_t bytes) {
      return chunk % cols != 0 && blocksPerCTA * chunk * bytes < 32;
    };
    return shortRuns(in.chunk, inSize, inElementBytes) ||
           shortRuns(out.chunk, colsPerCTA, outElementBytes);
  }
  /// CTAs of this kernel that the registers of an SM hold: 512 threads at
  /// up to 128 registers (two CTAs of 8 warps), one CTA of more.
  int64_t ctasPerSMByRegisters() const {
    return oneCTAPerSM ? 1 : std::max<int64_t>(1, 512 / threads());
  }
  /// Shared memory of an SM (sm_90), and what the hardware reserves per
  /// CTA.
  static constexpr int64_t sharedMemoryPerSM = 228 * 1024;
  static constexpr int64_t reservedSharedMemoryPerCTA = 1024;
  static int64_t ctasPerSMBySharedMemory(int64_t bytes) {
    return sharedMemoryPerSM / (bytes + reservedSharedMemoryPerCTA);
  }
  /// CTAs of this kernel that the shared memory of an SM holds.
  int64_t ctasPerSMBySharedMemory() const {
    return ctasPerSMBySharedMemory(sharedMemoryBytes());
  }

  /// Bytes of an element of the input tile in shared memory: the operand
  /// type on tensor cores (also for the parts of split inputs), the input
  /// type on the FMA path (f32 for an f32 intermediate).
  int64_t tileElementBytes() const {
    return tensorCores ? elementBytes : inElementBytes;
  }
  /// Row pitches of the tiles, padded against bank conflicts (by 16 bytes).
  int64_t inPitch() const { return paddedInSize() + 16 / tileElementBytes(); }
  /// Columns of a row of the input tile: the reduction and its padding.
  int64_t paddedInSize() const {
    return tensorCores ? mmaReduction() : reductionLanes * laneReduction;
  }
  /// Elements per vector access of the FMA path's reduction.
  int64_t fmaVector() const {
    return inSize % 4 == 0 ? 4 : inSize % 2 == 0 ? 2 : 1;
  }
  int64_t outPitch() const { return colsPerCTA + 16 / outElementBytes; }
  /// Elements between the matrices of consecutive blocks in a tile: 16
  /// bytes more than a multiple of 128, so that lanes that access
  /// neighbouring blocks at one position hit different banks.
  static int64_t blockStride(int64_t elements, int64_t elementBytes) {
    int64_t bytes = elements * elementBytes;
    int64_t padded = llvm::alignTo(bytes, 128) + 16;
    return padded / elementBytes;
  }
  int64_t inBlockStride() const {
    return blockStride(rowsPerTile * inPitch(), tileElementBytes());
  }
  int64_t outBlockStride() const {
    return blockStride(rowsPerTile * outPitch(), outElementBytes);
  }
  /// Shared memory: the input tile (none for direct inputs), the staging
  /// tile of outputs, then the staging buffer of asyncInput.
  int64_t inTileBytes() const {
    if (directInput)
      return 0;
    return inTileParts() * blocksPerCTA * inBlockStride() * tileElementBytes();
  }
  int64_t outTileBytes() const {
    if (directOutput)
      return 0;
    return blocksPerCTA * outBlockStride() * outElementBytes;
  }
  /// The cp.async staging buffer of asyncInput: a row tile in global
  /// order, its rows padded by 16 bytes (rows of a multiple of 128 bytes
  /// then start 16 bytes apart in the banks, so the transposes' accesses
  /// to eight neighbouring rows hit different banks).
  int64_t stagingPitch() const {
    return inSize * blocksPerCTA + 16 / inElementBytes;
  }
  int64_t stagingBytes() const {
    return asyncInput ? rowsPerTile * stagingPitch() * inElementBytes : 0;
  }
  int64_t sharedMemoryBytes() const {
    return inTileBytes() + outTileBytes() + stagingBytes();
  }
};

/// CTAs along the batch (the grid's y) of a kernel with `groups` CTAs per
/// row tile, where `slots` CTAs are resident at once (SMs × CTAs per SM).
/// Every CTA walks over as many row tiles as the others, so the kernel runs
/// in ceil(CTAs / slots) waves of equal CTAs: the answer is the smallest
/// count of at least one full wave whose CTAs fill their waves to 90%, else
/// the fullest within 16 waves.
int64_t rowCTAsInWholeWaves(int64_t groups, int64_t slots);

/// Which tensor-core stages with strided inputs at chunk 1 bring them in
/// by cp.async and transpose them in registers (GpuStagePlan::asyncInput).
enum class AsyncStridedInputs {
  /// Every input tile is prefetched into registers.
  None,
  /// Split f32 inputs (the exact intermediate of bf16 ops, f32 layers) of
  /// stages that read each tile once (one slice of columns): measured
  /// 1.01-1.13x faster on the H200; bf16 inputs and stages of several
  /// slices measured 0.91-1.08x.
  Split,
  /// Every stage whose shape allows it.
  All,
};

/// Plans one stage, on tensor cores where `tensorCoreType` and the shape
/// allow, else (also when no tensor-core tile shape fits) on FMAs;
/// std::nullopt when no kernel fits (a reduction too long for the FMA
/// lanes, tiles over the shared memory, chunks that do not divide the
/// block). With `directInput` and `directOutput`, tensor-core stages whose
/// shape allows it read their inputs and write their outputs without
/// shared memory (GpuStagePlan::directInput, directOutput). Tensor-core
/// stages with strided inputs at chunk 1 stage them by cp.async
/// (GpuStagePlan::asyncInput) as `asyncInputs` says, where the staging
/// buffer fits the shared memory the plan has. Tensor-core
/// stages whose strided side moves runs shorter than a sector
/// (hasShortStridedRuns) with 8 warps take CTAs of `stridedWarps` warps
/// where their blocks fill them.
std::optional<GpuStagePlan>
planGpuStage(GpuStagePlan stage, bool tensorCoreType, bool bf16Operands,
             bool directInput = false, bool directOutput = false,
             int64_t stridedWarps = GpuStagePlan::defaultWarps,
             AsyncStridedInputs asyncInputs = AsyncStridedInputs::None);

/// Where the intermediate of two stages is laid out as the second stage's
/// blocks (GpuKernelChoices::transposeIntermediate).
enum class TransposeIntermediate {
  Never,
  /// Where the intermediate is rounded to 2 bytes and the second stage's
  /// blocks have at least 64 terms: measured 1.04-1.15x faster on the H200
  /// (bf16 Monarch n=4096 and 16384, BTT rank 4), while f32
  /// intermediates and 32-term blocks measured 0.86-1.03x.
  Auto,
  Always,
};

/// The choices of convert-structured-to-gpu that shape the kernels.
struct GpuKernelChoices {
  /// The intermediate of two stages in the element type instead of f32.
  bool roundIntermediate = false;
  /// f32 stages of tensor-core shapes multiply split bf16 parts
  /// (splitWeights); without it, they use FMAs.
  bool f32TensorCores = true;
  /// The intermediate laid out as the second stage's blocks (the first
  /// stage's outputs strided, the second stage's inputs contiguous) instead
  /// of the first stage's (the reverse).
  TransposeIntermediate transposeIntermediate = TransposeIntermediate::Auto;
  /// Tensor-core stages read contiguous inputs straight from global memory
  /// where their shape allows (GpuStagePlan::directInput).
  bool directInputs = true;
  /// Tensor-core stages write contiguous outputs straight from their
  /// accumulators where their shape allows (GpuStagePlan::directOutput).
  bool directOutputs = false;
  /// Warps of a CTA of tensor-core stages whose strided side moves runs
  /// shorter than a sector (8 or 16), so of its blocks: longer runs, one
  /// CTA per SM.
  int64_t stridedWarps = 16;
  /// Stages whose strided inputs are staged by cp.async.
  AsyncStridedInputs asyncStridedInputs = AsyncStridedInputs::Split;
};

/// The stages of a blockdiag (one), monarch or btt (two) op with static
/// features and weights and f32/f16/bf16 elements; for a btt_moe, the two
/// stages of one expert's Monarch (w1[:, ρ], w2[..., ρ]), whose second
/// stage writes f32 (the gates weigh and add the experts' outputs in f32),
/// where every per-expert slice of rows and weights starts 16-byte aligned.
/// std::nullopt when the op has no GPU kernels.
std::optional<SmallVector<GpuStagePlan, 2>>
planGpuKernels(Operation *op, const GpuKernelChoices &choices = {});

/// Both stages of a `monarch` in one kernel: a CTA owns every block,
/// multiplies a row tile by the first factor into an f32 intermediate that
/// stays in shared memory (in the second stage's input layout), then by the
/// second. Needs, per stage, tensor-core shapes with at most 4096 weights
/// per block (counting every part of split weights) or FMA blocks of at
/// most 32 outputs and 64 reductions, and the three tiles of a row tile
/// (32, 16 or, without tensor cores, 8 rows) in shared memory, and no
/// padded or ragged tensor-core stage; f32 stages that do not fuse on
/// tensor cores are planned on FMAs. std::nullopt otherwise.
std::optional<std::array<GpuStagePlan, 2>>
planFusedMonarch(Operation *op, bool f32TensorCores = true);
/// Shared memory of the fused kernel: x tile, intermediate, output tile.
inline int64_t fusedSharedMemoryBytes(const std::array<GpuStagePlan, 2> &p) {
  return p[0].inTileBytes() + p[1].inTileBytes() + p[1].outTileBytes();
}

/// Whether convert-structured-to-gpu lowers `op` (with every choice of
/// intermediate and f32 arithmetic).
inline bool hasGpuKernelLowering(Operation *op) {
  if (planGpuFFTConv(op))
    return true;
  for (unsigned bits = 0; bits < 32; ++bits) {
    GpuKernelChoices choices;
    choices.roundIntermediate = bits & 1;
    choices.f32TensorCores = bits & 2;
    choices.transposeIntermediate =
        bits & 4 ? TransposeIntermediate::Always : TransposeIntermediate::Never;
    choices.directInputs = bits & 8;
    choices.directOutputs = bits & 16;
    if (!planGpuKernels(op, choices))
      return false;
  }
  return true;
}

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_ANALYSIS_COSTMODEL_GPUKERNELPLAN_H
