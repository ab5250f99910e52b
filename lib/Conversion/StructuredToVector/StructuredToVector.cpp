//===- StructuredToVector.cpp - Structured ops to vector code -------------===//
//
// Every stage of blockdiag, monarch and btt is a set of small matrix
// products `OUT[rows] = A · IN[rows]` with a fixed weight matrix A and the
// batch as the other dimension. Putting the batch into the vector lanes makes
// each product a sequence of `vector.fma(broadcast(A[m, t]), IN[t], acc[m])`
// with contiguous loads only, whatever the block sizes and the stride
// permutation: the permutation just picks which rows of IN a stage reads.
//
//===----------------------------------------------------------------------===//

#include "structured/Conversion/StructuredToVector/StructuredToVector.h"
#include "structured/Analysis/CostModel/CostModel.h"
#include "structured/Conversion/Passes.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_CONVERTSTRUCTUREDTOVECTOR
#include "structured/Conversion/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

namespace {

/// Emits the vector code of one op. All buffers it creates are f32 and laid
/// out feature-major, `features × lanes`, so that one row is one group of
/// batch rows.
class BatchVectorEmitter {
public:
  using RowFn = function_ref<Value(OpBuilder &, Location, Value)>;
  using WeightFn = function_ref<Value(OpBuilder &, Location, Value, Value)>;
  /// The batch indices of the buffer row that lane row `row` (the group's
  /// first row plus the lane) reads or writes; emitted at the insertion
  /// point of the emitter's builder.
  using RowIndexFn = function_ref<SmallVector<Value>(Value row)>;
  /// The f32 factor a lane row is scaled by when it is accumulated.
  using ScaleFn = function_ref<Value(Value row)>;

  BatchVectorEmitter(OpBuilder &builder, Location loc,
                     const BatchVectorKernelOptions &options)
      : b(builder), loc(loc), options(options),
        f32(Float32Type::get(builder.getContext())),
        vectorType(VectorType::get({options.vectorWidth}, f32)) {}

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  /// A `features × lanes` f32 buffer.
  Value allocate(int64_t features) {
    auto type = MemRefType::get({features, options.lanes}, f32);
    return memref::AllocOp::create(b, loc, type, /*alignment=*/
                                   b.getI64IntegerAttr(64));
  }

  /// Loads `memref[indices]` as f32.
  Value loadF32(OpBuilder &builder, Location at, Value memref,
                ValueRange indices) {
    Value value = memref::LoadOp::create(builder, at, memref, indices);
    if (value.getType() != f32)
      value = arith::ExtFOp::create(builder, at, f32, value);
    return value;
  }

  /// OUT[outRow(m)] = Σ_{t < depth} weight(m, t) · IN[inRow(t)] for every
  /// m < rows, `rowBlock` rows at a time (plus one smaller tile for the
  /// remainder).
  void emitStage(int64_t rows, int64_t depth, Value in, Value out,
                 WeightFn weight, RowFn inRow, RowFn outRow) {
    int64_t block = std::min(options.rowBlock, rows);
    int64_t fullTiles = rows / block;
    int64_t remainder = rows % block;
    auto tileLoop =
        scf::ForOp::create(b, loc, index(0), index(fullTiles), index(1));
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(tileLoop.getBody()->getTerminator());
      Value first = arith::MulIOp::create(b, loc, tileLoop.getInductionVar(),
                                          index(block));
      emitRegisterTile(first, block, depth, in, out, weight, inRow, outRow);
    }
    if (remainder)
      emitRegisterTile(index(fullTiles * block), remainder, depth, in, out,
                       weight, inRow, outRow);
  }

  /// Copies the group of batch rows [first, first + count) of `source`
  /// (batch dims × features) into `packed` (features × lanes), transposed
  /// and in f32; lanes past `count` become zero.
  void emitPack(Value source, RowIndexFn rowOf, Value first, Value count,
                Value packed, int64_t features) {
    auto laneLoop =
        scf::ForOp::create(b, loc, index(0), index(options.lanes), index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(laneLoop.getBody()->getTerminator());
    Value lane = laneLoop.getInductionVar();
    Value inGroup =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, lane, count);
    auto ifOp = scf::IfOp::create(b, loc, inGroup, /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard thenGuard(b);
      b.setInsertionPoint(ifOp.thenYield());
      SmallVector<Value> indices =
          rowOf(arith::AddIOp::create(b, loc, first, lane));
      emitFeatureLoop(features, [&](OpBuilder &nested, Location at, Value f) {
        SmallVector<Value> sourceIndices(indices);
        sourceIndices.push_back(f);
        Value value = loadF32(nested, at, source, sourceIndices);
        memref::StoreOp::create(nested, at, value, packed, ValueRange{f, lane});
      });
    }
    b.setInsertionPoint(ifOp.elseYield());
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    emitFeatureLoop(features, [&](OpBuilder &nested, Location at, Value f) {
      memref::StoreOp::create(nested, at, zero, packed, ValueRange{f, lane});
    });
  }

