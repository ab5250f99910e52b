//===- StructuredToGPU.cpp - Block-matmul stages as GPU kernels -----------===//
//
// convert-structured-to-gpu: every stage of blockdiag, monarch and btt (see
// GpuKernelPlan.h) becomes one gpu.launch. The kernel of a stage:
//
//   CTA (blockIdx.x) = a group of blocks × a slice of their outputs;
//   warp w           = block w mod blocksPerCTA of the group (and a slice
//                      of its columns), its weights in registers;
//   for each row tile of the batch (blockIdx.y, stepping by gridDim.y):
//     1. the prefetched input tile (registers) → shared memory, one
//        row-major rows×P matrix per block (the layout's permutation is
//        undone here);                                         barrier
//     2. loads of the next row tile are issued (16-byte vectors where the
//        layout's runs allow);
//     3. each warp multiplies its block (mma.sync or FMAs) and writes the
//        outputs to a staging tile in shared memory;           barrier
//     4. the staging tile → global memory, vector stores in the output
//        layout.
//
// With direct inputs (GpuStagePlan::directInput) there is no input tile:
// each lane prefetches the inputs of its own A fragments into registers,
// and step 1 is only the barrier that lets step 3 reuse the staging tile.
// With direct outputs (directOutput) step 3 stores the accumulators to
// global memory and step 4 is gone; with both, so are the barriers.
//
// Global vector accesses assume 16-byte aligned buffers (what cuMemAlloc
// and the stream-ordered pool return); the kernels check it on entry
// (device-side assertion), and skip their body for an empty batch, so that
// no host code sits between the launches (see enterKernelGuard).
//
//===----------------------------------------------------------------------===//

#include "structured/Conversion/StructuredToGPU/StructuredToGPU.h"

#include "KernelBuilder.h"
#include "StageLaunch.h"

#include "structured/Analysis/CostModel/GpuKernelPlan.h"
#include "structured/Conversion/Passes.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Utils/GPUUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <limits>
#include <numeric>

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_CONVERTSTRUCTUREDTOGPU
#include "structured/Conversion/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

namespace {

/// How the elements of one tile (blocksPerCTA blocks × `cols` of their
/// outputs or inputs, starting at column `colBase`) lie in a row of the
/// global feature vector: as `runs` contiguous runs of `runLength` elements.
/// Either each run is a slice of one block (the chunk holds the whole slice:
/// `perBlockRuns`), or each run is one chunk of every block of the group.
/// The last slice of ragged outputs (chunk 1 or the whole block) reaches
/// past the block; its columns there are not stored.
struct TileRuns {
  int64_t blocks, groupBlocks, cols, chunk, features;
  bool perBlockRuns;
  int64_t runLength, runs;
  /// Elements per vector access (a power of two, at most 16 bytes).
  int64_t vector;

  TileRuns(const GpuStagePlan &plan, int64_t cols, int64_t chunk,
           int64_t features, int64_t elementBytes, bool ragged = false)
      : blocks(plan.blocks), groupBlocks(plan.blocksPerCTA), cols(cols),
        chunk(chunk), features(features),
        perBlockRuns(chunk % cols == 0 || (ragged && chunk > 1)) {
    runLength = perBlockRuns ? cols : groupBlocks * chunk;
    runs = groupBlocks * cols / runLength;
    // Vector accesses must not cross a run, and must stay aligned at every
    // row, run and block start.
    int64_t align = std::gcd(std::gcd(runLength, features),
                             perBlockRuns ? chunk : blocks * chunk);
    vector = vectorElements(align, elementBytes);
  }

  int64_t vectorsPerRow() const { return groupBlocks * cols / vector; }
  /// Whether the elements of one vector are consecutive in a row of their
  /// block's shared-memory matrix.
  bool sharedAccessIsVector() const {
    return perBlockRuns || chunk % vector == 0;
  }
  /// Elements of one vector that are consecutive in a row of one block's
  /// shared-memory matrix (row pitch `pitch`), so accessed as one: the
  /// whole vector, or its pieces within one chunk (scalars where the pitch
  /// would misalign them).
  int64_t sharedPiece(int64_t pitch) const {
    if (sharedAccessIsVector())
      return vector;
    int64_t piece = std::gcd(vector, chunk);
    return pitch % piece == 0 ? piece : 1;
  }
  /// Scalar shared-memory accesses of runs longer than 8 elements (chunk
  /// 1 with 16 blocks): neighbouring lanes hold vectors v = 0, 1, … of a
  /// run, and element e of vector v is in block v·V + e. Each block's
  /// matrix starts 16 bytes (mod 128) after the previous one's, so blocks
  /// 8 apart share banks, and at step e the lanes of vectors 8/V apart
  /// would conflict. Lanes whose floor(v·V/8) is odd take their elements
  /// in the order e + rotation() (mod V) instead, which puts them in other
  /// banks. 0 where no lane needs it.
  int64_t rotation() const {
    int64_t vectorsPerRun = runLength / vector;
    if (perBlockRuns || vectorsPerRun * vector <= 8)
      return 0;
    return (8 / vectorsPerRun) % vector;
  }
};

/// Emits the kernel of one stage inside a gpu.launch body.
class StageKernelEmitter : KernelBuilder {
public:
  /// `rowIndex`, when given (i32, one per row of the batch), names the row
  /// of `in` that each row of the batch reads (the outputs stay in order).
  StageKernelEmitter(OpBuilder &b, Location loc, const GpuStagePlan &plan,
                     Value in, Value weights, Value out, Value batch,
                     Value rowIndex = {})
      : KernelBuilder(b, loc), plan(plan), inType(getElementTypeOrSelf(in)),
        element(plan.splitWeights ? Type(b.getBF16Type())
                                  : getElementTypeOrSelf(weights)),
        outType(getElementTypeOrSelf(out)),
        tileType(plan.tensorCores           ? element
                 : plan.inElementBytes == 4 ? Type(b.getF32Type())
                                            : inType),
        in(in), weights(weights), out(out), batch(batch), rowIndex(rowIndex),
        inRuns(plan, plan.inSize, plan.in.chunk, plan.blocks * plan.inSize,
               plan.inElementBytes),
        outRuns(plan, plan.colsPerCTA, plan.out.chunk,
                plan.blocks * plan.outSize, plan.outElementBytes,
                plan.raggedColumns()) {}

