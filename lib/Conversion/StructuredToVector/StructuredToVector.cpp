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

#include "structured/Analysis/CostModel/CostModel.h"
#include "structured/Conversion/Passes.h"
#include "structured/Conversion/StructuredToVector/StructuredToVector.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
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
    auto tileLoop = scf::ForOp::create(b, loc, index(0), index(fullTiles),
                                       index(1));
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
  void emitPack(Value source, ValueRange batchSizes, Value first, Value count,
                Value packed, int64_t features) {
    auto laneLoop =
        scf::ForOp::create(b, loc, index(0), index(options.lanes), index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(laneLoop.getBody()->getTerminator());
    Value lane = laneLoop.getInductionVar();
    Value inGroup = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          lane, count);
    auto ifOp = scf::IfOp::create(b, loc, inGroup, /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard thenGuard(b);
      b.setInsertionPoint(ifOp.thenYield());
      SmallVector<Value> indices = batchIndices(
          arith::AddIOp::create(b, loc, first, lane), batchSizes);
      emitFeatureLoop(features, [&](OpBuilder &nested, Location at, Value f) {
        SmallVector<Value> sourceIndices(indices);
        sourceIndices.push_back(f);
        Value value = loadF32(nested, at, source, sourceIndices);
        memref::StoreOp::create(nested, at, value, packed,
                                ValueRange{f, lane});
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
  void emitPackTiles(Value source, ValueRange batchSizes, Value first,
                     Value packed, int64_t features) {
    emitTileLoops(batchSizes, first, features,
                  [&](OpBuilder &nested, Location at, ArrayRef<SmallVector<Value>>
                      rowIndices, Value lane, Value f) {
                    SmallVector<Value> rows;
                    for (const SmallVector<Value> &indices : rowIndices) {
                      SmallVector<Value> sourceIndices(indices);
                      sourceIndices.push_back(f);
                      rows.push_back(loadVectorF32(nested, at, source,
                                                   sourceIndices));
                    }
                    SmallVector<Value> columns = transpose(nested, at, rows);
                    for (auto [j, column] : llvm::enumerate(columns)) {
                      Value row = arith::AddIOp::create(
                          nested, at, f,
                          arith::ConstantIndexOp::create(nested, at, j));
                      vector::StoreOp::create(nested, at, column, packed,
                                              ValueRange{row, lane});
                    }
                  });
  }

  /// The inverse of emitPackTiles.
  void emitUnpackTiles(Value packed, Value dest, ValueRange batchSizes,
                       Value first, int64_t features) {
    Type element = cast<MemRefType>(dest.getType()).getElementType();
    auto destVector = VectorType::get({options.vectorWidth}, element);
    emitTileLoops(
        batchSizes, first, features,
        [&](OpBuilder &nested, Location at,
            ArrayRef<SmallVector<Value>> rowIndices, Value lane, Value f) {
          SmallVector<Value> columns;
          for (int64_t j = 0; j < options.vectorWidth; ++j) {
            Value row = arith::AddIOp::create(
                nested, at, f, arith::ConstantIndexOp::create(nested, at, j));
            columns.push_back(vector::LoadOp::create(
                nested, at, vectorType, packed, ValueRange{row, lane}));
          }
          SmallVector<Value> rows = transpose(nested, at, columns);
          for (auto [row, indices] : llvm::zip(rows, rowIndices)) {
            if (element != f32)
              row = arith::TruncFOp::create(nested, at, destVector, row);
            SmallVector<Value> destIndices(indices);
            destIndices.push_back(f);
            vector::StoreOp::create(nested, at, row, dest, destIndices);
          }
        });
  }

  /// The inverse of emitPack for the first `count` lanes, converting to the
  /// element type of `dest`.
  void emitUnpack(Value packed, Value dest, ValueRange batchSizes, Value first,
                  Value count, int64_t features) {
    auto laneLoop = scf::ForOp::create(b, loc, index(0), count, index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(laneLoop.getBody()->getTerminator());
    Value lane = laneLoop.getInductionVar();
    SmallVector<Value> indices =
        batchIndices(arith::AddIOp::create(b, loc, first, lane), batchSizes);
    Type element = cast<MemRefType>(dest.getType()).getElementType();
    emitFeatureLoop(features, [&](OpBuilder &nested, Location at, Value f) {
      Value value =
          memref::LoadOp::create(nested, at, packed, ValueRange{f, lane});
      if (element != f32)
        value = arith::TruncFOp::create(nested, at, element, value);
      SmallVector<Value> destIndices(indices);
      destIndices.push_back(f);
      memref::StoreOp::create(nested, at, value, dest, destIndices);
    });
  }

private:
  using TileBody =
      function_ref<void(OpBuilder &, Location, ArrayRef<SmallVector<Value>>,
                        Value, Value)>;

  /// Loops over the 16×16 tiles of a full group: `body(rowIndices, lane, f)`
  /// gets the batch indices of the tile's 16 rows, its first lane and first
  /// feature.
  void emitTileLoops(ValueRange batchSizes, Value first, int64_t features,
                     TileBody body) {
    int64_t width = options.vectorWidth;
    auto laneLoop =
        scf::ForOp::create(b, loc, index(0), index(options.lanes),
                           index(width));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(laneLoop.getBody()->getTerminator());
    Value lane = laneLoop.getInductionVar();
    SmallVector<SmallVector<Value>> rowIndices;
    for (int64_t i = 0; i < width; ++i) {
      Value row = arith::AddIOp::create(
          b, loc, arith::AddIOp::create(b, loc, first, lane), index(i));
      rowIndices.push_back(batchIndices(row, batchSizes));
    }
    scf::ForOp::create(b, loc, index(0), index(features), index(width),
                       ValueRange{},
                       [&](OpBuilder &nested, Location at, Value f,
                           ValueRange) {
                         body(nested, at, rowIndices, lane, f);
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

  /// The multi-index of flat batch row `row` in a batch of `sizes`.
  SmallVector<Value> batchIndices(Value row, ValueRange sizes) {
    if (sizes.size() == 1)
      return {row};
    SmallVector<OpFoldResult> basis(sizes.begin(), sizes.end());
    auto delinearize = affine::AffineDelinearizeIndexOp::create(
        b, loc, row, basis, /*hasOuterBound=*/true);
    return SmallVector<Value>(delinearize.getResults());
  }

  void emitFeatureLoop(int64_t features,
                       function_ref<void(OpBuilder &, Location, Value)> body) {
    scf::ForOp::create(b, loc, index(0), index(features), index(1),
                       ValueRange{},
                       [&](OpBuilder &nested, Location at, Value f,
                           ValueRange) {
                         body(nested, at, f);
                         scf::YieldOp::create(nested, at);
                       });
  }

  /// One register tile: rows [first, first + tileRows) of a stage, with
  /// `tileRows · lanes / vectorWidth` accumulators carried through the
  /// reduction loop.
  void emitRegisterTile(Value first, int64_t tileRows, int64_t depth,
                        Value in, Value out, WeightFn weight, RowFn inRow,
                        RowFn outRow) {
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
              next.push_back(vector::FMAOp::create(
                  nested, at, broadcast, inputs[v],
                  acc[m * vectorsPerRow + v]));
          }
          scf::YieldOp::create(nested, at, next);
        });
    for (int64_t m = 0; m < tileRows; ++m) {
      Value row = outRow(b, loc, rowIndex[m]);
      for (int64_t v = 0; v < vectorsPerRow; ++v)
        vector::StoreOp::create(b, loc,
                                reduction.getResult(m * vectorsPerRow + v),
                                out, ValueRange{row, laneOffsets[v]});
    }
  }

  OpBuilder &b;
  Location loc;
  const BatchVectorKernelOptions &options;
  Type f32;
  VectorType vectorType;
};

/// The parts of a blockdiag (w2 absent), monarch (rank 1, rank-less
/// weights) or btt op that the emitter needs.
struct StructuredMap {
  Value x, w1, w2, init;
  /// Rank of the BTT; 1 for monarch and blockdiag.
  int64_t rank = 1;
  /// Whether the weights carry a rank dimension (btt).
  bool rankedWeights = false;
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

/// Lowers `op` (already checked) to vector code and erases it.
void lowerToVectors(PatternRewriter &rewriter, Operation *op,
                    const StructuredMap &map,
                    const BatchVectorKernelOptions &options) {
  Location loc = op->getLoc();
  BatchVectorEmitter emit(rewriter, loc, options);
  auto xType = cast<MemRefType>(map.x.getType());
  auto initType = cast<MemRefType>(map.init.getType());
  ArrayRef<int64_t> w1Shape = cast<MemRefType>(map.w1.getType()).getShape();
  int64_t rank = map.rank;
  // w1: k × [R ×] q × p.
  int64_t k = w1Shape.front(), q = w1Shape[w1Shape.size() - 2],
          p = w1Shape.back();
  int64_t n = xType.getShape().back(), outFeatures = initType.getShape().back();

  // Flat batch size.
  SmallVector<Value> batchSizes;
  Value batch = emit.index(1);
  for (int64_t d = 0, e = xType.getRank() - 1; d < e; ++d) {
    Value size = memref::DimOp::create(rewriter, loc, map.x, d);
    batchSizes.push_back(size);
    batch = arith::MulIOp::create(rewriter, loc, batch, size);
  }

  Value packedX = emit.allocate(n);
  Value packedZ = map.w2 ? emit.allocate(rank * k * q) : Value();
  Value packedY = emit.allocate(outFeatures);

  auto groupLoop = scf::ForOp::create(rewriter, loc, emit.index(0), batch,
                                      emit.index(options.lanes));
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(groupLoop.getBody()->getTerminator());
    Value first = groupLoop.getInductionVar();
    Value left = arith::SubIOp::create(rewriter, loc, batch, first);
    Value count = arith::MinUIOp::create(rewriter, loc, left,
                                         emit.index(options.lanes));
    // Full groups move 16×16 tiles through registers; the last, partial
    // group goes element by element.
    bool tiledCopies = hasUnitInnerStride(map.x) &&
                       hasUnitInnerStride(map.init) &&
                       n % options.vectorWidth == 0 &&
                       outFeatures % options.vectorWidth == 0;
    Value fullGroup;
    if (tiledCopies) {
      fullGroup = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                        count, emit.index(options.lanes));
      auto ifOp = scf::IfOp::create(rewriter, loc, fullGroup,
                                    /*withElseRegion=*/true);
      OpBuilder::InsertionGuard ifGuard(rewriter);
      rewriter.setInsertionPoint(ifOp.thenYield());
      emit.emitPackTiles(map.x, batchSizes, first, packedX, n);
      rewriter.setInsertionPoint(ifOp.elseYield());
      emit.emitPack(map.x, batchSizes, first, count, packedX, n);
    } else {
      emit.emitPack(map.x, batchSizes, first, count, packedX, n);
    }

    // First factor, block i (and rank component ρ for btt):
    //   Z[ρ·k·q + i·q + j] = Σ_t w1[i, (ρ,) j, t] · X[i·p + t].
    Value firstOut = map.w2 ? packedZ : packedY;
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
          q, p, packedX, firstOut,
          [&](OpBuilder &bb, Location at, Value j, Value t) {
            SmallVector<Value> idx = {i};
            if (map.rankedWeights)
              idx.push_back(rho);
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

    if (map.w2) {
      // Second factor, block a: the reduction runs over (c, ρ), the order
      // of w2's last two dims:
      //   Y[u·l + a] = Σ_{c,ρ} w2[a, u, c(, ρ)] · Z[ρ·k·q + c·l + a].
      ArrayRef<int64_t> w2Shape =
          cast<MemRefType>(map.w2.getType()).getShape();
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
        return std::make_pair(
            Value(arith::DivUIOp::create(bb, at, t, rankSize)),
            Value(arith::RemUIOp::create(bb, at, t, rankSize)));
      };
      emit.emitStage(
          s, r * rank, packedZ, packedY,
          [&](OpBuilder &bb, Location at, Value u, Value t) {
            auto [c, rho] = splitReduction(bb, at, t);
            SmallVector<Value> idx = {a, u, c};
            if (map.rankedWeights)
              idx.push_back(rho);
            return emit.loadF32(bb, at, map.w2, idx);
          },
          [&](OpBuilder &bb, Location at, Value t) -> Value {
            auto [c, rho] = splitReduction(bb, at, t);
            Value row = arith::AddIOp::create(
                bb, at,
                arith::MulIOp::create(
                    bb, at, c, arith::ConstantIndexOp::create(bb, at, l)),
                a);
            if (!rho)
              return row;
            return arith::AddIOp::create(
                bb, at,
                arith::MulIOp::create(
                    bb, at, rho,
                    arith::ConstantIndexOp::create(bb, at, k * q)),
                row);
          },
          [&](OpBuilder &bb, Location at, Value u) -> Value {
            return arith::AddIOp::create(
                bb, at,
                arith::MulIOp::create(
                    bb, at, u, arith::ConstantIndexOp::create(bb, at, l)),
                a);
          });
    }

    if (tiledCopies) {
      auto ifOp = scf::IfOp::create(rewriter, loc, fullGroup,
                                    /*withElseRegion=*/true);
      OpBuilder::InsertionGuard ifGuard(rewriter);
      rewriter.setInsertionPoint(ifOp.thenYield());
      emit.emitUnpackTiles(packedY, map.init, batchSizes, first, outFeatures);
      rewriter.setInsertionPoint(ifOp.elseYield());
      emit.emitUnpack(packedY, map.init, batchSizes, first, count,
                      outFeatures);
    } else {
      emit.emitUnpack(packedY, map.init, batchSizes, first, count,
                      outFeatures);
    }
  }
  for (Value buffer : {packedX, packedZ, packedY})
    if (buffer)
      memref::DeallocOp::create(rewriter, loc, buffer);
  rewriter.eraseOp(op);
}

template <typename OpTy>
struct LowerToBatchVectors : OpRewritePattern<OpTy> {
  LowerToBatchVectors(MLIRContext *context,
                      const BatchVectorKernelOptions &options)
      : OpRewritePattern<OpTy>(context), options(options) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    StructuredMap map = getMap(op);
    // A kernel shape chosen for this op (structured-select-tiles) wins over
    // the pass options.
    BatchVectorKernelOptions kernel = options;
    if (auto shape = op->template getAttrOfType<DenseI64ArrayAttr>(
            kKernelAttrName)) {
      if (shape.size() != 2)
        return rewriter.notifyMatchFailure(
            op, "structured.kernel must be [lanes, row_block]");
      kernel.lanes = shape[0];
      kernel.rowBlock = shape[1];
    }
    if (failed(checkSupported(rewriter, op, map, kernel)))
      return failure();
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
    return {op.getX(), op.getW1(), op.getW2(), op.getInit(), rank,
            /*rankedWeights=*/true};
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
               LowerToBatchVectors<BTTOp>>(patterns.getContext(), options);
}