  /// emitPack for a full group, 16×16 tiles at a time: 16 contiguous row
  /// loads, an in-register transpose, 16 contiguous stores. Needs
  /// `features` and `lanes` to be multiples of the vector width and a unit
  /// innermost stride of `source`.
  void emitPackTiles(Value source, RowIndexFn rowOf, Value first, Value packed,
                     int64_t features) {
    emitTileLoops(
        rowOf, {}, first, index(options.lanes), features,
        [&](OpBuilder &nested, Location at,
            ArrayRef<SmallVector<Value>> rowIndices, ArrayRef<Value> scales,
            Value lane, Value f) {
          SmallVector<Value> rows;
          for (const SmallVector<Value> &indices : rowIndices) {
            SmallVector<Value> sourceIndices(indices);
            sourceIndices.push_back(f);
            rows.push_back(loadVectorF32(nested, at, source, sourceIndices));
          }
          SmallVector<Value> columns = transpose(nested, at, rows);
          for (auto [j, column] : llvm::enumerate(columns)) {
            Value row = arith::AddIOp::create(
                nested, at, f, arith::ConstantIndexOp::create(nested, at, j));
            vector::StoreOp::create(nested, at, column, packed,
                                    ValueRange{row, lane});
          }
        });
  }

  /// The inverse of emitPackTiles for lanes [0, laneEnd) (a multiple of the
  /// vector width); with `scale`, each row is scaled and added to `dest`
  /// instead of stored.
  void emitUnpackTiles(Value packed, Value dest, RowIndexFn rowOf, Value first,
                       Value laneEnd, int64_t features, ScaleFn scale = {}) {
    Type element = cast<MemRefType>(dest.getType()).getElementType();
    auto destVector = VectorType::get({options.vectorWidth}, element);
    emitTileLoops(
        rowOf, scale, first, laneEnd, features,
        [&](OpBuilder &nested, Location at,
            ArrayRef<SmallVector<Value>> rowIndices, ArrayRef<Value> scales,
            Value lane, Value f) {
          SmallVector<Value> columns;
          for (int64_t j = 0; j < options.vectorWidth; ++j) {
            Value row = arith::AddIOp::create(
                nested, at, f, arith::ConstantIndexOp::create(nested, at, j));
            columns.push_back(vector::LoadOp::create(
                nested, at, vectorType, packed, ValueRange{row, lane}));
          }
          SmallVector<Value> rows = transpose(nested, at, columns);
          // Rows are updated one after the other, so two lanes that add to
          // the same row both count.
          for (auto [r, row] : llvm::enumerate(rows)) {
            SmallVector<Value> destIndices(rowIndices[r]);
            destIndices.push_back(f);
            if (scale) {
              Value factor = vector::BroadcastOp::create(nested, at, vectorType,
                                                         scales[r]);
              Value current = loadVectorF32(nested, at, dest, destIndices);
              row = vector::FMAOp::create(nested, at, factor, row, current);
            }
            if (element != f32)
              row = arith::TruncFOp::create(nested, at, destVector, row);
            vector::StoreOp::create(nested, at, row, dest, destIndices);
          }
        });
  }