  /// Emits the kernel at the builder's insertion point in `launch`'s body.
  void emit(gpu::LaunchOp launch);
  /// Emits both stages of a Monarch in one kernel (this is the first
  /// stage, `second` the second; see planFusedMonarch): the f32
  /// intermediate of a row tile stays in shared memory.
  void emitFused(gpu::LaunchOp launch, StageKernelEmitter &second);

private:
  /// The row of `in` that row `row` of the batch reads.
  Value inputRow(Value row) {
    if (!rowIndex)
      return row;
    Value source = memref::LoadOp::create(b, loc, rowIndex, row);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), source);
  }
  Value f32(Value v) {
    if (getElementTypeOrSelf(v).isF32())
      return v;
    return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
  }
  /// f32 `v` in the output type.
  Value narrow(Value v) {
    return outType.isF32()
               ? v
               : arith::TruncFOp::create(b, loc, outType, v).getResult();
  }
  VectorType vectorOf(int64_t n, Type type) {
    return VectorType::get({n}, type);
  }
  /// Index in a block's row-major matrix of a tile.
  Value at(Value row, Value col, int64_t pitch) {
    return add(mul(row, pitch), col);
  }
  /// Aligned vector access of `n` elements.
  Value load(Value memref, ValueRange indices, int64_t n) {
    Type type = getElementTypeOrSelf(memref);
    return vector::LoadOp::create(
        b, loc, vectorOf(n, type), memref, indices, /*nontemporal=*/false,
        llvm::MaybeAlign(n * type.getIntOrFloatBitWidth() / 8));
  }
  void store(Value value, Value memref, ValueRange indices) {
    auto type = cast<VectorType>(value.getType());
    vector::StoreOp::create(
        b, loc, value, memref, indices, /*nontemporal=*/false,
        llvm::MaybeAlign(type.getNumElements() * type.getElementTypeBitWidth() /
                         8));
  }

  /// Position of vector `j` of this thread in a tile: its row, and its first
  /// element's run and position in the run. Indices past the tile are
  /// clamped to the last vector (loaded and stored again, harmlessly).
  struct VectorSlot {
    Value row, run, pos;
  };
  VectorSlot slot(const TileRuns &runs, int64_t j) {
    int64_t total = plan.rowsPerTile * runs.vectorsPerRow();
    Value v = min(add(tid, index(j * plan.threads())), index(total - 1));
    Value first = mul(rem(v, runs.vectorsPerRow()), runs.vector);
    return {div(v, runs.vectorsPerRow()), div(first, runs.runLength),
            rem(first, runs.runLength)};
  }
  int64_t vectorsPerThread(const TileRuns &runs) {
    return llvm::divideCeil(plan.rowsPerTile * runs.vectorsPerRow(),
                            plan.threads());
  }
  /// Offset in a global row of element `pos` of run `run`.
  Value globalOffset(const TileRuns &runs, Value colBase, Value run,
                     Value pos) {
    int64_t stride = runs.blocks * runs.chunk;
    Value chunkIndex = div(colBase, runs.chunk);
    if (runs.perBlockRuns)
      return add(
          add(mul(chunkIndex, stride), mul(add(groupBase, run), runs.chunk)),
          add(rem(colBase, runs.chunk), pos));
    return add(mul(add(chunkIndex, run), stride),
               add(mul(groupBase, runs.chunk), pos));
  }
  /// Block (in the group) and column (in the tile) of element `pos` of run
  /// `run`.
  std::pair<Value, Value> sharedPosition(const TileRuns &runs, Value run,
                                         Value pos) {
    if (runs.perBlockRuns)
      return {run, pos};
    return {div(pos, runs.chunk),
            add(mul(run, runs.chunk), rem(pos, runs.chunk))};
  }

  /// Whether this thread's vector `s` takes its elements in rotated order
  /// (TileRuns::rotation); null where no vector does.
  Value rotatesElements(const TileRuns &runs, const VectorSlot &s);
  SmallVector<Value> loadInputTile(Value rowTile);
  /// Elements [first, first + size) of `vector`: a scalar for one element.
  Value piece(Value vector, int64_t first, int64_t size);
  void storeInputTile(ArrayRef<Value> vectors);
  /// Direct inputs: this lane's inputs of `rowTile`, for each 16-row slice
  /// and each of the lane's two rows in it (g and g + 8), P/4 consecutive
  /// elements of its warp's block as vectors.
  SmallVector<Value> loadDirectInputs(Value rowTile);
  /// Elements V per vector of a lane's direct outputs: at most 16 bytes,
  /// dividing its warpCols()/4 results of a row.
  int64_t directOutputVector() const {
    return vectorElements(warpCols() / 4, plan.outElementBytes);
  }
  /// Elements per vector of loadDirectInputs.
  int64_t directVector() const {
    return vectorElements(plan.inSize / 4, plan.inElementBytes);
  }
  /// The A fragment of 16-row slice `mt` and k step `kt` of `tileBlock`:
  /// the four operands of each part (one, or one per split part).
  SmallVector<SmallVector<Value, 4>> aFragment(Value tileBlock, int64_t mt,
                                               int64_t kt);
  /// The bf16 parts of f32 `value` (a scalar or a vector), whose sum is
  /// `value` exactly.
  SmallVector<Value> splitIntoParts(Value value);
  /// Stores input `value` (a scalar or a vector of consecutive columns) at
  /// `position` of `block`'s matrix of the input tile: its parts, for split
  /// inputs, else `value` in the tile's type.
  void storeToInputTile(Value value, Value block, Value position);
  /// Row of the input tile holding split part `part` of `block`'s matrix.
  Value partOfBlock(Value block, int64_t part) {
    return part ? add(block, index(part * plan.blocksPerCTA)) : block;
  }
  void storeOutputTile(Value rowTile);
  /// Whether storeOutputTile reads the staging tile two columns at a time:
  /// 2-byte tensor-core outputs at chunk 1 (a vector holds one column of
  /// V blocks), whose scalar reads would be one shared-memory access per
  /// element. One 4-byte read of a block's neighbouring columns (c, c + 1)
  /// then feeds the vectors of both columns: half the accesses.
  bool readsColumnPairs() const {
    return plan.tensorCores && plan.outElementBytes == 2 &&
           !outRuns.perBlockRuns && outRuns.chunk == 1 && outRuns.vector > 1 &&
           plan.colsPerCTA % 2 == 0 && plan.outPitch() % 2 == 0 &&
           !plan.raggedColumns();
  }
  void storeOutputTileColumnPairs(Value rowTile);
  /// Stores `vector` (of run `run`, from position `pos`, of row `row` of
  /// the tile) to global memory, unless the row is past the batch or the
  /// vector past its block (ragged columns).
  void storeOutputVector(Value rowTile, Value row, Value run, Value pos,
                         Value vector);
  /// Item `j` of this thread among `total` items of a tile dealt out to the
  /// threads in turn (threads past the last take it again), as quotient and
  /// remainder by `divisor`. Where the threads divide the items and the
  /// divisor divides the threads, the remainder is the same for every j and
  /// the quotient a constant apart.
  std::pair<Value, Value> threadItem(int64_t j, int64_t total,
                                     int64_t divisor) {
    int64_t threads = plan.threads();
    if (total % threads == 0 && threads % divisor == 0)
      return {add(div(tid, divisor), index(j * threads / divisor)),
              rem(tid, divisor)};
    Value item = min(add(tid, index(j * threads)), index(total - 1));
    return {div(item, divisor), rem(item, divisor)};
  }
  /// asyncInput: starts the cp.async copies of row tile `rowTile` into the
  /// staging buffer; their group's token.
  Value copyInputTileAsync(Value rowTile);
  /// asyncInput: the staged tile into the blocks' matrices of the input
  /// tile.
  void transposeStagedTile();
  /// Receives the f32 results at (row, col) and (row, col + 1) of the
  /// tile.
  using ResultSink =
      llvm::function_ref<void(Value row, Value col, Value first, Value second)>;
  /// The B fragments of `block` (an index into the weights), part after
  /// part for split weights.
  SmallVector<Value> loadTensorCoreWeights(Value block);
  /// Receives a lane's f32 results of row `row` of the tile, for direct
  /// outputs: its warpCols()/4 consecutive columns from (warpCols()/4) ·
  /// (lane mod 4).
  using RowSink = llvm::function_ref<void(Value row, ArrayRef<Value> values)>;
  /// Multiplies block `tileBlock` of the input tile by its B fragments;
  /// the results go to `rowSink` for direct outputs, else to `sink`.
  void computeWithTensorCores(Value tileBlock, ArrayRef<Value> fragments,
                              ResultSink sink, RowSink rowSink = {});
  /// Direct outputs: stores a lane's `values` of `row` of row tile
  /// `rowTile` to global memory.
  void storeDirectOutputRow(Value rowTile, Value row, ArrayRef<Value> values);
  /// The staging tile as the sink: block warpInGroup, in the output type.
  void storeToOutputTile(Value row, Value col, Value first, Value second);
  /// The same for one FMA result: row row0 + r, this lane's column.
  void storeFmaResultToOutputTile(Value row0, int64_t r, Value value);

  /// Thread, warp and lane of the launch.
  void setThreadIds(gpu::LaunchOp launch);
  /// A [blocks][blockStride] tile in the dynamic shared memory.
  Value sharedTile(Value shared, int64_t offset, int64_t blocks,
                   int64_t blockStride, Type type);
  /// The row tiles of the batch and this CTA's first one and stride.
  struct RowTiles {
    Value count, first, step;
  };
  RowTiles rowTiles(gpu::LaunchOp launch);
  /// Starts the walk over the row tiles: the loop, carrying the prefetched
  /// input tile, with the builder inside it after the tile has been stored
  /// to shared memory (and a barrier) and the next tile's loads issued.
  struct RowTileLoop {
    scf::ForOp loop;
    Value rowTile;
    SmallVector<Value> nextTile;
  };
  RowTileLoop beginRowTileLoop(const RowTiles &tiles);
  /// This lane's weights of `block` (one column, or its part of one).
  SmallVector<Value> loadFmaWeights(Value block);
  void zeroInputPadding();
  /// Receives the f32 result of row `row0 + r` of the tile and this lane's
  /// column (lanes past the slice do not call it).
  using FmaResultSink =
      llvm::function_ref<void(Value row0, int64_t r, Value value)>;
  void computeWithFma(Value tileBlock, ArrayRef<Value> weightsOfLane,
                      FmaResultSink sink);
  Value loadWeights(Value block, Value col, Value k, int64_t n);

  const GpuStagePlan &plan;
  /// Element types: global input, the multiplication's operands (the
  /// weights' type, or bf16 for split weights), global output and staging
  /// tile, input tile.
  Type inType, element, outType, tileType;
  Value in, weights, out, batch, rowIndex;
  TileRuns inRuns, outRuns;
  // Set up by emit(). The tiles are [block][row · pitch + column].
  Value tid, warp, lane, groupBase, colBase, inTile, outTile;
  /// asyncInput: the staging buffer, a row tile in global order
  /// ([row][stagingPitch]).
  Value stagingTile;
  /// The warp's block in the group and first column in the slice, clamped
  /// for idle warps, which load valid weights and skip the computation.
  Value warpInGroup, warpColBase;
  int64_t warpCols() const { return plan.colsPerCTA / plan.warpsPerBlock; }
  /// FMA path: first reduction index of this lane's part.
  Value reductionBase;
  /// The weights a warp keeps in registers: mma B fragments (two registers
  /// each, [part][col tile][k tile]) or one column's f32 weights.
  SmallVector<Value> weightRegisters;
  /// Direct inputs: the current row tile (loadDirectInputs).
  SmallVector<Value> directTile;
};

SmallVector<Value> StageKernelEmitter::loadInputTile(Value rowTile) {
  SmallVector<Value> vectors;
  Value lastRow = arith::SubIOp::create(b, loc, batch, index(1));
  for (int64_t j = 0, e = vectorsPerThread(inRuns); j < e; ++j) {
    VectorSlot s = slot(inRuns, j);
    Value row =
        inputRow(min(add(mul(rowTile, plan.rowsPerTile), s.row), lastRow));
    Value offset = globalOffset(inRuns, index(0), s.run, s.pos);
    vectors.push_back(load(in, {row, offset}, inRuns.vector));
  }
  return vectors;
}

SmallVector<Value> StageKernelEmitter::loadDirectInputs(Value rowTile) {
  SmallVector<Value> vectors;
  Value lastRow = arith::SubIOp::create(b, loc, batch, index(1));
  Value quad = div(lane, 4);
  int64_t run = plan.inSize / 4, vector = directVector();
  Value first = add(mul(add(groupBase, warpInGroup), plan.inSize),
                    mul(rem(lane, 4), run));
  for (int64_t mt = 0; mt < plan.rowsPerTile / 16; ++mt) {
    for (int64_t half = 0; half < 2; ++half) {
      Value row = inputRow(min(add(mul(rowTile, plan.rowsPerTile),
                                   add(quad, index(16 * mt + 8 * half))),
                               lastRow));
      for (int64_t v = 0; v < run; v += vector)
        vectors.push_back(load(in, {row, add(first, index(v))}, vector));
    }
  }
  return vectors;
}

SmallVector<Value> StageKernelEmitter::splitIntoParts(Value value) {
  return structured::splitIntoParts(b, loc, value, element,
                                    GpuStagePlan::splitParts);
}

