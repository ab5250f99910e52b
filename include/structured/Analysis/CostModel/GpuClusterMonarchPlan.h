//===- GpuClusterMonarchPlan.h - Shape of the cluster Monarch ---*- C++ -*-===//
//
// A Monarch on sm_90 as one kernel over thread-block clusters: the C CTAs
// of a cluster share a tile of rows. CTA ρ multiplies the tile by its
// first-stage blocks [8ρ, 8ρ + 8) and writes each result straight into the
// shared memory of the CTA that owns the second-stage block it feeds
// (distributed shared memory); after a cluster barrier every CTA multiplies
// its second-stage blocks [8ρ, 8ρ + 8) and writes y. x and y are the only
// global traffic: the f32 intermediate never leaves the cluster.
//
// With q = l (the first stage's outputs per block equal the second stage's
// blocks, so r = k), z[b, i·q + j] is term i of second-stage block j. A
// warp multiplies one 8-column tile j0 .. j0 + 7 of `blocksPerWarp`
// consecutive first-stage blocks i0 .. i0 + V − 1, so each of its lanes
// holds, for one row and one column j, V consecutive terms i of block j:
// one V-element store (per split part) to the owner of block j. In the
// second stage a warp multiplies one 8-column tile of V consecutive blocks
// a0 .. a0 + V − 1, whose outputs y[b, u·l + a] of one column u are V
// consecutive elements: one V-element store to global memory.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_ANALYSIS_COSTMODEL_GPUCLUSTERMONARCHPLAN_H
#define STRUCTURED_ANALYSIS_COSTMODEL_GPUCLUSTERMONARCHPLAN_H

#include "mlir/Support/LLVM.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace mlir {
class Operation;

namespace structured {

struct GpuClusterMonarchPlan {
  /// k = l blocks of both factors; p inputs and q = l outputs of a
  /// first-stage block, r = k inputs and s outputs of a second-stage one.
  int64_t blocks = 0;
  int64_t p = 0, s = 0;
  /// CTAs of a cluster, C = blocks / blocksPerCTA (2 to 8: portable
  /// clusters).
  int64_t clusterSize = 0;
  static constexpr int64_t blocksPerCTA = 8;
  /// V: blocks of a warp's column tile, so elements of its stores.
  int64_t blocksPerWarp = 8;
  /// Rows of a tile, 16 per mma row slice.
  int64_t rowsPerTile = 16;
  /// The intermediate as split bf16 parts (exact: f32 to its last bit), or
  /// rounded to the element type (one part).
  int64_t intermediateParts = 3;
  /// Bytes of an element of x, the weights and y (2: bf16 or f16).
  static constexpr int64_t elementBytes = 2;

  int64_t q() const { return blocks; }
  int64_t r() const { return blocks; }
  int64_t rowSlices() const { return rowsPerTile / 16; }
  int64_t warpGroups() const { return blocksPerCTA / blocksPerWarp; }
  /// Warps: every (row slice, block group, column tile) of the stage with
  /// more column tiles; those past the other stage's tiles idle there.
  int64_t warps() const {
    return rowSlices() * warpGroups() * (std::max(q(), s) / 8);
  }
  int64_t threads() const { return 32 * warps(); }

  /// Shared memory: two x tiles [block][row][p + 8] (one multiplied while
  /// the next one arrives) and three intermediate tiles
  /// [part][block][row][r + 8] (one filled while the previous one is
  /// multiplied, one that may still be in use by the second stage of the
  /// CTA that owns it); 8 elements of padding make ldmatrix conflict-free.
  static constexpr int64_t intermediateBuffers = 3;
  int64_t xPitch() const { return p + 8; }
  int64_t intermediatePitch() const { return r() + 8; }
  int64_t xTileElements() const {
    return blocksPerCTA * rowsPerTile * xPitch();
  }
  int64_t intermediateTileElements() const {
    return intermediateParts * blocksPerCTA * rowsPerTile * intermediatePitch();
  }
  int64_t sharedMemoryBytes() const {
    return (2 * xTileElements() +
            intermediateBuffers * intermediateTileElements()) *
           elementBytes;
  }
  /// Clusters that run at once on `smCount` SMs at one CTA per SM. A
  /// cluster takes SMs of one GPC, and the GPCs of an H100 or H200 (132
  /// SMs) hold 15 clusters of 8 CTAs, not 16 (Nsight Compute); 16, or 33
  /// of 4 CTAs, left one cluster of the walk over the batch to a second
  /// wave, doubling the time. 15/16 of the SMs is what was measured to fit
  /// (15 of 8, 30 of 4).
  int64_t concurrentClusters(int64_t smCount) const {
    return std::max<int64_t>(1, smCount * 15 / 16 / clusterSize);
  }
  /// Weight registers of a thread: the B fragments of both stages.
  int64_t weightRegisters() const {
    return blocksPerWarp * (p / 16 + r() / 16) * 2;
  }

  /// Shared memory of an SM of sm_90 that one CTA may use.
  static constexpr int64_t maxSharedMemoryBytes = 227 * 1024;
  /// Registers of a thread besides its weights (accumulators, A
  /// fragments, addresses), an estimate.
  static constexpr int64_t otherRegisters = 64;
  /// Whether the registers of a CTA fit an SM's 64 K and a thread's 255,
  /// in at most 1024 threads.
  bool fitsRegisters() const {
    int64_t perThread = weightRegisters() + otherRegisters;
    return threads() <= 1024 && perThread <= 255 &&
           threads() * perThread <= 65536;
  }
};

/// The cluster kernel of a buffer- or tensor-form `monarch` with static
/// shapes whose x, weights and y share a 2-byte element type (bf16 for an
/// exact intermediate, f16 or bf16 for a rounded one), q = l = k = 16, 32 or
/// 64 blocks (clusters of 2, 4 or 8 CTAs), p and s multiples of 16 and 8,
/// and tiles that fit shared memory and registers; std::nullopt otherwise.
std::optional<GpuClusterMonarchPlan> planClusterMonarch(Operation *op,
                                                        bool roundIntermediate);

} // namespace structured
} // namespace mlir

#endif // STRUCTURED_ANALYSIS_COSTMODEL_GPUCLUSTERMONARCHPLAN_H