  /// The inverse of emitPack for lanes [laneBegin, laneEnd), converting to
  /// the element type of `dest`; with `scale`, each row is scaled and added
  /// to `dest` instead of stored.
  void emitUnpack(Value packed, Value dest, RowIndexFn rowOf, Value first,
                  Value laneBegin, Value laneEnd, int64_t features,
                  ScaleFn scale = {}) {
    auto laneLoop = scf::ForOp::create(b, loc, laneBegin, laneEnd, index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(laneLoop.getBody()->getTerminator());
    Value lane = laneLoop.getInductionVar();
    Value row = arith::AddIOp::create(b, loc, first, lane);
    SmallVector<Value> indices = rowOf(row);
    Value factor = scale ? scale(row) : Value();
    Type element = cast<MemRefType>(dest.getType()).getElementType();
    emitFeatureLoop(features, [&](OpBuilder &nested, Location at, Value f) {
      Value value =
          memref::LoadOp::create(nested, at, packed, ValueRange{f, lane});
      SmallVector<Value> destIndices(indices);
      destIndices.push_back(f);
      if (factor) {
        Value current = loadF32(nested, at, dest, destIndices);
        value = math::FmaOp::create(nested, at, factor, value, current);
      }
      if (element != f32)
        value = arith::TruncFOp::create(nested, at, element, value);
      memref::StoreOp::create(nested, at, value, dest, destIndices);
    });
  }

  /// The multi-index of flat batch row `row` in a batch of `sizes`.
  SmallVector<Value> batchIndices(Value row, ValueRange sizes) {
    if (sizes.size() == 1)
      return {row};
    SmallVector<OpFoldResult> basis(sizes.begin(), sizes.end());
    auto delinearize = affine::AffineDelinearizeIndexOp::create(
        b, loc, row, basis, /*hasOuterBound=*/true);
    return SmallVector<Value>(delinearize.getResults());
  }

private:
  using TileBody =
      function_ref<void(OpBuilder &, Location, ArrayRef<SmallVector<Value>>,
                        ArrayRef<Value>, Value, Value)>;

  /// Loops over the 16×16 tiles of a full group: `body(rowIndices, scales,
  /// lane, f)` gets the batch indices of the tile's 16 rows (and their
  /// scales, with `scale`), its first lane and first feature.
  void emitTileLoops(RowIndexFn rowOf, ScaleFn scale, Value first,
                     Value laneEnd, int64_t features, TileBody body) {
    int64_t width = options.vectorWidth;
    auto laneLoop = scf::ForOp::create(b, loc, index(0), laneEnd, index(width));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(laneLoop.getBody()->getTerminator());
    Value lane = laneLoop.getInductionVar();
    SmallVector<SmallVector<Value>> rowIndices;
    SmallVector<Value> scales;
    for (int64_t i = 0; i < width; ++i) {
      Value row = arith::AddIOp::create(
          b, loc, arith::AddIOp::create(b, loc, first, lane), index(i));
      rowIndices.push_back(rowOf(row));
      if (scale)
        scales.push_back(scale(row));
    }
    scf::ForOp::create(
        b, loc, index(0), index(features), index(width), ValueRange{},
        [&](OpBuilder &nested, Location at, Value f, ValueRange) {
          body(nested, at, rowIndices, scales, lane, f);
          scf::YieldOp::create(nested, at);
        });
  }

  /// Loads `vectorWidth` elements at `indices` as an f32 vector.
  Value loadVectorF32(OpBuilder &builder, Location at, Value memref,
                      ValueRange indices) {
    Type element = cast<MemRefType>(memref.getType()).getElementType();
    auto type = VectorType::get({options.vectorWidth}, element);
    Value value = vector::LoadOp::create(builder, at, type, memref, indices);
    if (element != f32)
      value = arith::ExtFOp::create(builder, at, vectorType, value);
    return value;
  }

  /// Transposes a square tile given as a list of row vectors.
  SmallVector<Value> transpose(OpBuilder &builder, Location at,
                               ArrayRef<Value> rows) {
    int64_t width = options.vectorWidth;
    auto tileType = VectorType::get({width, width}, f32);
    Value tile = arith::ConstantOp::create(
        builder, at, tileType, DenseElementsAttr::get(tileType, 0.0f));
    for (auto [i, row] : llvm::enumerate(rows))
      tile = vector::InsertOp::create(builder, at, row, tile,
                                      ArrayRef<int64_t>{(int64_t)i});
    Value transposed =
        vector::TransposeOp::create(builder, at, tile, ArrayRef<int64_t>{1, 0});
    SmallVector<Value> columns;
    for (int64_t j = 0; j < width; ++j)
      columns.push_back(vector::ExtractOp::create(builder, at, transposed,
                                                  ArrayRef<int64_t>{j}));
    return columns;
  }

  void emitFeatureLoop(int64_t features,
                       function_ref<void(OpBuilder &, Location, Value)> body) {
    scf::ForOp::create(
        b, loc, index(0), index(features), index(1), ValueRange{},
        [&](OpBuilder &nested, Location at, Value f, ValueRange) {
          body(nested, at, f);
          scf::YieldOp::create(nested, at);
        });
  }

  /// One register tile: rows [first, first + tileRows) of a stage, with
  /// `tileRows · lanes / vectorWidth` accumulators carried through the
  /// reduction loop.
  void emitRegisterTile(Value first, int64_t tileRows, int64_t depth, Value in,
                        Value out, WeightFn weight, RowFn inRow, RowFn outRow) {
    int64_t vectorsPerRow = options.lanes / options.vectorWidth;
    Value zero = arith::ConstantOp::create(
        b, loc, vectorType, DenseElementsAttr::get(vectorType, 0.0f));
    SmallVector<Value> init(tileRows * vectorsPerRow, zero);
    SmallVector<Value> rowIndex;
    for (int64_t m = 0; m < tileRows; ++m)
      rowIndex.push_back(arith::AddIOp::create(b, loc, first, index(m)));
    SmallVector<Value> laneOffsets;
    for (int64_t v = 0; v < vectorsPerRow; ++v)
      laneOffsets.push_back(index(v * options.vectorWidth));

    auto reduction = scf::ForOp::create(
        b, loc, index(0), index(depth), index(1), init,
        [&](OpBuilder &nested, Location at, Value t, ValueRange acc) {
          Value row = inRow(nested, at, t);
          SmallVector<Value> inputs;
          for (Value offset : laneOffsets)
            inputs.push_back(vector::LoadOp::create(nested, at, vectorType, in,
                                                    ValueRange{row, offset}));
          SmallVector<Value> next;
          for (int64_t m = 0; m < tileRows; ++m) {
            Value scalar = weight(nested, at, rowIndex[m], t);
            Value broadcast =
                vector::BroadcastOp::create(nested, at, vectorType, scalar);
            for (int64_t v = 0; v < vectorsPerRow; ++v)
              next.push_back(vector::FMAOp::create(nested, at, broadcast,
                                                   inputs[v],
                                                   acc[m * vectorsPerRow + v]));
          }
          scf::YieldOp::create(nested, at, next);
        });
    for (int64_t m = 0; m < tileRows; ++m) {
      Value row = outRow(b, loc, rowIndex[m]);
      for (int64_t v = 0; v < vectorsPerRow; ++v)
        vector::StoreOp::create(b, loc,
                                reduction.getResult(m * vectorsPerRow + v), out,
                                ValueRange{row, laneOffsets[v]});
    }
  }

  OpBuilder &b;
  Location loc;
  const BatchVectorKernelOptions &options;
  Type f32;
  VectorType vectorType;
};

/// The parts of a blockdiag (w2 absent), monarch (rank 1, rank-less
/// weights), btt, or one expert of a btt_moe that the emitter needs.
struct StructuredMap {
  Value x, w1, w2, init;
  /// Rank of the BTT; 1 for monarch and blockdiag.
  int64_t rank = 1;
  /// Whether the weights carry a rank dimension (btt, btt_moe).
  bool rankedWeights = false;
  /// btt_moe: the rank component (expert) whose weights are used.
  Value expert = {};
};

LogicalResult checkSupported(PatternRewriter &rewriter, Operation *op,
                             const StructuredMap &map,
                             const BatchVectorKernelOptions &options) {
  if (!options.isValid())
    return rewriter.notifyMatchFailure(op, "invalid kernel options");
  if (!isa<MemRefType>(map.x.getType()))
    return rewriter.notifyMatchFailure(op, "not on buffers");
  if (!hasBatchVectorLowering(op))
    return rewriter.notifyMatchFailure(
        op, "needs f32/f16/bf16 elements, static features and weights");
  return success();
}

/// Whether the innermost dimension of `memref` is contiguous.
bool hasUnitInnerStride(Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides.back() == 1;
}

/// Buffers of one group of lanes: X (input features), Z (intermediate, when
/// there is a second factor) and Y (output features), all features × lanes.
struct PackedGroup {
  Value x, z, y;
};

/// Both stages of `map` on the packed group: Z = W1 · X, Y = W2 · Z (or
/// Y = W1 · X for a blockdiag).
void emitStages(PatternRewriter &rewriter, Location loc,
                BatchVectorEmitter &emit, const StructuredMap &map,
                const PackedGroup &packed) {
  ArrayRef<int64_t> w1Shape = cast<MemRefType>(map.w1.getType()).getShape();
  int64_t rank = map.rank;
  // w1: k × [R ×] q × p.
  int64_t k = w1Shape.front(), q = w1Shape[w1Shape.size() - 2],
          p = w1Shape.back();

  // First factor, block i (and rank component ρ for btt):
  //   Z[ρ·k·q + i·q + j] = Σ_t w1[i, (ρ,) j, t] · X[i·p + t].
  Value firstOut = map.w2 ? packed.z : packed.y;
  auto blockLoop = scf::ForOp::create(rewriter, loc, emit.index(0),
                                      emit.index(k), emit.index(1));
  {
    OpBuilder::InsertionGuard blockGuard(rewriter);
    rewriter.setInsertionPoint(blockLoop.getBody()->getTerminator());
    Value i = blockLoop.getInductionVar();
    auto rankLoop = scf::ForOp::create(rewriter, loc, emit.index(0),
                                       emit.index(rank), emit.index(1));
    rewriter.setInsertionPoint(rankLoop.getBody()->getTerminator());
    Value rho = rankLoop.getInductionVar();
    Value inBase = arith::MulIOp::create(rewriter, loc, i, emit.index(p));
    Value outBase = arith::AddIOp::create(
        rewriter, loc,
        arith::MulIOp::create(rewriter, loc, rho, emit.index(k * q)),
        arith::MulIOp::create(rewriter, loc, i, emit.index(q)));
    emit.emitStage(
        q, p, packed.x, firstOut,
        [&](OpBuilder &bb, Location at, Value j, Value t) {
          SmallVector<Value> idx = {i};
          if (map.rankedWeights)
            idx.push_back(map.expert ? map.expert : rho);
          idx.append({j, t});
          return emit.loadF32(bb, at, map.w1, idx);
        },
        [&](OpBuilder &bb, Location at, Value t) -> Value {
          return arith::AddIOp::create(bb, at, inBase, t);
        },
        [&](OpBuilder &bb, Location at, Value j) -> Value {
          return arith::AddIOp::create(bb, at, outBase, j);
        });
  }
  if (!map.w2)
    return;

  // Second factor, block a: the reduction runs over (c, ρ), the order of
  // w2's last two dims:
  //   Y[u·l + a] = Σ_{c,ρ} w2[a, u, c(, ρ)] · Z[ρ·k·q + c·l + a].
  ArrayRef<int64_t> w2Shape = cast<MemRefType>(map.w2.getType()).getShape();
  int64_t l = w2Shape[0], s = w2Shape[1], r = w2Shape[2];
  auto outerLoop = scf::ForOp::create(rewriter, loc, emit.index(0),
                                      emit.index(l), emit.index(1));
  OpBuilder::InsertionGuard blockGuard(rewriter);
  rewriter.setInsertionPoint(outerLoop.getBody()->getTerminator());
  Value a = outerLoop.getInductionVar();
  auto splitReduction = [&](OpBuilder &bb, Location at, Value t) {
    if (rank == 1)
      return std::make_pair(t, Value());
    Value rankSize = arith::ConstantIndexOp::create(bb, at, rank);
    return std::make_pair(Value(arith::DivUIOp::create(bb, at, t, rankSize)),
                          Value(arith::RemUIOp::create(bb, at, t, rankSize)));
  };
  emit.emitStage(
      s, r * rank, packed.z, packed.y,
      [&](OpBuilder &bb, Location at, Value u, Value t) {
        auto [c, rho] = splitReduction(bb, at, t);
        SmallVector<Value> idx = {a, u, c};
        if (map.rankedWeights)
          idx.push_back(map.expert ? map.expert : rho);
        return emit.loadF32(bb, at, map.w2, idx);
      },
      [&](OpBuilder &bb, Location at, Value t) -> Value {
        auto [c, rho] = splitReduction(bb, at, t);
        Value row = arith::AddIOp::create(
            bb, at,
            arith::MulIOp::create(bb, at, c,
                                  arith::ConstantIndexOp::create(bb, at, l)),
            a);
        if (!rho)
          return row;
        return arith::AddIOp::create(
            bb, at,
            arith::MulIOp::create(
                bb, at, rho, arith::ConstantIndexOp::create(bb, at, k * q)),
            row);
      },
      [&](OpBuilder &bb, Location at, Value u) -> Value {
        return arith::AddIOp::create(
            bb, at,
            arith::MulIOp::create(bb, at, u,
                                  arith::ConstantIndexOp::create(bb, at, l)),
            a);
      });
}

/// Feature rows of the intermediate Z of `map`.
int64_t getIntermediateRows(const StructuredMap &map) {
  ArrayRef<int64_t> w1 = cast<MemRefType>(map.w1.getType()).getShape();
  return map.rank * w1.front() * w1[w1.size() - 2];
}

/// Flat batch size of `x` and the sizes of its batch dims.
Value getFlatBatch(PatternRewriter &rewriter, Location loc,
                   BatchVectorEmitter &emit, Value x,
                   SmallVectorImpl<Value> &batchSizes) {
  Value batch = emit.index(1);
  for (int64_t d = 0, e = cast<MemRefType>(x.getType()).getRank() - 1; d < e;
       ++d) {
    Value size = memref::DimOp::create(rewriter, loc, x, d);
    batchSizes.push_back(size);
    batch = arith::MulIOp::create(rewriter, loc, batch, size);
  }
  return batch;
}

/// Runs groups of `lanes` rows [start, start + rows) through the stages:
/// packs them (rows mapped to buffer rows by `rowOf`), computes both stages
/// and unpacks into `map.init` (stored, or scaled and added with `scale`).
/// With contiguous rows the copies move 16×16 tiles through registers; a
/// partial group packs copies of its last row into the unused lanes and
/// unpacks its last, partial tile element by element.
void emitGroups(PatternRewriter &rewriter, Location loc,
                BatchVectorEmitter &emit, const StructuredMap &map,
                const BatchVectorKernelOptions &options,
                const PackedGroup &packed, Value start, Value rows,
                BatchVectorEmitter::RowIndexFn rowOf,
                BatchVectorEmitter::ScaleFn scale) {
  int64_t n = cast<MemRefType>(map.x.getType()).getShape().back();
  int64_t outFeatures = cast<MemRefType>(map.init.getType()).getShape().back();
  auto groupLoop = scf::ForOp::create(rewriter, loc, emit.index(0), rows,
                                      emit.index(options.lanes));
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(groupLoop.getBody()->getTerminator());
  Value offset = groupLoop.getInductionVar();
  Value first = arith::AddIOp::create(rewriter, loc, start, offset);
  Value left = arith::SubIOp::create(rewriter, loc, rows, offset);
  Value count =
      arith::MinUIOp::create(rewriter, loc, left, emit.index(options.lanes));
  bool tiledCopies =
      hasUnitInnerStride(map.x) && hasUnitInnerStride(map.init) &&
      n % options.vectorWidth == 0 && outFeatures % options.vectorWidth == 0;
  if (tiledCopies) {
    Value last = arith::SubIOp::create(
        rewriter, loc, arith::AddIOp::create(rewriter, loc, first, count),
        emit.index(1));
    emit.emitPackTiles(
        map.x,
        [&](Value row) {
          return rowOf(arith::MinUIOp::create(rewriter, loc, row, last));
        },
        first, packed.x, n);
  } else {
    emit.emitPack(map.x, rowOf, first, count, packed.x, n);
  }

  emitStages(rewriter, loc, emit, map, packed);

  Value tiledLanes = emit.index(0);
  if (tiledCopies) {
    Value width = emit.index(options.vectorWidth);
    tiledLanes = arith::MulIOp::create(
        rewriter, loc, arith::DivUIOp::create(rewriter, loc, count, width),
        width);
    emit.emitUnpackTiles(packed.y, map.init, rowOf, first, tiledLanes,
                         outFeatures, scale);
  }
  emit.emitUnpack(packed.y, map.init, rowOf, first, tiledLanes, count,
                  outFeatures, scale);
}

/// Lowers `op` (already checked) to vector code and erases it.
void lowerToVectors(PatternRewriter &rewriter, Operation *op,
                    const StructuredMap &map,
                    const BatchVectorKernelOptions &options) {
  Location loc = op->getLoc();
  BatchVectorEmitter emit(rewriter, loc, options);
  SmallVector<Value> batchSizes;
  Value batch = getFlatBatch(rewriter, loc, emit, map.x, batchSizes);
  int64_t n = cast<MemRefType>(map.x.getType()).getShape().back();
  int64_t outFeatures = cast<MemRefType>(map.init.getType()).getShape().back();
  PackedGroup packed{emit.allocate(n),
                     map.w2 ? emit.allocate(getIntermediateRows(map)) : Value(),
                     emit.allocate(outFeatures)};
  emitGroups(rewriter, loc, emit, map, options, packed, emit.index(0), batch,
             [&](Value row) { return emit.batchIndices(row, batchSizes); }, {});
  for (Value buffer : {packed.x, packed.z, packed.y})
    if (buffer)
      memref::DeallocOp::create(rewriter, loc, buffer);
  rewriter.eraseOp(op);
}

/// btt_moe: every (row b, choice κ) pair is one row of work for expert
/// idx[b, κ]. The pairs are sorted by expert (counting sort), and each
/// expert runs the vector kernel of its Monarch factors on its pairs: rows
/// of x are gathered into the lanes, and the results are scaled by
/// gate[b, κ] and added to y[b]. The work is that of B·K Monarch rows,
/// whatever R.
void lowerMoEToVectors(PatternRewriter &rewriter, BTTMoEOp op,
                       const BatchVectorKernelOptions &options) {
  bool runtimeChecks = options.runtimeChecks;
  Location loc = op.getLoc();
  BatchVectorEmitter emit(rewriter, loc, options);
  Value x = op.getX(), idx = op.getIdx(), gate = op.getGate(),
        init = op.getInit();
  auto w1Type = cast<MemRefType>(op.getW1().getType());
  int64_t experts = w1Type.getShape()[1];
  int64_t selected = cast<MemRefType>(idx.getType()).getShape().back();
  int64_t n = cast<MemRefType>(x.getType()).getShape().back();
  int64_t outFeatures = cast<MemRefType>(init.getType()).getShape().back();
  SmallVector<Value> batchSizes;
  Value batch = getFlatBatch(rewriter, loc, emit, x, batchSizes);
  Value pairs =
      arith::MulIOp::create(rewriter, loc, batch, emit.index(selected));
  Type indexType = rewriter.getIndexType();

  // The experts' contributions are added up in f32: in `init` itself, or in
  // a temporary rounded into it at the end.
  auto initType = cast<MemRefType>(init.getType());
  Type f32 = rewriter.getF32Type();
  Value sum = init;
  if (!initType.getElementType().isF32()) {
    SmallVector<Value> dynamicSizes;
    for (int64_t d = 0, e = initType.getRank(); d < e; ++d)
      if (initType.isDynamicDim(d))
        dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, init, d));
    sum = memref::AllocOp::create(rewriter, loc,
                                  MemRefType::get(initType.getShape(), f32),
                                  dynamicSizes, rewriter.getI64IntegerAttr(64));
  }
  linalg::FillOp::create(rewriter, loc,
                         ValueRange{arith::ConstantOp::create(
                             rewriter, loc, f32, rewriter.getZeroAttr(f32))},
                         ValueRange{sum});

  // The routing entry of pair e = b·K + κ.
  Type idxElement = cast<MemRefType>(idx.getType()).getElementType();
  auto routing = [&](OpBuilder &b, Location at, Value pair, Value source) {
    Value k = arith::ConstantIndexOp::create(b, at, selected);
    Value row = arith::DivUIOp::create(b, at, pair, k);
    Value choice = arith::RemUIOp::create(b, at, pair, k);
    SmallVector<Value> indices = emit.batchIndices(row, batchSizes);
    indices.push_back(choice);
    return memref::LoadOp::create(b, at, source, indices).getResult();
  };
  // Without checks an index outside [0, R) is clamped into it: the result
  // is then wrong, but no buffer is written out of bounds.
  auto expertOf = [&](OpBuilder &b, Location at, Value pair) -> Value {
    Value raw = routing(b, at, pair, idx);
    if (!runtimeChecks) {
      raw = arith::MaxSIOp::create(
          b, at, raw,
          arith::ConstantOp::create(b, at, idxElement,
                                    b.getIntegerAttr(idxElement, 0)));
      raw = arith::MinSIOp::create(
          b, at, raw,
          arith::ConstantOp::create(b, at, idxElement,
                                    b.getIntegerAttr(idxElement, experts - 1)));
    }
    return arith::IndexCastOp::create(b, at, indexType, raw);
  };

  auto counts = memref::AllocOp::create(rewriter, loc,
                                        MemRefType::get({experts}, indexType));
  auto cursor = memref::AllocOp::create(rewriter, loc,
                                        MemRefType::get({experts}, indexType));
  auto starts = memref::AllocOp::create(rewriter, loc,
                                        MemRefType::get({experts}, indexType));
  auto order = memref::AllocOp::create(
      rewriter, loc, MemRefType::get({ShapedType::kDynamic}, indexType),
      ValueRange{pairs});
  linalg::FillOp::create(rewriter, loc, ValueRange{emit.index(0)},
                         ValueRange{counts});

  // Count the pairs of each expert, checking the indices first.
  scf::ForOp::create(
      rewriter, loc, emit.index(0), pairs, emit.index(1), ValueRange{},
      [&](OpBuilder &b, Location at, Value pair, ValueRange) {
        if (runtimeChecks) {
          Value raw = routing(b, at, pair, idx);
          Value zero = arith::ConstantOp::create(
              b, at, idxElement, b.getIntegerAttr(idxElement, 0));
          Value bound = arith::ConstantOp::create(
              b, at, idxElement, b.getIntegerAttr(idxElement, experts));
          Value ok = arith::AndIOp::create(
              b, at,
              arith::CmpIOp::create(b, at, arith::CmpIPredicate::sge, raw,
                                    zero),
              arith::CmpIOp::create(b, at, arith::CmpIPredicate::slt, raw,
                                    bound));
          cf::AssertOp::create(b, at, ok,
                               ("structured.btt_moe: expert index out of "
                                "range [0, " +
                                Twine(experts) + ")")
                                   .str());
        }
        Value expert = expertOf(b, at, pair);
        Value count = memref::LoadOp::create(b, at, counts, expert);
        Value next = arith::AddIOp::create(
            b, at, count, arith::ConstantIndexOp::create(b, at, 1));
        memref::StoreOp::create(b, at, next, counts, expert);
        scf::YieldOp::create(b, at);
      });
  // Where each expert's pairs start.
  scf::ForOp::create(
      rewriter, loc, emit.index(0), emit.index(experts), emit.index(1),
      ValueRange{emit.index(0)},
      [&](OpBuilder &b, Location at, Value expert, ValueRange sum) {
        memref::StoreOp::create(b, at, sum[0], starts, expert);
        memref::StoreOp::create(b, at, sum[0], cursor, expert);
        Value count = memref::LoadOp::create(b, at, counts, expert);
        scf::YieldOp::create(
            b, at, ValueRange{arith::AddIOp::create(b, at, sum[0], count)});
      });
  // The pairs, sorted by expert (stable).
  scf::ForOp::create(
      rewriter, loc, emit.index(0), pairs, emit.index(1), ValueRange{},
      [&](OpBuilder &b, Location at, Value pair, ValueRange) {
        Value expert = expertOf(b, at, pair);
        Value position = memref::LoadOp::create(b, at, cursor, expert);
        memref::StoreOp::create(b, at, pair, order, position);
        memref::StoreOp::create(
            b, at,
            arith::AddIOp::create(b, at, position,
                                  arith::ConstantIndexOp::create(b, at, 1)),
            cursor, expert);
        scf::YieldOp::create(b, at);
      });

  StructuredMap map{x,
                    op.getW1(),
                    op.getW2(),
                    sum,
                    /*rank=*/1,
                    /*rankedWeights=*/true};
  PackedGroup packed{emit.allocate(n), emit.allocate(getIntermediateRows(map)),
                     emit.allocate(outFeatures)};
  auto expertLoop = scf::ForOp::create(rewriter, loc, emit.index(0),
                                       emit.index(experts), emit.index(1));
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(expertLoop.getBody()->getTerminator());
    map.expert = expertLoop.getInductionVar();
    Value start = memref::LoadOp::create(rewriter, loc, starts, map.expert);
    Value count = memref::LoadOp::create(rewriter, loc, counts, map.expert);
    auto pairAt = [&](Value row) -> Value {
      return memref::LoadOp::create(rewriter, loc, order, row);
    };
    emitGroups(
        rewriter, loc, emit, map, options, packed, start, count,
        [&](Value row) {
          Value source = arith::DivUIOp::create(rewriter, loc, pairAt(row),
                                                emit.index(selected));
          return emit.batchIndices(source, batchSizes);
        },
        [&](Value row) {
          return emit.loadF32(rewriter, loc, gate, [&] {
            Value pair = pairAt(row);
            Value k = emit.index(selected);
            SmallVector<Value> indices = emit.batchIndices(
                arith::DivUIOp::create(rewriter, loc, pair, k), batchSizes);
            indices.push_back(arith::RemUIOp::create(rewriter, loc, pair, k));
            return indices;
          }());
        });
  }
  for (Value buffer : {packed.x, packed.z, packed.y, Value(counts),
                       Value(cursor), Value(starts), Value(order)})
    memref::DeallocOp::create(rewriter, loc, buffer);
  if (sum != init) {
    int64_t rank = initType.getRank();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    linalg::GenericOp::create(
        rewriter, loc, TypeRange{}, ValueRange{sum}, ValueRange{init},
        ArrayRef<AffineMap>{id, id},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location at, ValueRange args) {
          linalg::YieldOp::create(
              b, at,
              ValueRange{arith::TruncFOp::create(
                  b, at, initType.getElementType(), args[0])});
        });
    memref::DeallocOp::create(rewriter, loc, sum);
  }
  rewriter.eraseOp(op);
}