void StageKernelEmitter::storeToInputTile(Value value, Value block,
                                          Value position) {
  SmallVector<Value> parts =
      plan.splitInput ? splitIntoParts(value) : SmallVector<Value>{value};
  for (auto [p, part] : llvm::enumerate(parts)) {
    Value tileBlock = partOfBlock(block, p);
    if (isa<VectorType>(part.getType()))
      store(part, inTile, {tileBlock, position});
    else
      memref::StoreOp::create(b, loc, part, inTile, {tileBlock, position});
  }
}

Value StageKernelEmitter::piece(Value vector, int64_t first, int64_t size) {
  if (size == cast<VectorType>(vector.getType()).getNumElements())
    return vector;
  if (size == 1)
    return vector::ExtractOp::create(b, loc, vector, first);
  return vector::ShuffleOp::create(
      b, loc, vector, vector,
      llvm::to_vector(llvm::seq<int64_t>(first, first + size)));
}

Value StageKernelEmitter::rotatesElements(const TileRuns &runs,
                                          const VectorSlot &s) {
  if (runs.rotation() == 0)
    return nullptr;
  // s.pos = v·V, the vector's first element in its run.
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                               rem(div(s.pos, 8), 2), index(1));
}

void StageKernelEmitter::storeInputTile(ArrayRef<Value> vectors) {
  int64_t size = inRuns.sharedPiece(plan.inPitch());
  for (auto [j, vector] : llvm::enumerate(vectors)) {
    VectorSlot s = slot(inRuns, j);
    // Split f32 inputs measured slower rotated (0.91x, bf16 Monarch
    // n=4096 on the H200), bf16 ones faster (1.12x).
    Value rotated =
        size == 1 && !plan.splitInput ? rotatesElements(inRuns, s) : nullptr;
    for (int64_t e = 0; e < inRuns.vector; e += size) {
      Value element = index(e);
      Value value = piece(vector, e, size);
      if (rotated) {
        int64_t r = (e + inRuns.rotation()) % inRuns.vector;
        element = arith::SelectOp::create(b, loc, rotated, index(r), element);
        value = arith::SelectOp::create(b, loc, rotated, piece(vector, r, size),
                                        value);
      }
      auto [block, col] = sharedPosition(inRuns, s.run, add(s.pos, element));
      storeToInputTile(value, block, at(s.row, col, plan.inPitch()));
    }
  }
}

void StageKernelEmitter::storeOutputTileColumnPairs(Value rowTile) {
  int64_t v = outRuns.vector;
  int64_t vectorsPerRun = outRuns.runLength / v;
  int64_t pairsPerRow = outRuns.vectorsPerRow() / 2;
  int64_t total = plan.rowsPerTile * pairsPerRow;
  // Rotated lanes (TileRuns::rotation) read block e + rotation() at step
  // e, as the scalar reads do.
  int64_t r = outRuns.rotation();
  for (int64_t j = 0, e = llvm::divideCeil(total, plan.threads()); j < e; ++j) {
    // Item: a row, a pair of runs (columns 2·p and 2·p + 1) and the first
    // block of the vectors; items past the tile repeat the last one.
    Value item = min(add(tid, index(j * plan.threads())), index(total - 1));
    Value row = div(item, pairsPerRow);
    Value inRow = rem(item, pairsPerRow);
    Value firstRun = mul(div(inRow, vectorsPerRun), 2);
    Value pos = mul(rem(inRow, vectorsPerRun), v);
    Value rotated =
        r == 0 ? Value()
               : arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                       rem(div(pos, 8), 2), index(1));
    SmallVector<Value> first(v), second(v);
    for (int64_t step = 0; step < v; ++step) {
      Value element = index(step);
      if (rotated)
        element = arith::SelectOp::create(b, loc, rotated,
                                          index((step + r) % v), element);
      auto [block, col] = sharedPosition(outRuns, firstRun, add(pos, element));
      Value pair =
          load(outTile, {block, at(row, col, plan.outPitch())}, /*n=*/2);
      first[step] = vector::ExtractOp::create(b, loc, pair, 0);
      second[step] = vector::ExtractOp::create(b, loc, pair, 1);
    }
    if (rotated) {
      SmallVector<Value> loadedFirst = first, loadedSecond = second;
      for (int64_t i = 0; i < v; ++i) {
        int64_t from = (i - r + v) % v;
        first[i] = arith::SelectOp::create(b, loc, rotated, loadedFirst[from],
                                           loadedFirst[i]);
        second[i] = arith::SelectOp::create(b, loc, rotated, loadedSecond[from],
                                            loadedSecond[i]);
      }
    }
    VectorType type = vectorOf(v, outType);
    storeOutputVector(rowTile, row, firstRun, pos,
                      vector::FromElementsOp::create(b, loc, type, first));
    storeOutputVector(rowTile, row, add(firstRun, index(1)), pos,
                      vector::FromElementsOp::create(b, loc, type, second));
  }
}

void StageKernelEmitter::storeOutputVector(Value rowTile, Value row, Value run,
                                           Value pos, Value vector) {
  Value globalRow = add(mul(rowTile, plan.rowsPerTile), row);
  Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                       globalRow, batch);
  if (plan.raggedColumns()) {
    // The block's column of the vector's first element (a vector never
    // crosses the end of a block).
    Value col = outRuns.perBlockRuns ? add(colBase, pos)
                                     : add(colBase, mul(run, outRuns.chunk));
    Value inBlock = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          col, index(plan.outSize));
    inside = arith::AndIOp::create(b, loc, inside, inBlock);
  }
  auto ifOp = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  store(vector, out, {globalRow, globalOffset(outRuns, colBase, run, pos)});
}

void StageKernelEmitter::storeOutputTile(Value rowTile) {
  if (readsColumnPairs())
    return storeOutputTileColumnPairs(rowTile);
  for (int64_t j = 0, e = vectorsPerThread(outRuns); j < e; ++j) {
    VectorSlot s = slot(outRuns, j);
    // The vector from its pieces in the staging tile (one piece when its
    // elements are consecutive there).
    int64_t size = outRuns.sharedPiece(plan.outPitch());
    // Rotated vectors load element e + rotation() at step e.
    int64_t v = outRuns.vector, r = outRuns.rotation();
    Value rotated = size == 1 ? rotatesElements(outRuns, s) : nullptr;
    auto loadPiece = [&](int64_t e) -> Value {
      Value element = index(e);
      if (rotated)
        element = arith::SelectOp::create(b, loc, rotated, index((e + r) % v),
                                          element);
      auto [block, col] = sharedPosition(outRuns, s.run, add(s.pos, element));
      SmallVector<Value, 2> indices = {block, at(s.row, col, plan.outPitch())};
      if (size == 1)
        return memref::LoadOp::create(b, loc, outTile, indices);
      return load(outTile, indices, size);
    };
    Value vector;
    if (size == v && size > 1) {
      vector = loadPiece(0);
    } else {
      SmallVector<Value> elements;
      for (int64_t e = 0; e < v; e += size) {
        Value part = loadPiece(e);
        for (int64_t i = 0; i < size; ++i)
          elements.push_back(
              size == 1 ? part : vector::ExtractOp::create(b, loc, part, i));
      }
      if (rotated) {
        SmallVector<Value> loaded = elements;
        for (int64_t i = 0; i < v; ++i)
          elements[i] = arith::SelectOp::create(
              b, loc, rotated, loaded[(i - r + v) % v], loaded[i]);
      }
      vector = vector::FromElementsOp::create(b, loc, vectorOf(v, outType),
                                              elements);
    }
    storeOutputVector(rowTile, s.row, s.run, s.pos, vector);
  }
}

Value StageKernelEmitter::copyInputTileAsync(Value rowTile) {
  int64_t v = inRuns.vector, perRun = inRuns.runLength / v;
  int64_t perRow = plan.inSize * perRun;
  int64_t total = plan.rowsPerTile * perRow;
  int64_t bytes = v * plan.inElementBytes;
  Value lastRow = arith::SubIOp::create(b, loc, batch, index(1));
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  SmallVector<Value> copies;
  // Neighbouring threads copy neighbouring vectors of a run, then of the
  // next run, to the same place in the staging buffer's row. Which rows a
  // thread copies turns with the row tile: the copies' shared-memory
  // addresses then change in every iteration, rather than being hoisted
  // out of the loop into registers of their own.
  for (int64_t j = 0, e = llvm::divideCeil(total, plan.threads()); j < e; ++j) {
    auto [itemRow, inRow] = threadItem(j, total, perRow);
    Value tileRow = rem(add(itemRow, rowTile), plan.rowsPerTile);
    Value run = div(inRow, perRun), vectorInRun = rem(inRow, perRun);
    Value row =
        inputRow(min(add(mul(rowTile, plan.rowsPerTile), tileRow), lastRow));
    Value first = mul(vectorInRun, v);
    copies.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, tokenType, stagingTile,
        ValueRange{tileRow, add(mul(run, inRuns.runLength), first)}, in,
        ValueRange{row, globalOffset(inRuns, index(0), run, first)},
        b.getIndexAttr(v), /*srcElements=*/Value(),
        bytes == 16 ? b.getUnitAttr() : UnitAttr()));
  }
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, copies);
}

void StageKernelEmitter::transposeStagedTile() {
  // A thread takes one row, V consecutive runs of it (a group) and one
  // vector position in them: V vectors, whose element e belongs to block
  // v·V + e. Transposed, each block gets V consecutive columns, stored as
  // one vector. Rows are the fastest index: with the staging rows and the
  // blocks' rows both an odd multiple of 16 bytes apart, the eight lanes of
  // a quarter-warp read and write different banks.
  int64_t v = inRuns.vector, perRun = inRuns.runLength / v;
  int64_t groups = plan.inSize / v;
  int64_t total = plan.rowsPerTile * perRun * groups;
  for (int64_t j = 0, e = llvm::divideCeil(total, plan.threads()); j < e; ++j) {
    auto [rest, tileRow] = threadItem(j, total, plan.rowsPerTile);
    Value vectorInRun = rem(rest, perRun), group = div(rest, perRun);
    Value col = mul(group, v);
    Value first = add(mul(col, inRuns.runLength), mul(vectorInRun, v));
    SmallVector<Value> runVectors;
    for (int64_t i = 0; i < v; ++i)
      runVectors.push_back(load(
          stagingTile, {tileRow, add(first, index(i * inRuns.runLength))}, v));
    for (int64_t el = 0; el < v; ++el) {
      SmallVector<Value> elements;
      for (Value runVector : runVectors)
        elements.push_back(vector::ExtractOp::create(b, loc, runVector, el));
      Value columns =
          vector::FromElementsOp::create(b, loc, vectorOf(v, inType), elements);
      Value block = add(mul(vectorInRun, v), index(el));
      storeToInputTile(columns, block, at(tileRow, col, plan.inPitch()));
    }
  }
}

Value StageKernelEmitter::loadWeights(Value block, Value col, Value k,
                                      int64_t n) {
  if (plan.weightRank == 0)
    return load(weights, {block, col, k}, n);
  // BTT's first factor w1[i, ρ, j, t] as W_i[j·R + ρ, t].
  return load(weights,
              {block, rem(col, plan.weightRank), div(col, plan.weightRank), k},
              n);
}

SmallVector<Value> StageKernelEmitter::loadTensorCoreWeights(Value block) {
  SmallVector<SmallVector<Value>> fragmentsOfPart(plan.weightParts());
  auto addPair = [&](Value pair) {
    SmallVector<Value> parts =
        plan.splitWeights ? splitIntoParts(pair) : SmallVector<Value>{pair};
    for (auto [part, value] : llvm::enumerate(parts))
      fragmentsOfPart[part].push_back(mmaOperand(b, loc, value));
  };
  // Columns past the block (ragged outputs) compute copies of its last one,
  // which are not stored; terms past the reduction (padded k tiles) get
  // zero weights (the input tile is zero there too).
  auto loadPair = [&](Value col, Value k) {
    if (plan.raggedColumns())
      col = min(col, index(plan.outSize - 1));
    if (plan.mmaReduction() == plan.inSize)
      return loadWeights(block, col, k, 2);
    Value valid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, k,
                                        index(plan.inSize));
    Value pair = loadWeights(block, col, min(k, index(plan.inSize - 2)), 2);
    Value zero =
        arith::ConstantOp::create(b, loc, b.getZeroAttr(pair.getType()));
    return arith::SelectOp::create(b, loc, valid, pair, zero).getResult();
  };
  // B[k][n] = W[n][k] is column-major: b0b1 = W[n][k..k+1], b2b3 =
  // W[n][k+8..k+9] with n = lane / 4, k = 16 · kt + 2 · (lane mod 4); for
  // direct inputs the terms π(k) = (P/4) · (lane mod 4) + 4 · kt and
  // π(k + 8) = π(k) + 2 (GpuStagePlan::directInput).
  Value quad = div(lane, 4);
  Value firstTerm = plan.directInput ? mul(rem(lane, 4), plan.inSize / 4)
                                     : mul(rem(lane, 4), 2);
  int64_t kStep = plan.directInput ? 4 : 16;
  int64_t secondPair = plan.directInput ? 2 : 8;
  // Direct outputs: mma column 8·nt + n is the warp's output σ of
  // m = 2·nt + n mod 2 and t = n / 2 (GpuStagePlan::directOutput), here
  // split into its per-tile and per-lane terms (V is even).
  int64_t v = directOutputVector();
  Value sigmaBase =
      plan.directOutput ? add(mul(div(quad, 2), v), rem(quad, 2)) : quad;
  auto tileColumn = [&](int64_t nt) {
    return plan.directOutput ? 4 * v * (2 * nt / v) + 2 * nt % v : 8 * nt;
  };
  for (int64_t nt = 0; nt < warpCols() / 8; ++nt) {
    Value col =
        add(add(colBase, warpColBase), add(index(tileColumn(nt)), sigmaBase));
    for (int64_t kt = 0; kt < plan.mmaReduction() / 16; ++kt) {
      Value k = add(firstTerm, index(kt * kStep));
      addPair(loadPair(col, k));
      addPair(loadPair(col, add(k, index(secondPair))));
    }
  }
  SmallVector<Value> fragments;
  for (ArrayRef<Value> part : fragmentsOfPart)
    llvm::append_range(fragments, part);
  return fragments;
}

void StageKernelEmitter::computeWithTensorCores(Value tileBlock,
                                                ArrayRef<Value> fragments,
                                                ResultSink sink,
                                                RowSink rowSink) {
  Value quad = div(lane, 4), pairCol = mul(rem(lane, 4), 2);
  int64_t colTiles = warpCols() / 8, kTiles = plan.mmaReduction() / 16;
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  // One 16-row slice of the tile at a time: its accumulators (4 per 8
  // columns) stay in registers across the reduction.
  for (int64_t mt = 0; mt < plan.rowsPerTile / 16; ++mt) {
    SmallVector<SmallVector<Value, 4>> acc(colTiles, {zero, zero, zero, zero});
    Value row = add(index(mt * 16), quad);
    Value row8 = add(row, index(8));
    for (int64_t kt = 0; kt < kTiles; ++kt) {
      SmallVector<SmallVector<Value, 4>> aParts = aFragment(tileBlock, mt, kt);
      // The products of parts: every A part with the weights, or, for
      // split weights, the pairs of parts whose ranks sum to less than
      // splitParts.
      int64_t fragmentsPerPart = fragments.size() / plan.weightParts();
      for (auto [aPart, a] : llvm::enumerate(aParts)) {
        for (int64_t bPart = 0; bPart < plan.weightParts(); ++bPart) {
          if (static_cast<int64_t>(aPart) + bPart >= GpuStagePlan::splitParts)
            continue;
          for (int64_t nt = 0; nt < colTiles; ++nt) {
            int64_t fragment =
                bPart * fragmentsPerPart + 2 * (nt * kTiles + kt);
            acc[nt] = mmaSync(
                b, loc, element, a,
                ValueRange{fragments[fragment], fragments[fragment + 1]},
                acc[nt]);
          }
        }
      }
    }
    // c0c1 at (row, col..col+1), c2c3 at (row + 8, col..col+1); for direct
    // outputs, column 8·nt + 2·t + e is σ of it, so the lane's pairs of a
    // row in nt order are its consecutive outputs.
    if (plan.directOutput) {
      for (auto [r, first] : {std::pair{row, 0}, std::pair{row8, 2}}) {
        SmallVector<Value> values;
        for (int64_t nt = 0; nt < colTiles; ++nt)
          llvm::append_range(values, ArrayRef(acc[nt]).slice(first, 2));
        rowSink(r, values);
      }
      continue;
    }
    for (int64_t nt = 0; nt < colTiles; ++nt) {
      Value col = add(warpColBase, add(index(nt * 8), pairCol));
      for (auto [r, first] : {std::pair{row, 0}, std::pair{row8, 2}})
        sink(r, col, acc[nt][first], acc[nt][first + 1]);
    }
  }
}

SmallVector<SmallVector<Value, 4>>
StageKernelEmitter::aFragment(Value tileBlock, int64_t mt, int64_t kt) {
  // a0a1 (row, k), a2a3 (row+8, k), a4a5 (row, k+8), a6a7 (row+8, k+8),
  // k = 16·kt + 2·(lane mod 4), row = 16·mt + lane / 4.
  int64_t parts = plan.inTileParts();
  SmallVector<SmallVector<Value, 4>> aParts(parts);
  if (plan.directInput) {
    assert(!plan.splitInput && "direct inputs are not split");
    // Terms π(k) = (P/4)·(lane mod 4) + 4·kt and π(k + 8) = π(k) + 2 are
    // elements 4·kt and 4·kt + 2 of the lane's run of each row.
    int64_t vector = directVector();
    int64_t vectorsPerRow = plan.inSize / 4 / vector;
    for (auto [half, j] :
         {std::pair{0, 0}, std::pair{1, 0}, std::pair{0, 2}, std::pair{1, 2}}) {
      int64_t element = 4 * kt + j;
      Value loaded =
          directTile[(2 * mt + half) * vectorsPerRow + element / vector];
      aParts.front().push_back(
          mmaOperand(b, loc, piece(loaded, element % vector, 2)));
    }
    return aParts;
  }
  // One ldmatrix.x4 per part of split inputs: lane l gives the address of
  // row l mod 16, columns 8·(l / 16) to +7, so the four 8×8 matrices are
  // a0a1, a2a3, a4a5, a6a7.
  Value matrixRow = add(index(mt * 16), rem(lane, 16));
  Value matrixCol = mul(div(lane, 16), 8);
  for (int64_t part = 0; part < parts; ++part) {
    Value fragment = nvgpu::LdMatrixOp::create(
        b, loc, VectorType::get({4, 2}, element), inTile,
        ValueRange{
            partOfBlock(tileBlock, part),
            at(matrixRow, add(index(kt * 16), matrixCol), plan.inPitch())},
        /*transpose=*/false, /*numTiles=*/4);
    for (int64_t i = 0; i < 4; ++i)
      aParts[part].push_back(
          mmaOperand(b, loc, vector::ExtractOp::create(b, loc, fragment, i)));
  }
  return aParts;
}

void StageKernelEmitter::storeDirectOutputRow(Value rowTile, Value row,
                                              ArrayRef<Value> values) {
  Value globalRow = add(mul(rowTile, plan.rowsPerTile), row);
  auto ifOp = scf::IfOp::create(b, loc, less(globalRow, batch),
                                /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.getThenRegion().front().getTerminator());
  // Vector j of lane t holds outputs (4·j + t)·V to +V−1 of the warp's
  // columns; block g's output n is at g·Q + n (contiguous outputs).
  int64_t vector = directOutputVector();
  Value first = add(mul(add(groupBase, warpInGroup), plan.outSize),
                    add(add(colBase, warpColBase), mul(rem(lane, 4), vector)));
  for (int64_t j = 0, e = values.size() / vector; j < e; ++j) {
    SmallVector<Value> narrowed;
    for (Value value : values.slice(j * vector, vector))
      narrowed.push_back(narrow(value));
    Value packed = vector::FromElementsOp::create(
        b, loc, vectorOf(vector, outType), narrowed);
    store(packed, out, {globalRow, add(first, index(4 * vector * j))});
  }
}