template <typename OpTy> struct LowerToBatchVectors : OpRewritePattern<OpTy> {
  LowerToBatchVectors(MLIRContext *context,
                      const BatchVectorKernelOptions &options)
      : OpRewritePattern<OpTy>(context), options(options) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    StructuredMap map = getMap(op);
    // A kernel shape chosen for this op (structured-select-tiles) wins over
    // the pass options.
    BatchVectorKernelOptions kernel = options;
    if (auto shape =
            op->template getAttrOfType<DenseI64ArrayAttr>(kKernelAttrName)) {
      if (shape.size() != 2)
        return rewriter.notifyMatchFailure(
            op, "structured.kernel must be [lanes, row_block]");
      kernel.lanes = shape[0];
      kernel.rowBlock = shape[1];
    }
    if (failed(checkSupported(rewriter, op, map, kernel)))
      return failure();
    if constexpr (std::is_same_v<OpTy, BTTMoEOp>)
      lowerMoEToVectors(rewriter, op, kernel);
    else
      lowerToVectors(rewriter, op, map, kernel);
    return success();
  }

  static StructuredMap getMap(BlockDiagOp op) {
    return {op.getX(), op.getW(), Value(), op.getInit()};
  }
  static StructuredMap getMap(MonarchOp op) {
    return {op.getX(), op.getW1(), op.getW2(), op.getInit()};
  }
  static StructuredMap getMap(BTTOp op) {
    int64_t rank = cast<ShapedType>(op.getW1().getType()).getShape()[1];
    return {op.getX(),
            op.getW1(),
            op.getW2(),
            op.getInit(),
            rank,
            /*rankedWeights=*/true};
  }
  /// btt_moe: the map of one expert (lowerMoEToVectors picks it).
  static StructuredMap getMap(BTTMoEOp op) {
    return {op.getX(), op.getW1(), op.getW2(), op.getInit()};
  }

  BatchVectorKernelOptions options;
};