void StageKernelEmitter::storeToOutputTile(Value row, Value col, Value first,
                                           Value second) {
  Value pair = vector::FromElementsOp::create(
      b, loc, vectorOf(2, outType), ValueRange{narrow(first), narrow(second)});
  store(pair, outTile, {warpInGroup, at(row, col, plan.outPitch())});
}

SmallVector<Value> StageKernelEmitter::loadFmaWeights(Value block) {
  SmallVector<Value> weightsOfLane;
  // Lane = part of the reduction · columns per warp + column. Lanes past
  // the slice compute a copy of its last column and do not store it.
  int64_t colsPerWarp = 32 / plan.reductionLanes;
  Value col =
      add(colBase, min(rem(lane, colsPerWarp), index(plan.colsPerCTA - 1)));
  reductionBase = mul(div(lane, colsPerWarp), plan.laneReduction);
  int64_t kVector = plan.fmaVector();
  bool ragged = plan.reductionLanes * plan.laneReduction != plan.inSize;
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  for (int64_t i = 0; i < plan.laneReduction; i += kVector) {
    Value k = add(reductionBase, index(i));
    // Terms past the reduction (the last part of a ragged split) get zero
    // weights; the input tile is zero there too.
    Value valid;
    if (ragged) {
      valid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, k,
                                    index(plan.inSize));
      k = min(k, index(plan.inSize - kVector));
    }
    Value v = loadWeights(block, col, k, kVector);
    for (int64_t e = 0; e < kVector; ++e) {
      Value w = f32(vector::ExtractOp::create(b, loc, v, e));
      if (ragged)
        w = arith::SelectOp::create(b, loc, valid, w, zero);
      weightsOfLane.push_back(w);
    }
  }
  return weightsOfLane;
}

void StageKernelEmitter::zeroInputPadding() {
  int64_t padded = plan.paddedInSize();
  if (padded == plan.inSize)
    return;
  // Columns [P, padded) of every row of the input tile (of every part); the
  // tile's stores never touch them.
  int64_t width = padded - plan.inSize;
  int64_t total =
      plan.inTileParts() * plan.blocksPerCTA * plan.rowsPerTile * width;
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(tileType));
  auto loop =
      scf::ForOp::create(b, loc, tid, index(total), index(plan.threads()));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  Value i = loop.getInductionVar();
  Value col = add(rem(i, width), index(plan.inSize));
  Value row = rem(div(i, width), plan.rowsPerTile);
  Value block = div(i, width * plan.rowsPerTile);
  memref::StoreOp::create(b, loc, zero, inTile,
                          {block, at(row, col, plan.inPitch())});
}

void StageKernelEmitter::computeWithFma(Value tileBlock,
                                        ArrayRef<Value> weightsOfLane,
                                        FmaResultSink sink) {
  constexpr int64_t rowsPerStep = 4;
  int64_t kVector = plan.fmaVector();
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  auto rows = scf::ForOp::create(b, loc, index(0), index(plan.rowsPerTile),
                                 index(rowsPerStep));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(rows.getBody()->getTerminator());
  Value row0 = rows.getInductionVar();
  SmallVector<Value> acc(rowsPerStep, zero);
  for (int64_t i = 0; i < plan.laneReduction; i += kVector) {
    Value k = add(reductionBase, index(i));
    for (int64_t r = 0; r < rowsPerStep; ++r) {
      // The lanes of one part of the reduction read the same address (a
      // shared-memory broadcast).
      Value x =
          load(inTile, {tileBlock, at(add(row0, index(r)), k, plan.inPitch())},
               kVector);
      // llvm.intr.fma: math.fma would become a libdevice call.
      for (int64_t e = 0; e < kVector; ++e)
        acc[r] = LLVM::FMAOp::create(
            b, loc, f32(vector::ExtractOp::create(b, loc, x, e)),
            weightsOfLane[i + e], acc[r]);
    }
  }
  // Sum the parts: lanes that share a column differ in the high lane bits.
  int64_t colsPerWarp = 32 / plan.reductionLanes;
  Value width = arith::ConstantIntOp::create(b, loc, b.getI32Type(), 32);
  for (int64_t offset = 16; offset >= colsPerWarp; offset /= 2) {
    Value distance =
        arith::ConstantIntOp::create(b, loc, b.getI32Type(), offset);
    for (Value &sum : acc) {
      Value other = gpu::ShuffleOp::create(b, loc, sum, distance, width,
                                           gpu::ShuffleMode::XOR)
                        .getShuffleResult();
      sum = arith::AddFOp::create(b, loc, sum, other);
    }
  }
  Value active = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, lane,
                                       index(plan.colsPerCTA));
  auto ifOp = scf::IfOp::create(b, loc, active, /*withElseRegion=*/false);
  b.setInsertionPoint(ifOp.getThenRegion().front().getTerminator());
  for (int64_t r = 0; r < rowsPerStep; ++r)
    sink(row0, r, acc[r]);
}

void StageKernelEmitter::storeFmaResultToOutputTile(Value row0, int64_t r,
                                                    Value value) {
  Value narrowed = narrow(value);
  memref::StoreOp::create(
      b, loc, narrowed, outTile,
      {warpInGroup, at(add(row0, index(r)), lane, plan.outPitch())});
}

void StageKernelEmitter::setThreadIds(gpu::LaunchOp launch) {
  tid = launch.getThreadIds().x;
  warp = div(tid, 32);
  lane = rem(tid, 32);
}

Value StageKernelEmitter::sharedTile(Value shared, int64_t offset,
                                     int64_t blocks, int64_t blockStride,
                                     Type type) {
  auto tile =
      MemRefType::get({blocks, blockStride}, type, AffineMap(),
                      cast<MemRefType>(shared.getType()).getMemorySpace());
  return memref::ViewOp::create(b, loc, tile, shared, index(offset),
                                ValueRange{});
}

StageKernelEmitter::RowTiles
StageKernelEmitter::rowTiles(gpu::LaunchOp launch) {
  Value count =
      arith::CeilDivUIOp::create(b, loc, batch, index(plan.rowsPerTile));
  return {count, launch.getBlockIds().y, launch.getGridSize().y};
}

StageKernelEmitter::RowTileLoop
StageKernelEmitter::beginRowTileLoop(const RowTiles &tiles) {
  if (plan.asyncInput) {
    // Copies of the next tile are in flight during the computation; the
    // loop carries their group's token.
    auto loop = scf::ForOp::create(b, loc, tiles.first, tiles.count, tiles.step,
                                   ValueRange{copyInputTileAsync(tiles.first)});
    b.setInsertionPointToStart(loop.getBody());
    Value rowTile = loop.getInductionVar();
    nvgpu::DeviceAsyncWaitOp::create(b, loc, loop.getRegionIterArgs().front(),
                                     /*numGroups=*/IntegerAttr());
    gpu::BarrierOp::create(b, loc);
    transposeStagedTile();
    gpu::BarrierOp::create(b, loc);
    Value next = add(rowTile, tiles.step);
    Type tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
    auto ifOp =
        scf::IfOp::create(b, loc, TypeRange{tokenType}, less(next, tiles.count),
                          /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      scf::YieldOp::create(b, loc, copyInputTileAsync(next));
      b.setInsertionPointToStart(&ifOp.getElseRegion().front());
      scf::YieldOp::create(b, loc,
                           Value(nvgpu::DeviceAsyncCreateGroupOp::create(
                               b, loc, tokenType, ValueRange{})));
    }
    return {loop, rowTile, {ifOp.getResult(0)}};
  }
  auto loadTile = [&](Value rowTile) {
    return plan.directInput ? loadDirectInputs(rowTile)
                            : loadInputTile(rowTile);
  };
  SmallVector<Value> prefetched = loadTile(tiles.first);
  auto loop = scf::ForOp::create(b, loc, tiles.first, tiles.count, tiles.step,
                                 prefetched);
  b.setInsertionPointToStart(loop.getBody());
  Value rowTile = loop.getInductionVar();
  auto current = llvm::to_vector_of<Value>(loop.getRegionIterArgs());
  if (plan.directInput)
    directTile = current;
  else
    storeInputTile(current);
  if (plan.sharedMemoryBytes() > 0)
    gpu::BarrierOp::create(b, loc);
  // The next tile's loads are in flight during the computation.
  Value next = min(add(rowTile, tiles.step),
                   arith::SubIOp::create(b, loc, tiles.count, index(1)));
  return {loop, rowTile, loadTile(next)};
}

void StageKernelEmitter::emit(gpu::LaunchOp launch) {
  setThreadIds(launch);
  int64_t colSlices = plan.colSlices();
  groupBase = mul(div(launch.getBlockIds().x, colSlices), plan.blocksPerCTA);
  colBase = mul(rem(launch.getBlockIds().x, colSlices), plan.colsPerCTA);

  // Shared memory: the input tile, then the output staging tile.
  Value shared = dynamicSharedMemory();
  if (!plan.directInput)
    inTile = sharedTile(shared, 0, plan.inTileParts() * plan.blocksPerCTA,
                        plan.inBlockStride(), tileType);
  if (!plan.directOutput)
    outTile = sharedTile(shared, plan.inTileBytes(), plan.blocksPerCTA,
                         plan.outBlockStride(), outType);
  if (plan.asyncInput)
    stagingTile = sharedTile(shared, plan.inTileBytes() + plan.outTileBytes(),
                             plan.rowsPerTile, plan.stagingPitch(), inType);

  RowTiles tiles = rowTiles(launch);
  int64_t activeWarps = plan.blocksPerCTA * plan.warpsPerBlock;
  Value warpActive = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           warp, index(activeWarps));
  Value clamped = min(warp, index(activeWarps - 1));
  warpInGroup = rem(clamped, plan.blocksPerCTA);
  warpColBase = mul(div(clamped, plan.blocksPerCTA), warpCols());
  if (plan.tensorCores)
    weightRegisters = loadTensorCoreWeights(add(groupBase, warpInGroup));
  else
    weightRegisters = loadFmaWeights(add(groupBase, warpInGroup));

  zeroInputPadding();
  OpBuilder::InsertionGuard guard(b);
  RowTileLoop walk = beginRowTileLoop(tiles);
  auto compute = scf::IfOp::create(b, loc, warpActive, false);
  {
    OpBuilder::InsertionGuard computeGuard(b);
    b.setInsertionPoint(compute.getThenRegion().front().getTerminator());
    if (plan.tensorCores)
      computeWithTensorCores(
          warpInGroup, weightRegisters,
          [&](Value row, Value col, Value first, Value second) {
            storeToOutputTile(row, col, first, second);
          },
          [&](Value row, ArrayRef<Value> values) {
            storeDirectOutputRow(walk.rowTile, row, values);
          });
    else
      computeWithFma(warpInGroup, weightRegisters,
                     [&](Value row0, int64_t r, Value value) {
                       storeFmaResultToOutputTile(row0, r, value);
                     });
  }
  // The next iteration writes the input tile (and the staging tile) only
  // after its first barrier, which every thread reaches after these
  // stores: two barriers suffice. Direct outputs need the second one only
  // to keep the next input tile from overwriting this one.
  if (!plan.directOutput) {
    gpu::BarrierOp::create(b, loc);
    storeOutputTile(walk.rowTile);
  } else if (!plan.directInput) {
    gpu::BarrierOp::create(b, loc);
  }
  scf::YieldOp::create(b, loc, walk.nextTile);
}

void StageKernelEmitter::emitFused(gpu::LaunchOp launch,
                                   StageKernelEmitter &second) {
  setThreadIds(launch);
  Value zero = index(0);
  // One CTA owns every block of both stages.
  for (StageKernelEmitter *stage : {this, &second}) {
    stage->tid = tid;
    stage->warp = warp;
    stage->lane = lane;
    stage->groupBase = stage->colBase = stage->warpColBase = zero;
  }

  // Shared memory: the x tile (first stage's blocks), the f32 intermediate
  // in the second stage's input layout, the output staging tile.
  Value shared = dynamicSharedMemory();
  const GpuStagePlan &next = second.plan;
  inTile = sharedTile(shared, 0, plan.inTileParts() * plan.blocks,
                      plan.inBlockStride(), tileType);
  second.inTile =
      sharedTile(shared, plan.inTileBytes(), next.inTileParts() * next.blocks,
                 next.inBlockStride(), second.tileType);
  second.outTile =
      sharedTile(shared, plan.inTileBytes() + next.inTileBytes(), next.blocks,
                 next.outBlockStride(), second.outType);

  OpBuilder::InsertionGuard guard(b);
  RowTileLoop walk = beginRowTileLoop(rowTiles(launch));

  // Warp w computes blocks w, w + 8, ... of a stage; their weights are
  // loaded (from L2) for each row tile.
  auto forEachBlock = [&](int64_t blocks, auto body) {
    auto loop =
        scf::ForOp::create(b, loc, warp, index(blocks), index(plan.warps));
    OpBuilder::InsertionGuard blockGuard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    body(loop.getInductionVar());
  };
  // First stage: z[b, i·q + j] goes to element (row, c) of block a of the
  // second stage's input, with i·q + j = c·l + a.
  int64_t l = next.blocks;
  forEachBlock(plan.blocks, [&](Value block) {
    auto toIntermediate = [&](Value row, Value col, Value value) {
      Value m = add(mul(block, plan.outSize), col);
      second.storeToInputTile(value, rem(m, l),
                              at(row, div(m, l), next.inPitch()));
    };
    if (plan.tensorCores) {
      SmallVector<Value> fragments = loadTensorCoreWeights(block);
      computeWithTensorCores(
          block, fragments, [&](Value row, Value col, Value first, Value last) {
            toIntermediate(row, col, first);
            toIntermediate(row, add(col, index(1)), last);
          });
    } else {
      SmallVector<Value> weightsOfLane = loadFmaWeights(block);
      computeWithFma(block, weightsOfLane,
                     [&](Value row0, int64_t r, Value value) {
                       toIntermediate(add(row0, index(r)), lane, value);
                     });
    }
  });
  gpu::BarrierOp::create(b, loc);
  forEachBlock(next.blocks, [&](Value block) {
    second.warpInGroup = block;
    if (next.tensorCores) {
      SmallVector<Value> fragments = second.loadTensorCoreWeights(block);
      second.computeWithTensorCores(
          block, fragments, [&](Value row, Value col, Value first, Value last) {
            second.storeToOutputTile(row, col, first, last);
          });
    } else {
      SmallVector<Value> weightsOfLane = second.loadFmaWeights(block);
      second.computeWithFma(block, weightsOfLane,
                            [&](Value row0, int64_t r, Value value) {
                              second.storeFmaResultToOutputTile(row0, r, value);
                            });
    }
  });
  gpu::BarrierOp::create(b, loc);
  // The next iteration writes the x tile after its first barrier and the
  // intermediate after its second, which every thread reaches after these
  // stores and after the second stage's reads.
  second.storeOutputTile(walk.rowTile);
  scf::YieldOp::create(b, loc, walk.nextTile);
}

} // namespace

namespace {

/// A launch of `groups` × `gridY` × `gridZ` CTAs of `plan`'s threads, with
/// `sharedBytes` of dynamic shared memory, named `name`; `tensorCoreCTAs`
/// (the CTAs shared memory and registers allow per SM) marks tensor-core
/// kernels. The builder is left at the start of the body, which the caller
/// fills before calling finishLaunch().
static gpu::LaunchOp createTileLaunch(OpBuilder &b, Location loc,
                                      const GpuStagePlan &plan, int64_t groups,
                                      Value gridY, int64_t sharedBytes,
                                      StringRef name,
                                      std::optional<int64_t> tensorCoreCTAs,
                                      int64_t gridZ = 1) {
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value shared =
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), sharedBytes);
  Value one = index(1);
  auto launch =
      gpu::LaunchOp::create(b, loc, index(groups), gridY, index(gridZ),
                            index(plan.threads()), one, one, shared);
  launch->setAttr(kGpuKernelNameAttr, b.getStringAttr(name));
  if (tensorCoreCTAs)
    launch->setAttr(kGpuOccupancyCTAsAttr,
                    b.getI64IntegerAttr(*tensorCoreCTAs));
  b.setInsertionPointToStart(&launch.getBody().front());
  return launch;
}

/// CTAs over the row tiles, for `groups` CTAs per row tile and two CTAs per
/// SM (one when a CTA needs more than half the shared memory or, on tensor
/// cores, more registers), in nearly full waves.
static int64_t rowCTAs(const GpuKernelOptions &options, int64_t groups,
                       int64_t ctasPerSMLimit) {
  int64_t ctasPerSM =
      std::max<int64_t>(1, std::min<int64_t>(2, ctasPerSMLimit));
  return rowCTAsInWholeWaves(groups, options.smCount * ctasPerSM);
}

/// The launch of one stage's kernel over `rows` rows, for `groups` groups
/// along z (1, or btt_moe's experts, which share the CTAs of whole waves:
/// the column groups of all of them per row tile), with the builder at the
/// start of its body.
static gpu::LaunchOp createStageLaunch(OpBuilder &b, Location loc,
                                       const GpuStagePlan &plan, Value rows,
                                       const GpuKernelOptions &options,
                                       StringRef name, int64_t groups = 1) {
  int64_t columnGroups = (plan.blocks / plan.blocksPerCTA) * plan.colSlices();
  int64_t ctas =
      std::min(plan.ctasPerSMBySharedMemory(), plan.ctasPerSMByRegisters());
  return createTileLaunch(
      b, loc, plan, columnGroups,
      rowGrid(b, loc, plan.rowsPerTile, rows,
              rowCTAs(options, columnGroups * groups, ctas)),
      plan.sharedMemoryBytes(), name,
      plan.tensorCores ? std::optional<int64_t>(ctas) : std::nullopt, groups);
}

} // namespace

void structured::launchStage(OpBuilder &b, Location loc,
                             const GpuStagePlan &plan, Value in, Value weights,
                             Value out, Value batch,
                             const GpuKernelOptions &options, StringRef name) {
  OpBuilder::InsertionGuard guard(b);
  gpu::LaunchOp launch = createStageLaunch(b, loc, plan, batch, options, name);
  enterKernelGuard(b, loc, isNonEmpty(b, loc, batch), {in, weights, out});
  StageKernelEmitter(b, loc, plan, in, weights, out, batch).emit(launch);
  finishLaunch(b, loc, launch);
}

/// Launches both stages of a Monarch as one kernel (planFusedMonarch).
static void launchFusedStages(OpBuilder &b, Location loc,
                              const std::array<GpuStagePlan, 2> &plans,
                              Value in, Value w1, Value w2, Value out,
                              Value batch, const GpuKernelOptions &options,
                              StringRef name) {
  int64_t sharedBytes = fusedSharedMemoryBytes(plans);
  int64_t ctas = GpuStagePlan::ctasPerSMBySharedMemory(sharedBytes);
  bool tensorCores = plans[0].tensorCores || plans[1].tensorCores;
  OpBuilder::InsertionGuard guard(b);
  gpu::LaunchOp launch = createTileLaunch(
      b, loc, plans[0], /*groups=*/1,
      rowGrid(b, loc, plans[0].rowsPerTile, batch,
              rowCTAs(options, /*groups=*/1, ctas)),
      sharedBytes, name,
      tensorCores ? std::optional<int64_t>(std::max<int64_t>(1, ctas))
                  : std::nullopt);
  enterKernelGuard(b, loc, isNonEmpty(b, loc, batch), {in, w1, w2, out});
  StageKernelEmitter second(b, loc, plans[1], in, w2, out, batch);
  StageKernelEmitter(b, loc, plans[0], in, w1, out, batch)
      .emitFused(launch, second);
  finishLaunch(b, loc, launch);
}