struct ConvertStructuredToVectorPass
    : structured::impl::ConvertStructuredToVectorBase<
          ConvertStructuredToVectorPass> {
  using Base::Base;

  void runOnOperation() override {
    BatchVectorKernelOptions kernel;
    kernel.vectorWidth = vectorWidth;
    kernel.lanes = lanes;
    kernel.rowBlock = rowBlock;
    kernel.runtimeChecks = runtimeChecks;
    if (!kernel.isValid()) {
      emitError(getOperation()->getLoc())
          << "convert-structured-to-vector: lanes (" << kernel.lanes
          << ") must be a positive multiple of vector-width ("
          << kernel.vectorWidth << ") and row-block (" << kernel.rowBlock
          << ") positive";
      return signalPassFailure();
    }
    // Kernel shapes chosen per op must be valid too.
    WalkResult checked = getOperation()->walk([&](Operation *op) {
      Attribute attr = op->getAttr(kKernelAttrName);
      if (!attr)
        return WalkResult::advance();
      auto shape = dyn_cast<DenseI64ArrayAttr>(attr);
      if (!shape || shape.size() != 2 || !kernel.isValid(shape[0], shape[1])) {
        op->emitOpError() << "has an invalid '" << kKernelAttrName
                          << "' attribute: expected array<i64: lanes, "
                             "row_block> with lanes a positive multiple of "
                          << kernel.vectorWidth << " and row_block > 0";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateStructuredToVectorPatterns(patterns, kernel);
    walkAndApplyPatterns(getOperation(), std::move(patterns));

    // The 16×16 tile transposes of the copies as shuffles of rows.
    RewritePatternSet lowering(&getContext());
    vector::populateVectorTransposeLoweringPatterns(
        lowering, kernel.vectorWidth == 16
                      ? vector::VectorTransposeLowering::Shuffle16x16
                      : vector::VectorTransposeLowering::Shuffle1D);
    walkAndApplyPatterns(getOperation(), std::move(lowering));
  }
};

} // namespace

void structured::populateStructuredToVectorPatterns(
    RewritePatternSet &patterns, const BatchVectorKernelOptions &options) {
  patterns.add<LowerToBatchVectors<BlockDiagOp>, LowerToBatchVectors<MonarchOp>,
               LowerToBatchVectors<BTTOp>, LowerToBatchVectors<BTTMoEOp>>(
      patterns.getContext(), options);
}