void structured::launchGroupedStage(OpBuilder &b, Location loc,
                                    const GpuStagePlan &plan, Value in,
                                    Value weights, Value out, Value meta,
                                    int64_t groups, Value rowBound,
                                    const GpuKernelOptions &options,
                                    StringRef name, Value rowIndex) {
  OpBuilder::InsertionGuard guard(b);
  gpu::LaunchOp launch =
      createStageLaunch(b, loc, plan, rowBound, options, name, groups);
  KernelBuilder kb(b, loc);
  Value group = launch.getBlockIds().z;
  auto loadRow = [&](Value position) -> Value {
    Value value = memref::LoadOp::create(b, loc, meta, position);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
  };
  Value count = loadRow(group);
  Value start = loadRow(kb.add(group, kb.index(groups)));
  // CTAs without a row tile of their group (all of them for a group
  // without rows) do nothing.
  Value firstRow = kb.mul(launch.getBlockIds().y, plan.rowsPerTile);
  enterKernelGuard(b, loc, kb.less(firstRow, count));
  Value groupOut = rowSlice(b, loc, out, start, count);
  Value groupIn = in, groupRows;
  if (rowIndex)
    groupRows = rowSlice(b, loc, rowIndex, start, count);
  else
    groupIn = rowSlice(b, loc, in, start, count);
  Value groupWeights = leadingSlice(b, loc, weights, group);
  assertAlignedOnDevice(b, loc, {groupIn, groupWeights, groupOut});
  StageKernelEmitter(b, loc, plan, groupIn, groupWeights, groupOut, count,
                     groupRows)
      .emit(launch);
  finishLaunch(b, loc, launch);
}

Value structured::rowSlice(OpBuilder &b, Location loc, Value buffer,
                           Value start, Value count) {
  auto type = cast<MemRefType>(buffer.getType());
  SmallVector<OpFoldResult> offsets = {start}, sizes = {count},
                            strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t size : type.getShape().drop_front()) {
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(b.getIndexAttr(size));
  }
  return memref::SubViewOp::create(b, loc, buffer, offsets, sizes, strides);
}

Value structured::leadingSlice(OpBuilder &b, Location loc, Value buffer,
                               Value position) {
  auto type = cast<MemRefType>(buffer.getType());
  SmallVector<OpFoldResult> offsets = {position}, sizes = {b.getIndexAttr(1)},
                            strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t size : type.getShape().drop_front()) {
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(b.getIndexAttr(size));
  }
  auto sliceType = memref::SubViewOp::inferRankReducedResultType(
      type.getShape().drop_front(), type, offsets, sizes, strides);
  return memref::SubViewOp::create(b, loc, sliceType, buffer, offsets, sizes,
                                   strides);
}

std::string structured::kernelBaseName(Operation *op) {
  std::string name = op->getName().stripDialect().str();
  if (auto func = op->getParentOfType<FunctionOpInterface>())
    name = (func.getName() + "_" + name).str();
  return name;
}

Value structured::identityLayout(OpBuilder &b, Location loc, Value value,
                                 bool copyIn,
                                 SmallVectorImpl<Value> &temporaries,
                                 bool forceCopy) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getLayout().isIdentity() && !forceCopy)
    return value;
  SmallVector<Value> dynamicSizes;
  for (auto [d, size] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(size))
      dynamicSizes.push_back(memref::DimOp::create(b, loc, value, d));
  Value buffer = memref::AllocOp::create(
      b, loc,
      MemRefType::get(type.getShape(), type.getElementType(), AffineMap(),
                      type.getMemorySpace()),
      dynamicSizes);
  if (copyIn)
    memref::CopyOp::create(b, loc, value, buffer);
  temporaries.push_back(buffer);
  return buffer;
}

SmallVector<Value> structured::splitIntoParts(OpBuilder &b, Location loc,
                                              Value value, Type partElement,
                                              int64_t count) {
  Type partType = partElement;
  if (auto vectorType = dyn_cast<VectorType>(value.getType()))
    partType = vectorType.clone(partElement);
  Type type = value.getType();
  auto constant = [&](double v) -> Value {
    TypedAttr attr = b.getF32FloatAttr(v);
    if (auto vectorType = dyn_cast<VectorType>(type))
      attr = SplatElementsAttr::get(vectorType, attr);
    return arith::ConstantOp::create(b, loc, attr);
  };
  SmallVector<Value> parts;
  for (int64_t part = 0; part < count; ++part) {
    Value rounded = arith::TruncFOp::create(b, loc, partType, value);
    parts.push_back(rounded);
    if (part + 1 == count)
      break;
    Value back = arith::ExtFOp::create(b, loc, type, rounded);
    value = arith::SubFOp::create(b, loc, value, back);
    if (part == 0) {
      // ±inf, and values past bf16's largest, round to ±inf: their other
      // parts are zero, so the sum is ±inf (as in f32), not NaN.
      double inf = std::numeric_limits<double>::infinity();
      Value infinite = arith::OrIOp::create(
          b, loc,
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, back,
                                constant(inf)),
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, back,
                                constant(-inf)));
      value = arith::SelectOp::create(b, loc, infinite, constant(0), value);
    }
  }
  return parts;
}

SmallVector<Value, 4> structured::mmaSync(OpBuilder &b, Location loc,
                                          Type elementType, ValueRange a,
                                          ValueRange bFragment,
                                          ValueRange acc) {
  NVVM::MMATypes ptxType =
      elementType.isBF16() ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
  Type f32Type = b.getF32Type();
  auto resultType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), {f32Type, f32Type, f32Type, f32Type});
  Value d = NVVM::MmaOp::create(
      b, loc, resultType, a, bFragment, acc, {16, 8, 16}, std::nullopt,
      std::nullopt, std::array<NVVM::MMATypes, 2>{ptxType, ptxType},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  SmallVector<Value, 4> results;
  for (int64_t i = 0; i < 4; ++i)
    results.push_back(LLVM::ExtractValueOp::create(b, loc, d, i));
  return results;
}

Value structured::mmaOperand(OpBuilder &b, Location loc, Value pair) {
  if (!cast<VectorType>(pair.getType()).getElementType().isBF16())
    return pair;
  return LLVM::BitcastOp::create(b, loc, b.getI32Type(), pair);
}

Value structured::rowGrid(OpBuilder &b, Location loc, int64_t rowsPerTile,
                          Value rows, int64_t rowCTAs) {
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value rowTiles = arith::CeilDivUIOp::create(b, loc, rows, index(rowsPerTile));
  return arith::MaxUIOp::create(
      b, loc, arith::MinUIOp::create(b, loc, rowTiles, index(rowCTAs)),
      index(1));
}

Value structured::isNonEmpty(OpBuilder &b, Location loc, Value rows) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, rows,
                               arith::ConstantIndexOp::create(b, loc, 0));
}

void structured::finishLaunch(OpBuilder &b, Location loc,
                              gpu::LaunchOp launch) {
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointAfter(launch);
}

void structured::enterKernelGuard(OpBuilder &b, Location loc, Value condition,
                                  ValueRange alignedBuffers) {
  auto ifOp = scf::IfOp::create(b, loc, condition, /*withElseRegion=*/false);
  b.setInsertionPoint(ifOp.getThenRegion().front().getTerminator());
  if (!alignedBuffers.empty())
    assertAlignedOnDevice(b, loc, alignedBuffers);
}

void structured::assertAlignedOnDevice(OpBuilder &b, Location loc,
                                       ValueRange buffers) {
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value aligned;
  for (Value buffer : buffers) {
    auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
    int64_t elementBytes =
        getElementTypeOrSelf(buffer).getIntOrFloatBitWidth() / 8;
    Value address = arith::AddIOp::create(
        b, loc, memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer),
        arith::MulIOp::create(b, loc, metadata.getOffset(),
                              index(elementBytes)));
    Value ok = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(b, loc, address, index(16)), index(0));
    aligned = aligned ? arith::AndIOp::create(b, loc, aligned, ok) : ok;
  }
  cf::AssertOp::create(b, loc, aligned,
                       "structured GPU kernels need buffers aligned to 16 "
                       "bytes");
}

Value structured::asRowMatrix(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() == 2)
    return value;
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t d = 0; d + 1 < type.getRank(); ++d)
    groups[0].push_back(d);
  groups[1].push_back(type.getRank() - 1);
  return memref::CollapseShapeOp::create(b, loc, value, groups);
}

namespace {

template <typename OpTy> struct LowerToGpuKernels : OpRewritePattern<OpTy> {
  LowerToGpuKernels(MLIRContext *context, const GpuKernelOptions &options)
      : OpRewritePattern<OpTy>(context), options(options) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MemRefType>(op.getX().getType()))
      return rewriter.notifyMatchFailure(op, "not on buffers");
    std::optional<SmallVector<GpuStagePlan, 2>> plans =
        planGpuKernels(op, options.choices);
    if (!plans)
      return rewriter.notifyMatchFailure(op, "no GPU kernel for this shape");
    Location loc = op.getLoc();
    SmallVector<Value> temporaries;
    // An in-place blockdiag would let one CTA overwrite the inputs of
    // another: read x from a copy.
    bool inPlace = op.getX() == op.getInit();
    Value x = identityLayout(rewriter, loc, op.getX(), true, temporaries,
                             /*forceCopy=*/inPlace);
    Value init =
        identityLayout(rewriter, loc, op.getInit(), false, temporaries);
    SmallVector<Value, 2> weights;
    if constexpr (std::is_same_v<OpTy, BlockDiagOp>) {
      weights.push_back(op.getW());
    } else {
      weights.push_back(op.getW1());
      weights.push_back(op.getW2());
    }
    for (Value &weight : weights)
      weight = identityLayout(rewriter, loc, weight, true, temporaries);
    // BTT's second factor w2[a, u, c, ρ] is W_a[u, c·R + ρ].
    if constexpr (std::is_same_v<OpTy, BTTOp>)
      weights[1] = memref::CollapseShapeOp::create(
          rewriter, loc, weights[1],
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});

    Value in = asRowMatrix(rewriter, loc, x);
    Value out = asRowMatrix(rewriter, loc, init);
    // No host branch on an empty batch (the kernels guard themselves).
    Value batch = memref::DimOp::create(rewriter, loc, in, 0);
    std::string kernelName = kernelBaseName(op);
    std::optional<std::array<GpuStagePlan, 2>> fused;
    std::optional<GpuClusterMonarchPlan> cluster;
    if constexpr (std::is_same_v<OpTy, MonarchOp>) {
      if (options.clusterStages)
        cluster = planClusterMonarch(op, options.choices.roundIntermediate);
      if (!cluster && options.fuseStages && !options.choices.roundIntermediate)
        fused = planFusedMonarch(op, options.choices.f32TensorCores);
    }
    if (cluster) {
      launchClusterMonarch(rewriter, loc, *cluster, in, weights[0], weights[1],
                           out, batch, options, kernelName);
    } else if (fused) {
      launchFusedStages(rewriter, loc, *fused, in, weights[0], weights[1], out,
                        batch, options, kernelName);
    } else if (plans->size() == 1) {
      launchStage(rewriter, loc, (*plans)[0], in, weights[0], out, batch,
                  options, kernelName);
    } else {
      const GpuStagePlan &first = (*plans)[0];
      Type intermediateType = options.choices.roundIntermediate
                                  ? getElementTypeOrSelf(op.getX().getType())
                                  : Type(rewriter.getF32Type());
      Value intermediate = memref::AllocOp::create(
          rewriter, loc,
          MemRefType::get({ShapedType::kDynamic, first.blocks * first.outSize},
                          intermediateType),
          ValueRange{batch});
      launchStage(rewriter, loc, first, in, weights[0], intermediate, batch,
                  options, kernelName + "_stage1");
      launchStage(rewriter, loc, (*plans)[1], intermediate, weights[1], out,
                  batch, options, kernelName + "_stage2");
      memref::DeallocOp::create(rewriter, loc, intermediate);
    }
    if (init != op.getInit())
      memref::CopyOp::create(rewriter, loc, init, op.getInit());
    for (Value temporary : temporaries)
      memref::DeallocOp::create(rewriter, loc, temporary);
    rewriter.eraseOp(op);
    return success();
  }

  GpuKernelOptions options;
};

struct ConvertStructuredToGPUPass
    : structured::impl::ConvertStructuredToGPUBase<ConvertStructuredToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (smCount <= 0) {
      getOperation()->emitError()
          << "sm-count must be positive, got " << static_cast<int64_t>(smCount);
      return signalPassFailure();
    }
    if (stridedWarps != 8 && stridedWarps != 16) {
      getOperation()->emitError() << "strided-warps must be 8 or 16, got "
                                  << static_cast<int64_t>(stridedWarps);
      return signalPassFailure();
    }
    GpuKernelOptions options;
    options.smCount = smCount;
    options.choices.roundIntermediate = roundIntermediate;
    options.choices.f32TensorCores = f32TensorCores;
    FailureOr<TransposeIntermediate> transpose =
        parseChoice<TransposeIntermediate>(
            "transpose-intermediate", transposeIntermediate,
            {{"false", TransposeIntermediate::Never},
             {"auto", TransposeIntermediate::Auto},
             {"true", TransposeIntermediate::Always}});
    FailureOr<AsyncStridedInputs> async = parseChoice<AsyncStridedInputs>(
        "async-strided-inputs", asyncStridedInputs,
        {{"none", AsyncStridedInputs::None},
         {"split", AsyncStridedInputs::Split},
         {"all", AsyncStridedInputs::All}});
    if (failed(transpose) || failed(async))
      return signalPassFailure();
    options.choices.transposeIntermediate = *transpose;
    options.choices.directInputs = directInputs;
    options.choices.directOutputs = directOutputs;
    options.choices.stridedWarps = stridedWarps;
    options.choices.asyncStridedInputs = *async;
    options.fuseStages = fuseStages;
    options.clusterStages = clusterStages;
    options.runtimeChecks = runtimeChecks;
    RewritePatternSet patterns(&getContext());
    populateStructuredToGPUPatterns(patterns, options);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    for (auto [option, value] :
         {std::pair{"ctas-per-sm", int64_t(ctasPerSM)},
          std::pair{"fft-ctas-per-sm", int64_t(fftCtasPerSM)}}) {
      if (value < 0) {
        getOperation()->emitError()
            << option << " must not be negative, got " << value;
        return signalPassFailure();
      }
    }
    if (ctasPerSM > 0 || fftCtasPerSM > 0)
      outlineWithOccupancy();
  }

  /// The choice named `value` of string option `option`; an error listing
  /// the names where none matches.
  template <typename Choice>
  FailureOr<Choice>
  parseChoice(StringRef option, StringRef value,
              ArrayRef<std::pair<StringRef, Choice>> choices) {
    for (auto [name, choice] : choices)
      if (name == value)
        return choice;
    InFlightDiagnostic diag = getOperation()->emitError()
                              << option << " must be ";
    for (auto [i, choice] : llvm::enumerate(choices))
      diag << (i == 0                    ? ""
               : i + 1 == choices.size() ? " or "
                                         : ", ")
           << choice.first;
    diag << ", got '" << value << "'";
    return failure();
  }

  /// Inserts `kernel` into `kernelModule` with copies of the symbols of
  /// `symbols` that it refers to (the FFT kernels' twiddle table), as
  /// gpu-kernel-outlining does, but public: LLVM takes a private global that
  /// is never stored for a constant, and then kept the forward FFT's
  /// twiddles in registers through the inverse's (hundreds of bytes of
  /// spills at L = 4096).
  static void copyReferencedSymbols(gpu::GPUFuncOp kernel,
                                    gpu::GPUModuleOp kernelModule,
                                    SymbolTable &symbols) {
    SymbolTable kernelSymbols(kernelModule);
    kernelSymbols.insert(kernel);
    SmallVector<Operation *> worklist = {kernel};
    while (!worklist.empty()) {
      std::optional<SymbolTable::UseRange> uses =
          SymbolTable::getSymbolUses(worklist.pop_back_val());
      if (!uses)
        continue;
      for (SymbolTable::SymbolUse use : *uses) {
        StringAttr symbol = use.getSymbolRef().getRootReference();
        if (kernelSymbols.lookup(symbol))
          continue;
        Operation *definition = symbols.lookup(symbol);
        if (!definition)
          continue;
        Operation *copy = definition->clone();
        SymbolTable::setSymbolVisibility(copy, SymbolTable::Visibility::Public);
        worklist.push_back(copy);
        kernelSymbols.insert(copy);
      }
    }
  }

  /// Outlines the kernels into gpu.modules, asking ptxas to fit
  /// `ctas-per-sm` CTAs of a tensor-core kernel and `fft-ctas-per-sm` of
  /// an FFT kernel on an SM (nvvm.minctasm, which bounds the registers per
  /// thread; measured faster for them, not for the FMA kernels).
  /// gpu-kernel-outlining, which handles the other launches, keeps no such
  /// attribute.
  void outlineWithOccupancy() {
    ModuleOp module = getOperation();
    SmallVector<gpu::LaunchOp> launches;
    module.walk([&](gpu::LaunchOp launch) {
      if (launch->hasAttr(kGpuKernelNameAttr) &&
          launch->getParentOfType<ModuleOp>() == module)
        launches.push_back(launch);
    });
    if (launches.empty())
      return;
    SymbolTable symbols(module);
    for (gpu::LaunchOp launch : launches) {
      auto name = cast<StringAttr>(launch->getAttr(kGpuKernelNameAttr));
      SmallVector<Value> operands;
      gpu::GPUFuncOp kernel = outlineKernelFunc(launch, name, operands);
      // No bound beyond what shared memory allows anyway.
      for (auto [attrName, requested] :
           {std::pair{kGpuOccupancyCTAsAttr, int64_t(ctasPerSM)},
            std::pair{kGpuFFTOccupancyCTAsAttr, int64_t(fftCtasPerSM)}}) {
        auto fit = launch->getAttrOfType<IntegerAttr>(attrName);
        if (!fit)
          continue;
        int64_t ctas = std::min<int64_t>(requested, fit.getInt());
        if (ctas > 1)
          kernel->setAttr(
              "nvvm.minctasm",
              IntegerAttr::get(IntegerType::get(&getContext(), 32), ctas));
      }
      OpBuilder builder(&getContext());
      auto kernelModule =
          gpu::GPUModuleOp::create(builder, launch.getLoc(), name);
      symbols.insert(kernelModule);
      copyReferencedSymbols(kernel, kernelModule, symbols);
      builder.setInsertionPoint(launch);
      std::optional<gpu::KernelDim3> clusterSize;
      if (launch.hasClusterSize())
        clusterSize = launch.getClusterSizeOperandValues();
      gpu::LaunchFuncOp::create(
          builder, launch.getLoc(), kernel, launch.getGridSizeOperandValues(),
          launch.getBlockSizeOperandValues(),
          launch.getDynamicSharedMemorySize(), operands,
          /*asyncTokenType=*/nullptr, /*asyncDependencies=*/{}, clusterSize);
      launch.erase();
    }
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(&getContext()));
  }
};

} // namespace

void structured::populateStructuredToGPUPatterns(
    RewritePatternSet &patterns, const GpuKernelOptions &options) {
  patterns.add<LowerToGpuKernels<BlockDiagOp>, LowerToGpuKernels<MonarchOp>,
               LowerToGpuKernels<BTTOp>>(patterns.getContext(), options);
  populateMoEToGPUPatterns(patterns, options);
  populateCausalConvToGPUPatterns(patterns);
}
