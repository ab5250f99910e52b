//===- Decompose.cpp - Structured ops to linalg ---------------------------===//
//
// The reference lowering of every structured op: contractions as
// `linalg.generic` over views of the operands whose feature dimension is
// reshaped into blocks. Stride permutations inside Monarch and BTT become
// indexing maps; a standalone `permute` becomes `linalg.transpose`.
//
//===----------------------------------------------------------------------===//

#include "structured/Analysis/CostModel/CostModel.h"
#include "structured/Analysis/CostModel/GpuKernelPlan.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"
#include "structured/Dialect/Structured/Utils/EinsumSpec.h"
#include "structured/Dialect/Structured/Utils/KernelLoops.h"
#include "structured/Dialect/Structured/Utils/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/MathExtras.h"

#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include <cmath>

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDDECOMPOSE
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

namespace {

/// Builds the linalg ops of one decomposition. It hides whether the op works
/// on tensors (values flow through results) or on memrefs (ops write views,
/// temporaries are allocated and freed).
class DecompositionBuilder {
public:
  /// complex<f32> for complex operands, else f32.
  static Type accumulatorTypeFor(Value value) {
    Type element = cast<ShapedType>(value.getType()).getElementType();
    if (isa<ComplexType>(element))
      return element;
    return Float32Type::get(value.getContext());
  }

  DecompositionBuilder(PatternRewriter &rewriter, Operation *op, Value x,
                       bool deallocateTemporaries)
      : rewriter(rewriter), loc(op->getLoc()), x(x),
        deallocateTemporaries(deallocateTemporaries),
        batchRank(cast<ShapedType>(x.getType()).getRank() - 1),
        accumulatorType(accumulatorTypeFor(x)),
        onTensors(isa<RankedTensorType>(x.getType())) {
    rewriter.setInsertionPoint(op);
  }

  int64_t getBatchRank() const { return batchRank; }

  /// The accumulation type: complex<f32> for complex operands, else f32.
  Type getAccumulatorType() const { return accumulatorType; }

  /// A new accumulator-typed buffer shaped [batch dims of x...,
  /// featureShape...], or just [featureShape...] without `withBatch`.
  Value createTemporary(ArrayRef<int64_t> featureShape, bool withBatch = true,
                        Type elementType = {}) {
    if (!elementType)
      elementType = accumulatorType;
    auto xType = cast<ShapedType>(x.getType());
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamicSizes;
    if (withBatch) {
      llvm::append_range(shape, xType.getShape().drop_back());
      for (int64_t d = 0; d < batchRank; ++d)
        if (xType.isDynamicDim(d))
          dynamicSizes.push_back(getDim(x, d));
    }
    llvm::append_range(shape, featureShape);
    if (onTensors)
      return tensor::EmptyOp::create(rewriter, loc, shape, elementType,
                                     dynamicSizes);
    Value alloc = memref::AllocOp::create(
        rewriter, loc, MemRefType::get(shape, elementType), dynamicSizes);
    temporaries.push_back(alloc);
    return alloc;
  }

  Value fillWithZero(Value dest) {
    Type elementType = cast<ShapedType>(dest.getType()).getElementType();
    Value zero;
    if (auto complexType = dyn_cast<ComplexType>(elementType)) {
      Attribute part = rewriter.getFloatAttr(complexType.getElementType(), 0);
      zero = complex::ConstantOp::create(rewriter, loc, complexType,
                                         rewriter.getArrayAttr({part, part}));
    } else {
      zero = arith::ConstantOp::create(rewriter, loc, elementType,
                                       rewriter.getZeroAttr(elementType));
    }
    auto fill = linalg::FillOp::create(rewriter, loc, zero, dest);
    return onTensors ? fill.getResult(0) : dest;
  }

  /// acc[...] += ext(lhs[...]) · ext(rhs[...]) over `numDims` loops whose last
  /// `numReductions` are reductions; operands are indexed by `maps`, given as
  /// lists of loop indices. Returns the new accumulator value.
  Value contract(Value lhs, Value rhs, Value acc, int64_t numDims,
                 int64_t numReductions,
                 ArrayRef<SmallVector<int64_t>> operandDims) {
    SmallVector<AffineMap> maps;
    for (ArrayRef<int64_t> dims : operandDims) {
      SmallVector<AffineExpr> exprs;
      for (int64_t d : dims)
        exprs.push_back(rewriter.getAffineDimExpr(d));
      maps.push_back(AffineMap::get(numDims, 0, exprs, rewriter.getContext()));
    }
    SmallVector<utils::IteratorType> iterators(numDims - numReductions,
                                               utils::IteratorType::parallel);
    iterators.append(numReductions, utils::IteratorType::reduction);
    Type accType = cast<ShapedType>(acc.getType()).getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultTypesFor(acc), ValueRange{lhs, rhs},
        ValueRange{acc}, maps, iterators,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value a = extend(b, nestedLoc, args[0], accType);
          Value c = extend(b, nestedLoc, args[1], accType);
          Value product = multiply(b, nestedLoc, a, c);
          Value sum = add(b, nestedLoc, args[2], product);
          linalg::YieldOp::create(b, nestedLoc, sum);
        });
    return valueOf(generic, acc);
  }

  /// Like `contract`, but the body is built by `body(b, loc, args)`, which
  /// returns the value to yield; used when weights are gathered.
  Value generic(ValueRange inputs, Value acc, int64_t numDims,
                int64_t numReductions,
                ArrayRef<SmallVector<int64_t>> operandDims,
                function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    SmallVector<AffineMap> maps;
    for (ArrayRef<int64_t> dims : operandDims) {
      SmallVector<AffineExpr> exprs;
      for (int64_t d : dims)
        exprs.push_back(rewriter.getAffineDimExpr(d));
      maps.push_back(AffineMap::get(numDims, 0, exprs, rewriter.getContext()));
    }
    SmallVector<utils::IteratorType> iterators(numDims - numReductions,
                                               utils::IteratorType::parallel);
    iterators.append(numReductions, utils::IteratorType::reduction);
    auto op = linalg::GenericOp::create(
        rewriter, loc, resultTypesFor(acc), inputs, ValueRange{acc}, maps,
        iterators, [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(b, nestedLoc, body(b, nestedLoc, args));
        });
    return valueOf(op, acc);
  }

  /// Reads `source[indices]` (tensor.extract or memref.load).
  static Value read(OpBuilder &b, Location loc, Value source,
                    ValueRange indices) {
    if (isa<RankedTensorType>(source.getType()))
      return tensor::ExtractOp::create(b, loc, source, indices);
    return memref::LoadOp::create(b, loc, source, indices);
  }

  static Value extend(OpBuilder &b, Location loc, Value value, Type type) {
    if (value.getType() == type)
      return value;
    if (auto complexType = dyn_cast<ComplexType>(type)) {
      // A real value as a complex one.
      Type part = complexType.getElementType();
      Value real = extend(b, loc, value, part);
      Value zero =
          arith::ConstantOp::create(b, loc, part, b.getFloatAttr(part, 0));
      return complex::CreateOp::create(b, loc, complexType, real, zero);
    }
    return arith::ExtFOp::create(b, loc, type, value);
  }

  /// The zero of a float or complex type.
  static Value zero(OpBuilder &b, Location loc, Type type) {
    if (auto complexType = dyn_cast<ComplexType>(type)) {
      Attribute part = b.getFloatAttr(complexType.getElementType(), 0);
      return complex::ConstantOp::create(b, loc, complexType,
                                         b.getArrayAttr({part, part}));
    }
    return arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
  }

  /// Products and sums of real (arith) or complex (complex) values.
  static Value multiply(OpBuilder &b, Location loc, Value lhs, Value rhs) {
    if (isa<ComplexType>(lhs.getType()))
      return complex::MulOp::create(b, loc, lhs, rhs);
    return arith::MulFOp::create(b, loc, lhs, rhs);
  }
  static Value add(OpBuilder &b, Location loc, Value lhs, Value rhs) {
    if (isa<ComplexType>(lhs.getType()))
      return complex::AddOp::create(b, loc, lhs, rhs);
    return arith::AddFOp::create(b, loc, lhs, rhs);
  }

  /// Emits loops over every element of `indices` asserting 0 <= v < bound:
  /// an scf.parallel nest when `parallel`, else an scf.for nest.
  void assertInRange(Value indices, int64_t bound, StringRef message,
                     bool parallel) {
    auto type = cast<ShapedType>(indices.getType());
    SmallVector<Value> lower, upper, steps;
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t d = 0; d < type.getRank(); ++d) {
      lower.push_back(zero);
      upper.push_back(getDim(indices, d));
      steps.push_back(one);
    }
    Type elementType = type.getElementType();
    auto body = [&](OpBuilder &b, Location nestedLoc, ValueRange ivs) {
      Value v = read(b, nestedLoc, indices, ivs);
      Value min = arith::ConstantOp::create(b, nestedLoc, elementType,
                                            b.getIntegerAttr(elementType, 0));
      Value max = arith::ConstantOp::create(
          b, nestedLoc, elementType, b.getIntegerAttr(elementType, bound));
      Value aboveMin = arith::CmpIOp::create(b, nestedLoc,
                                             arith::CmpIPredicate::sge, v, min);
      Value belowMax = arith::CmpIOp::create(b, nestedLoc,
                                             arith::CmpIPredicate::slt, v, max);
      Value ok = arith::AndIOp::create(b, nestedLoc, aboveMin, belowMax);
      cf::AssertOp::create(b, nestedLoc, ok, message);
    };
    if (parallel)
      buildKernelLoop(rewriter, loc, upper, body);
    else
      scf::buildLoopNest(rewriter, loc, lower, upper, steps, body);
  }

  /// Converts `source` elementwise into `dest` (same shape).
  Value truncateInto(Value source, Value dest) {
    int64_t rank = cast<ShapedType>(dest.getType()).getRank();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    Type destType = cast<ShapedType>(dest.getType()).getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultTypesFor(dest), ValueRange{source},
        ValueRange{dest}, ArrayRef<AffineMap>{id, id},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value converted =
              arith::TruncFOp::create(b, nestedLoc, destType, args[0]);
          linalg::YieldOp::create(b, nestedLoc, converted);
        });
    return valueOf(generic, dest);
  }

  Value transpose(Value source, Value dest, ArrayRef<int64_t> permutation) {
    auto op =
        linalg::TransposeOp::create(rewriter, loc, source, dest, permutation);
    return onTensors ? op->getResult(0) : dest;
  }

  /// Computes into `dest` (a view of the op's init whose feature dimension is
  /// reshaped) with `compute`, which receives the accumulator to use: `dest`
  /// itself when it has the accumulator type, else a zeroed accumulator
  /// temporary that is truncated afterwards.
  Value accumulateInto(Value dest, ArrayRef<int64_t> featureShape,
                       function_ref<Value(Value)> compute) {
    bool direct =
        cast<ShapedType>(dest.getType()).getElementType() == accumulatorType;
    Value acc = fillWithZero(direct ? dest : createTemporary(featureShape));
    Value result = compute(acc);
    return direct ? result : truncateInto(result, dest);
  }

  /// Replaces `op` by the decomposition whose final value (on tensors) is
  /// `finalView`, a view of init with reshaped features; frees temporaries
  /// if asked to.
  void finish(Operation *op, Value finalView, int64_t reshapedFeatureRank) {
    if (deallocateTemporaries)
      for (Value temporary : temporaries)
        memref::DeallocOp::create(rewriter, loc, temporary);
    if (!onTensors) {
      rewriter.eraseOp(op);
      return;
    }
    if (reshapedFeatureRank > 1)
      finalView =
          collapseTrailingDims(rewriter, loc, finalView, reshapedFeatureRank);
    rewriter.replaceOp(op, finalView);
  }

  /// Casts `source` so that its batch sizes are static exactly where those of
  /// `like` are; feature size and layout are kept.
  Value castBatchDimsLike(Value source, Value like) {
    auto sourceType = cast<ShapedType>(source.getType());
    SmallVector<int64_t> shape(
        cast<ShapedType>(like.getType()).getShape().drop_back());
    shape.push_back(sourceType.getShape().back());
    if (shape == sourceType.getShape())
      return source;
    if (auto tensorType = dyn_cast<RankedTensorType>(sourceType))
      return tensor::CastOp::create(rewriter, loc, tensorType.clone(shape),
                                    source);
    auto memrefType = cast<MemRefType>(sourceType);
    return memref::CastOp::create(
        rewriter, loc,
        MemRefType::get(shape, memrefType.getElementType(),
                        memrefType.getLayout(), memrefType.getMemorySpace()),
        source);
  }

  Value expand(Value source, ArrayRef<int64_t> innerSizes) {
    if (innerSizes.size() == 1)
      return source;
    return expandLastDim(rewriter, loc, source, innerSizes);
  }

  /// Re-views a contiguous f32 temporary [batch..., a, b] as [batch..., c, d].
  Value reshapeTrailing(Value source, int64_t count,
                        ArrayRef<int64_t> innerSizes) {
    Value flat = collapseTrailingDims(rewriter, loc, source, count);
    return expand(flat, innerSizes);
  }

private:
  Value getDim(Value value, int64_t d) {
    if (onTensors)
      return tensor::DimOp::create(rewriter, loc, value, d);
    return memref::DimOp::create(rewriter, loc, value, d);
  }

  SmallVector<Type> resultTypesFor(Value dest) const {
    if (onTensors)
      return {dest.getType()};
    return {};
  }

  Value valueOf(linalg::GenericOp generic, Value dest) const {
    return onTensors ? generic.getResult(0) : dest;
  }

  PatternRewriter &rewriter;
  Location loc;
  Value x;
  bool deallocateTemporaries;
  int64_t batchRank;
  Type accumulatorType;
  bool onTensors;
  SmallVector<Value> temporaries;
};

/// Loop indices [0, batchRank) followed by `rest`.
static SmallVector<int64_t> batchThen(int64_t batchRank,
                                      ArrayRef<int64_t> rest) {
  SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(0, batchRank));
  llvm::append_range(dims, rest);
  return dims;
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// Whether `options` leave `op` to the vector or GPU kernel lowering.
static bool isLeftToKernelLowering(const DecompositionOptions &options,
                                   Operation *op) {
  // causal-conv=direct asks for the O(L²) sum, which has no kernel.
  return (options.keepBatchVectorizable && hasBatchVectorLowering(op)) ||
         (options.keepGpuKernels && hasGpuKernelLowering(op) &&
          !(options.directCausalConv && isa<CausalConvOp>(op)));
}

/// Base of the decomposition patterns: carries the options.
template <typename OpTy> struct DecompositionPattern : OpRewritePattern<OpTy> {
  DecompositionPattern(MLIRContext *context,
                       const DecompositionOptions &options)
      : OpRewritePattern<OpTy>(context), options(options) {}

  DecompositionOptions options;
};

struct DecomposeBlockDiag : DecompositionPattern<BlockDiagOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(BlockDiagOp op,
                                PatternRewriter &rewriter) const override {
    if (isLeftToKernelLowering(options, op))
      return rewriter.notifyMatchFailure(op, "left to the vector lowering");
    ArrayRef<int64_t> w = shapeOf(op.getW());
    int64_t k = w[0], q = w[1], p = w[2];
    DecompositionBuilder builder(rewriter, op, op.getX(),
                                 options.deallocateTemporaries);
    int64_t nb = builder.getBatchRank();
    // Loops: batch..., i (block), j (row), t (reduction over columns).
    int64_t i = nb, j = nb + 1, t = nb + 2;
    Value x = builder.expand(op.getX(), {k, p});
    Value y = builder.expand(op.getInit(), {k, q});
    Value result = builder.accumulateInto(y, {k, q}, [&](Value acc) {
      return builder.contract(
          x, op.getW(), acc, nb + 3, 1,
          {batchThen(nb, {i, t}), {i, j, t}, batchThen(nb, {i, j})});
    });
    builder.finish(op, result, 2);
    return success();
  }
};

struct DecomposePermute : DecompositionPattern<PermuteOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(PermuteOp op,
                                PatternRewriter &rewriter) const override {
    int64_t rows = op.getRows(), cols = op.getCols();
    DecompositionBuilder builder(rewriter, op, op.getX(),
                                 options.deallocateTemporaries);
    int64_t nb = builder.getBatchRank();
    // linalg.transpose needs the batch sizes of both sides to agree
    // statically; the verifier allows a static size on one side only.
    Value x = builder.expand(builder.castBatchDimsLike(op.getX(), op.getInit()),
                             {rows, cols});
    Value y = builder.expand(op.getInit(), {cols, rows});
    SmallVector<int64_t> permutation = batchThen(nb, {nb + 1, nb});
    Value result = builder.transpose(x, y, permutation);
    builder.finish(op, result, 2);
    return success();
  }
};

/// Shared by Monarch (rank = 0: no rank dimension) and BTT.
static void decomposeTwoFactor(PatternRewriter &rewriter, Operation *op,
                               bool deallocateTemporaries, Value xValue,
                               Value w1, Value w2, Value init, int64_t rank,
                               int64_t k, int64_t q, int64_t p, int64_t l,
                               int64_t s, int64_t r) {
  DecompositionBuilder builder(rewriter, op, xValue, deallocateTemporaries);
  int64_t nb = builder.getBatchRank();
  bool hasRank = rank > 0;
  Value x = builder.expand(xValue, {k, p});

  // Stage 1, z[b, ρ, i, j] = Σ_t w1[i, ρ, j, t] · x[b, i, t], in f32.
  // Loops: batch..., (ρ,) i, j, t.
  SmallVector<int64_t> zShape;
  if (hasRank)
    zShape.push_back(rank);
  zShape.append({k, q});
  Value z = builder.fillWithZero(builder.createTemporary(zShape));
  {
    int64_t rho = nb, i = nb + hasRank, j = i + 1, t = i + 2;
    SmallVector<int64_t> w1Dims = hasRank ? SmallVector<int64_t>{i, rho, j, t}
                                          : SmallVector<int64_t>{i, j, t};
    SmallVector<int64_t> zDims =
        hasRank ? batchThen(nb, {rho, i, j}) : batchThen(nb, {i, j});
    z = builder.contract(x, w1, z, t + 1, 1,
                         {batchThen(nb, {i, t}), w1Dims, zDims});
  }
  // View z's k·q features as r×l: feature c·l + a is z[.., c, a].
  z = builder.reshapeTrailing(z, 2, {r, l});

  // Stage 2, y[b, u, a] = Σ_{c,ρ} w2[a, u, c, ρ] · z[b, ρ, c, a], where y is
  // init viewed as s×l (feature u·l + a). Loops: batch..., u, a, c, (ρ).
  Value y = builder.expand(init, {s, l});
  Value result = builder.accumulateInto(y, {s, l}, [&](Value acc) {
    int64_t u = nb, a = nb + 1, c = nb + 2, rho = nb + 3;
    SmallVector<int64_t> zDims =
        hasRank ? batchThen(nb, {rho, c, a}) : batchThen(nb, {c, a});
    SmallVector<int64_t> w2Dims = hasRank ? SmallVector<int64_t>{a, u, c, rho}
                                          : SmallVector<int64_t>{a, u, c};
    return builder.contract(z, w2, acc, nb + 3 + hasRank, 1 + hasRank,
                            {zDims, w2Dims, batchThen(nb, {u, a})});
  });
  builder.finish(op, result, 2);
}

struct DecomposeMonarch : DecompositionPattern<MonarchOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(MonarchOp op,
                                PatternRewriter &rewriter) const override {
    if (isLeftToKernelLowering(options, op))
      return rewriter.notifyMatchFailure(op, "left to the vector lowering");
    ArrayRef<int64_t> w1 = shapeOf(op.getW1()), w2 = shapeOf(op.getW2());
    decomposeTwoFactor(rewriter, op, options.deallocateTemporaries, op.getX(),
                       op.getW1(), op.getW2(), op.getInit(), /*rank=*/0, w1[0],
                       w1[1], w1[2], w2[0], w2[1], w2[2]);
    return success();
  }
};

struct DecomposeBTT : DecompositionPattern<BTTOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(BTTOp op,
                                PatternRewriter &rewriter) const override {
    if (isLeftToKernelLowering(options, op))
      return rewriter.notifyMatchFailure(op, "left to the vector lowering");
    ArrayRef<int64_t> w1 = shapeOf(op.getW1()), w2 = shapeOf(op.getW2());
    decomposeTwoFactor(rewriter, op, options.deallocateTemporaries, op.getX(),
                       op.getW1(), op.getW2(), op.getInit(), /*rank=*/w1[1],
                       w1[0], w1[2], w1[3], w2[0], w2[1], w2[2]);
    return success();
  }
};

/// btt_moe: both stages gather the selected experts' weights inside the
/// contraction (loops over K, never over R).
struct DecomposeBTTMoE : DecompositionPattern<BTTMoEOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(BTTMoEOp op,
                                PatternRewriter &rewriter) const override {
    if (isLeftToKernelLowering(options, op))
      return rewriter.notifyMatchFailure(op, "left to the kernel lowering");
    ArrayRef<int64_t> w1Shape = shapeOf(op.getW1()),
                      w2Shape = shapeOf(op.getW2());
    int64_t k = w1Shape[0], rank = w1Shape[1], q = w1Shape[2], p = w1Shape[3];
    int64_t l = w2Shape[0], s = w2Shape[1], r = w2Shape[2];
    int64_t numSelected = shapeOf(op.getIdx()).back();
    DecompositionBuilder builder(rewriter, op, op.getX(),
                                 options.deallocateTemporaries);
    int64_t nb = builder.getBatchRank();
    Value w1 = op.getW1(), w2 = op.getW2(), idx = op.getIdx();
    if (options.runtimeChecks)
      builder.assertInRange(
          idx, rank,
          ("structured.btt_moe: expert index out of range [0, " + Twine(rank) +
           ")")
              .str(),
          options.parallelChecks);
    Type f32 = rewriter.getF32Type();
    auto expertIndex = [&](OpBuilder &b, Location loc, Value v) -> Value {
      return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
    };

    // Stage 1, z[b, κ, i, j] = Σ_t w1[i, idx[b, κ], j, t] · x[b, i, t].
    // Loops: batch..., κ, i, j, t.
    Value x = builder.expand(op.getX(), {k, p});
    Value z =
        builder.fillWithZero(builder.createTemporary({numSelected, k, q}));
    {
      int64_t kappa = nb, i = nb + 1, j = nb + 2, t = nb + 3;
      z = builder.generic(
          {x, idx}, z, nb + 4, 1,
          {batchThen(nb, {i, t}), batchThen(nb, {kappa}),
           batchThen(nb, {kappa, i, j})},
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            Value rho = expertIndex(b, loc, args[1]);
            Value iv = linalg::IndexOp::create(b, loc, i);
            Value jv = linalg::IndexOp::create(b, loc, j);
            Value tv = linalg::IndexOp::create(b, loc, t);
            Value w = DecompositionBuilder::read(b, loc, w1, {iv, rho, jv, tv});
            Value product = arith::MulFOp::create(
                b, loc, DecompositionBuilder::extend(b, loc, args[0], f32),
                DecompositionBuilder::extend(b, loc, w, f32));
            return arith::AddFOp::create(b, loc, args[2], product);
          });
    }
    // z's k·q features of expert κ viewed as r×l: feature c·l + a.
    z = builder.reshapeTrailing(z, 2, {r, l});

    // Stage 2, y[b, u, a] = Σ_{κ,c} gate[b, κ] · w2[a, u, c, idx[b, κ]] ·
    // z[b, κ, c, a]. Loops: batch..., u, a, κ, c.
    Value y = builder.expand(op.getInit(), {s, l});
    Value result = builder.accumulateInto(y, {s, l}, [&](Value acc) {
      int64_t u = nb, a = nb + 1, kappa = nb + 2, c = nb + 3;
      return builder.generic(
          {z, idx, op.getGate()}, acc, nb + 4, 2,
          {batchThen(nb, {kappa, c, a}), batchThen(nb, {kappa}),
           batchThen(nb, {kappa}), batchThen(nb, {u, a})},
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            Value rho = expertIndex(b, loc, args[1]);
            Value uv = linalg::IndexOp::create(b, loc, u);
            Value av = linalg::IndexOp::create(b, loc, a);
            Value cv = linalg::IndexOp::create(b, loc, c);
            Value w = DecompositionBuilder::read(b, loc, w2, {av, uv, cv, rho});
            Value gate = DecompositionBuilder::extend(b, loc, args[2], f32);
            Value weighted = arith::MulFOp::create(
                b, loc, gate, DecompositionBuilder::extend(b, loc, w, f32));
            Value product = arith::MulFOp::create(b, loc, weighted, args[0]);
            return arith::AddFOp::create(b, loc, args[3], product);
          });
    });
    builder.finish(op, result, 2);
    return success();
  }
};

/// Letters of the union of `a` and `b`, in order of first appearance.
static std::string unionOfLetters(StringRef a, StringRef b) {
  std::string result = a.str();
  for (char letter : b)
    if (result.find(letter) == std::string::npos)
      result.push_back(letter);
  return result;
}

/// The letters that contracting terms[i] and terms[j] keeps: those that a
/// remaining term or the output still needs.
static std::string keptLetters(ArrayRef<std::string> terms, size_t i, size_t j,
                               StringRef output) {
  std::string needed = output.str();
  for (size_t t = 0; t < terms.size(); ++t)
    if (t != i && t != j)
      needed = unionOfLetters(needed, terms[t]);
  std::string kept;
  for (char letter : unionOfLetters(terms[i], terms[j]))
    if (needed.find(letter) != std::string::npos)
      kept.push_back(letter);
  return kept;
}

/// Multiply-adds of the cheapest sequence of pairwise contractions of
/// `terms` down to one term; `firstPair` receives its first pair. The search
/// is exhaustive (fine for the handful of factors of a structured layer).
static double cheapestPath(SmallVector<std::string> terms, StringRef output,
                           function_ref<double(StringRef)> weightOf,
                           std::pair<size_t, size_t> *firstPair) {
  if (terms.size() <= 1)
    return 0;
  double best = -1;
  for (size_t i = 0; i < terms.size(); ++i)
    for (size_t j = i + 1; j < terms.size(); ++j) {
      double cost = weightOf(unionOfLetters(terms[i], terms[j]));
      SmallVector<std::string> rest;
      for (size_t t = 0; t < terms.size(); ++t)
        if (t != i && t != j)
          rest.push_back(terms[t]);
      rest.push_back(keptLetters(terms, i, j, output));
      cost += cheapestPath(rest, output, weightOf, nullptr);
      if (best < 0 || cost < best) {
        best = cost;
        if (firstPair)
          *firstPair = {i, j};
      }
    }
  return best;
}

/// The first pair to contract: from the cheapest full path when there are
/// few terms, else greedily the cheapest pair that shares a letter (as
/// opt_einsum's greedy path, which avoids outer products).
static std::pair<size_t, size_t>
cheapestFirstContraction(ArrayRef<std::string> terms, StringRef output,
                         function_ref<double(StringRef)> weightOf) {
  std::pair<size_t, size_t> pair{0, 1};
  if (terms.size() <= 6) {
    cheapestPath(SmallVector<std::string>(terms), output, weightOf, &pair);
    return pair;
  }
  double best = -1;
  for (size_t i = 0; i < terms.size(); ++i)
    for (size_t j = i + 1; j < terms.size(); ++j) {
      bool shares = llvm::any_of(terms[i], [&](char letter) {
        return terms[j].find(letter) != std::string::npos;
      });
      double cost = weightOf(unionOfLetters(terms[i], terms[j]));
      if (!shares)
        cost *= 1e6;
      if (best < 0 || cost < best) {
        best = cost;
        pair = {i, j};
      }
    }
  return pair;
}

/// einsum_linear: pairwise contractions in the order of least multiply-adds
/// (as opt_einsum). The last contraction writes the output view directly, in
/// the output's letter order.
struct DecomposeEinsumLinear : DecompositionPattern<EinsumLinearOp> {
  using DecompositionPattern::DecompositionPattern;

  /// An operand of the remaining contractions: its letters (the batch letter
  /// stands for all batch dimensions) and its value.
  struct Term {
    std::string letters;
    Value value;
  };

  LogicalResult matchAndRewrite(EinsumLinearOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<EinsumSpec> spec = op.getResolvedSpec();
    if (failed(spec))
      return failure();

    DecompositionBuilder builder(rewriter, op, op.getX(),
                                 options.deallocateTemporaries);
    int64_t nb = builder.getBatchRank();
    char batch = spec->batch;
    auto sizesOf = [&](StringRef letters) {
      SmallVector<int64_t> sizes;
      for (char letter : letters)
        sizes.push_back(spec->sizes.lookup(letter));
      return sizes;
    };
    // The batch counts as this many elements when ranking contractions.
    int64_t batchWeight = 1;
    for (int64_t size : shapeOf(op.getX()).drop_back())
      batchWeight *=
          ShapedType::isDynamic(size) ? 1024 : std::max<int64_t>(size, 1);
    auto weightOf = [&](StringRef letters) {
      double weight = 1;
      for (char letter : letters)
        weight *= letter == batch ? batchWeight : spec->sizes.lookup(letter);
      return weight;
    };

    SmallVector<Term> terms;
    terms.push_back(
        {batch + spec->input, builder.expand(op.getX(), sizesOf(spec->input))});
    for (auto [letters, factor] :
         llvm::zip_equal(spec->factors, op.getFactors()))
      terms.push_back({letters, factor});
    std::string outLetters = batch + spec->output;
    Value y = builder.expand(op.getInit(), sizesOf(spec->output));

    while (terms.size() > 2) {
      SmallVector<std::string> letters;
      for (const Term &term : terms)
        letters.push_back(term.letters);
      auto [bestI, bestJ] =
          cheapestFirstContraction(letters, outLetters, weightOf);
      std::string kept = keptLetters(letters, bestI, bestJ, outLetters);
      Term lhs = terms[bestI], rhs = terms[bestJ];
      terms.erase(terms.begin() + bestJ);
      terms.erase(terms.begin() + bestI);
      // Batch first, so that the temporary is [batch..., features...].
      bool hasBatch = kept.find(batch) != std::string::npos;
      if (hasBatch)
        kept = batch + StringRef(kept).drop_front(kept.find(batch) + 1).str() +
               StringRef(kept).take_front(kept.find(batch)).str();
      std::string features = hasBatch ? kept.substr(1) : kept;
      Value temp = builder.fillWithZero(
          builder.createTemporary(sizesOf(features), hasBatch));
      Value result = contractTerms(builder, nb, batch, lhs, rhs, kept, temp);
      terms.push_back({kept, result});
    }

    Value result =
        builder.accumulateInto(y, sizesOf(spec->output), [&](Value acc) {
          if (terms.size() == 1)
            return contractTerms(builder, nb, batch, terms[0], std::nullopt,
                                 outLetters, acc);
          return contractTerms(builder, nb, batch, terms[0], terms[1],
                               outLetters, acc);
        });
    builder.finish(op, result, spec->output.size());
    return success();
  }

private:
  /// acc[kept] += lhs · rhs (or += lhs alone), summing the other letters.
  static Value contractTerms(DecompositionBuilder &builder, int64_t nb,
                             char batch, const Term &lhs,
                             std::optional<Term> rhs, StringRef kept,
                             Value acc) {
    // Loop dimensions: the batch dims, the kept letters, then the summed ones.
    std::string all = lhs.letters;
    if (rhs)
      for (char letter : rhs->letters)
        if (all.find(letter) == std::string::npos)
          all.push_back(letter);
    std::string order;
    for (char letter : kept)
      if (letter != batch)
        order.push_back(letter);
    int64_t numReductions = 0;
    for (char letter : all)
      if (letter != batch && kept.find(letter) == StringRef::npos) {
        order.push_back(letter);
        ++numReductions;
      }
    bool batched = all.find(batch) != std::string::npos;
    int64_t first = batched ? nb : 0;
    auto dimsOf = [&](StringRef letters) {
      SmallVector<int64_t> dims;
      for (char letter : letters) {
        if (letter == batch) {
          for (int64_t d = 0; d < nb; ++d)
            dims.push_back(d);
          continue;
        }
        dims.push_back(first + order.find(letter));
      }
      return dims;
    };
    int64_t numDims = first + order.size();
    if (!rhs)
      return builder.generic(
          {lhs.value}, acc, numDims, numReductions,
          {dimsOf(lhs.letters), dimsOf(kept)},
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            Value v = DecompositionBuilder::extend(b, loc, args[0],
                                                   args[1].getType());
            return arith::AddFOp::create(b, loc, args[1], v);
          });
    return builder.contract(
        lhs.value, rhs->value, acc, numDims, numReductions,
        {dimsOf(lhs.letters), dimsOf(rhs->letters), dimsOf(kept)});
  }
};

//===----------------------------------------------------------------------===//
// Polynomial maps
//===----------------------------------------------------------------------===//

/// The factorisation M = m1·m2 used for a DFT of size M: m1 the largest
/// divisor of M not above √M.
static std::pair<int64_t, int64_t> balancedFactors(int64_t m) {
  int64_t m1 = 1;
  for (int64_t d = 1; d * d <= m; ++d)
    if (m % d == 0)
      m1 = d;
  return {m1, m / m1};
}

/// Fills a complex<f32> tensor/buffer of `shape` with
/// exp(sign·2πi·(phase(indices) mod M)/M), computed in f64.
static Value
twiddles(PatternRewriter &rewriter, Location loc, DecompositionBuilder &builder,
         ArrayRef<int64_t> shape, int64_t m, double sign,
         function_ref<Value(OpBuilder &, Location, ValueRange)> phase) {
  Value dest = builder.createTemporary(shape, /*withBatch=*/false);
  int64_t rank = shape.size();
  return builder.generic(
      {}, dest, rank, 0, {llvm::to_vector(llvm::seq<int64_t>(0, rank))},
      [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(b, nestedLoc, d));
        Value mValue = arith::ConstantIndexOp::create(b, nestedLoc, m);
        Value reduced = arith::RemUIOp::create(
            b, nestedLoc, phase(b, nestedLoc, indices), mValue);
        Value asInt =
            arith::IndexCastUIOp::create(b, nestedLoc, b.getI64Type(), reduced);
        Value asFloat =
            arith::UIToFPOp::create(b, nestedLoc, b.getF64Type(), asInt);
        Value scale = arith::ConstantOp::create(
            b, nestedLoc, b.getF64FloatAttr(sign * 2.0 * M_PI / double(m)));
        Value angle = arith::MulFOp::create(b, nestedLoc, asFloat, scale);
        Value re =
            arith::TruncFOp::create(b, nestedLoc, b.getF32Type(),
                                    math::CosOp::create(b, nestedLoc, angle));
        Value im =
            arith::TruncFOp::create(b, nestedLoc, b.getF32Type(),
                                    math::SinOp::create(b, nestedLoc, angle));
        return complex::CreateOp::create(b, nestedLoc, args[0].getType(), re,
                                         im);
      });
}

/// y = DFT_M(x) (sign = -1) or M·IDFT_M(x) (sign = +1) along the last
/// dimension of the complex `x`, as
///   monarch(permute{rows = m1, cols = m2}(x), w1, w2)
/// with w1 = m2 copies of DFT_m1 and the twiddles folded into w2. Emits the
/// structured ops, which a later round decomposes.
static Value monarchDFT(PatternRewriter &rewriter, Location loc,
                        DecompositionBuilder &builder, Value x, Value dest,
                        double sign) {
  int64_t m = shapeOf(x).back();
  // Not a structured binding: C++17 lambdas cannot capture those.
  int64_t m1, m2;
  std::tie(m1, m2) = balancedFactors(m);
  auto mul = [](OpBuilder &b, Location loc, Value lhs, Value rhs) -> Value {
    return arith::MulIOp::create(b, loc, lhs, rhs);
  };
  auto constant = [](OpBuilder &b, Location loc, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  // w1[i, j, t] = ω_{m1}^{j·t} = ω_M^{j·t·m2}.
  Value w1 = twiddles(rewriter, loc, builder, {m2, m1, m1}, m, sign,
                      [&](OpBuilder &b, Location l, ValueRange idx) {
                        return mul(b, l, mul(b, l, idx[1], idx[2]),
                                   constant(b, l, m2));
                      });
  // w2[k1, k2, n2] = ω_{m2}^{n2·k2} · ω_M^{n2·k1} = ω_M^{n2·(k2·m1 + k1)}.
  Value w2 =
      twiddles(rewriter, loc, builder, {m1, m2, m2}, m, sign,
               [&](OpBuilder &b, Location l, ValueRange idx) {
                 Value k = arith::AddIOp::create(
                     b, l, mul(b, l, idx[1], constant(b, l, m1)), idx[0]);
                 return mul(b, l, idx[2], k);
               });
  bool onTensors = isa<RankedTensorType>(x.getType());
  auto resultTypes = [&](Value v) {
    return onTensors ? SmallVector<Type>{v.getType()} : SmallVector<Type>{};
  };
  Value permutedDest = builder.createTemporary({m});
  auto permute = PermuteOp::create(rewriter, loc, resultTypes(permutedDest), x,
                                   permutedDest, m1, m2);
  Value permuted = onTensors ? permute->getResult(0) : permutedDest;
  auto monarch = MonarchOp::create(rewriter, loc, resultTypes(dest), permuted,
                                   w1, w2, dest);
  return onTensors ? monarch->getResult(0) : dest;
}

struct DecomposePolyEval : DecompositionPattern<PolyEvalOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(PolyEvalOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    DecompositionBuilder builder(rewriter, op, op.getInit(),
                                 options.deallocateTemporaries);
    int64_t rank = shapeOf(op.getInit()).size();
    int64_t n = shapeOf(op.getX()).back(), m = shapeOf(op.getInit()).back();
    // Zero-padded complex coefficients: c[..., j] = j < N ? x[..., j] : 0.
    Value x = op.getX();
    Value padded = builder.generic(
        {}, builder.createTemporary({m}), rank, 0,
        {llvm::to_vector(llvm::seq<int64_t>(0, rank))},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d)
            indices.push_back(linalg::IndexOp::create(b, nestedLoc, d));
          Value last = arith::ConstantIndexOp::create(b, nestedLoc, n - 1);
          Value inside = arith::CmpIOp::create(
              b, nestedLoc, arith::CmpIPredicate::ule, indices.back(), last);
          indices.back() =
              arith::MinUIOp::create(b, nestedLoc, indices.back(), last);
          Value value = DecompositionBuilder::extend(
              b, nestedLoc,
              DecompositionBuilder::read(b, nestedLoc, x, indices),
              args[0].getType());
          Value zero =
              DecompositionBuilder::zero(b, nestedLoc, args[0].getType());
          return arith::SelectOp::create(b, nestedLoc, inside, value, zero);
        });
    Value result =
        monarchDFT(rewriter, loc, builder, padded, op.getInit(), -1.0);
    builder.finish(op, result, 1);
    return success();
  }
};

struct DecomposePolyInterp : DecompositionPattern<PolyInterpOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(PolyInterpOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    DecompositionBuilder builder(rewriter, op, op.getX(),
                                 options.deallocateTemporaries);
    int64_t rank = shapeOf(op.getX()).size();
    int64_t m = shapeOf(op.getX()).back();
    Value values = monarchDFT(rewriter, loc, builder, op.getX(),
                              builder.createTemporary({m}), +1.0);
    // y[..., n] = Re(values[..., n]) / M for n < L.
    Value y = op.getInit();
    Type yType = cast<ShapedType>(y.getType()).getElementType();
    Value result = builder.generic(
        {}, y, rank, 0, {llvm::to_vector(llvm::seq<int64_t>(0, rank))},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d)
            indices.push_back(linalg::IndexOp::create(b, nestedLoc, d));
          Value v = DecompositionBuilder::read(b, nestedLoc, values, indices);
          Value re = complex::ReOp::create(b, nestedLoc, v);
          Value scale = arith::ConstantOp::create(
              b, nestedLoc, b.getF32FloatAttr(1.0f / float(m)));
          Value scaled = arith::MulFOp::create(b, nestedLoc, re, scale);
          if (yType.isF32())
            return scaled;
          return arith::TruncFOp::create(b, nestedLoc, yType, scaled);
        });
    builder.finish(op, result, 1);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Causal convolution through real Monarch DFTs
//===----------------------------------------------------------------------===//
//
// With M = m1·m2 >= 2L, the complex DFT of size M is the Monarch product
// (DESIGN.md §1) of a stride permutation, m2 blocks DFT_m1 and m1 twiddled
// blocks DFT_m2 (see monarchDFT). A complex value is two reals, and a complex
// Monarch on values laid out [block, re/im, element] is a *real* Monarch
// whose blocks are the 2×2 real embeddings [[re, -im], [im, re]] of the
// complex ones: because the DFT factors have q = l, the real layout of the
// first stage's output is exactly the one the second stage reads. So
// causal_conv becomes real f32 monarch ops, which the vector kernels run:
//
//   forward (x real, zero-padded to M): x'' = x read as [i < m2, t < T]
//     (T = ceil(L/m2) rows hold the non-zero coefficients);
//     w1f[i, e·m1 + j, t]      = Re/Im ω^{j·t·m2}           (m2 × 2m1 × T)
//     w2f[a, 2u+eo, 2c+ei]     = embed(ω^{c·(u·m1 + a)})   (m1 × 2H × 2m2)
//     spectrum X[kk = u·m1 + a] stored at (2u + e)·m1 + a. The spectrum of
//     a real signal is Hermitian, so only the H = m2/2 + 1 rows u that hold
//     the bins kk <= M/2 are computed.
//   product X·K written as [a, u, e] (the inverse's input order);
//   inverse, keeping the real part of the first U·m2 >= L outputs; the bins
//   0 < kk < M/2 stand for their conjugates too (weight 2), those above M/2
//   are absent (weight 0):
//     w1i[i, e·m2 + j, 2t+ei]  = c(t·m1 + i)·embed(ω^{-j·t·m1})
//                                                          (m1 × 2m2 × 2H)
//     w2i[a, u, 2c+e]          = (Re, -Im)(ω^{-c·(u·m2 + a)}) / M
//                                                          (m2 × U × 2m1)
//
// The four weight tensors depend on L only. They live in private module
// globals filled on the first call, so a layer pays for the cos/sin once.

/// exp(sign·2πi·(exponent mod M)/M) as (re, im), computed in f64 and
/// rounded to f32.
static std::pair<Value, Value>
unitRoot(OpBuilder &b, Location loc, Value exponent, int64_t m, double sign) {
  Value reduced = arith::RemUIOp::create(
      b, loc, exponent, arith::ConstantIndexOp::create(b, loc, m));
  Value asFloat = arith::UIToFPOp::create(
      b, loc, b.getF64Type(),
      arith::IndexCastUIOp::create(b, loc, b.getI64Type(), reduced));
  Value angle = arith::MulFOp::create(
      b, loc, asFloat,
      arith::ConstantOp::create(
          b, loc, b.getF64FloatAttr(sign * 2.0 * M_PI / double(m))));
  Type f32 = b.getF32Type();
  return {
      arith::TruncFOp::create(b, loc, f32, math::CosOp::create(b, loc, angle)),
      arith::TruncFOp::create(b, loc, f32, math::SinOp::create(b, loc, angle))};
}

/// Row `eo`, column `ei` of the real 2×2 embedding [[re, -im], [im, re]].
static Value embedComplex(OpBuilder &b, Location loc, Value re, Value im,
                          Value eo, Value ei) {
  Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, eo, ei);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, eo, zero);
  Value offDiagonal = arith::SelectOp::create(
      b, loc, upper, arith::NegFOp::create(b, loc, im), im);
  return arith::SelectOp::create(b, loc, same, re, offDiagonal);
}

namespace {

/// Reals of the DFT factors of one causal_conv length.
struct RealDFTPlan {
  int64_t length, m, m1, m2, inRows, outRows, halfRows;

  explicit RealDFTPlan(int64_t length) : length(length) {
    m = llvm::PowerOf2Ceil(2 * length);
    std::tie(m1, m2) = balancedFactors(m);
    inRows = llvm::divideCeil(length, m2);
    outRows = llvm::divideCeil(length, m2);
    // m is a power of two >= 2 and m2 >= m1, so m2 is even.
    halfRows = m2 / 2 + 1;
  }
};

} // namespace

/// A weight tensor (or buffer) of `shape`, held in a private module global
/// that is filled by `fill` (value at the given indices) on the first call.
static Value
getCachedWeights(PatternRewriter &rewriter, Location loc, Operation *anchor,
                 StringRef name, ArrayRef<int64_t> shape, bool asTensor,
                 function_ref<Value(OpBuilder &, Location, ValueRange)> fill) {
  auto module = anchor->getParentOfType<ModuleOp>();
  auto type = MemRefType::get(shape, rewriter.getF32Type());
  auto flagType = MemRefType::get({}, rewriter.getI1Type());
  std::string readyName = (name + "_ready").str();
  if (!SymbolTable::lookupSymbolIn(module, name)) {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    memref::GlobalOp::create(rewriter, loc, rewriter.getStringAttr(name),
                             rewriter.getStringAttr("private"),
                             TypeAttr::get(type), rewriter.getUnitAttr(),
                             /*constant=*/nullptr,
                             rewriter.getI64IntegerAttr(64));
    memref::GlobalOp::create(
        rewriter, loc, rewriter.getStringAttr(readyName),
        rewriter.getStringAttr("private"), TypeAttr::get(flagType),
        DenseElementsAttr::get(RankedTensorType::get({}, rewriter.getI1Type()),
                               false),
        /*constant=*/nullptr, /*alignment=*/nullptr);
  }
  // The fill runs at the entry of the function, outside any loop the op
  // may sit in (a batch tile on a thread), so one thread fills the weights
  // before they are read. Calls of the function from several threads at
  // once are not synchronised.
  {
    OpBuilder::InsertionGuard guard(rewriter);
    if (auto func = anchor->getParentOfType<FunctionOpInterface>())
      rewriter.setInsertionPointToStart(&func.getFunctionBody().front());
    Value buffer = memref::GetGlobalOp::create(rewriter, loc, type, name);
    Value flag =
        memref::GetGlobalOp::create(rewriter, loc, flagType, readyName);
    Value ready = memref::LoadOp::create(rewriter, loc, flag, ValueRange{});
    Value notReady = arith::XOrIOp::create(
        rewriter, loc, ready,
        arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(true)));
    scf::IfOp::create(rewriter, loc, notReady, [&](OpBuilder &b, Location l) {
      int64_t rank = shape.size();
      AffineMap id = b.getMultiDimIdentityMap(rank);
      linalg::GenericOp::create(
          b, l, TypeRange{}, ValueRange{}, ValueRange{buffer},
          ArrayRef<AffineMap>{id},
          SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nl, ValueRange) {
            SmallVector<Value> indices;
            for (int64_t d = 0; d < rank; ++d)
              indices.push_back(linalg::IndexOp::create(nb, nl, d));
            linalg::YieldOp::create(nb, nl, fill(nb, nl, indices));
          });
      Value yes = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
      memref::StoreOp::create(b, l, yes, flag, ValueRange{});
      scf::YieldOp::create(b, l);
    });
  }
  Value buffer = memref::GetGlobalOp::create(rewriter, loc, type, name);
  if (!asTensor)
    return buffer;
  return bufferization::ToTensorOp::create(
      rewriter, loc, RankedTensorType::get(shape, rewriter.getF32Type()),
      buffer, /*restrict=*/true);
}

struct DecomposeCausalConv : DecompositionPattern<CausalConvOp> {
  using DecompositionPattern::DecompositionPattern;

  LogicalResult matchAndRewrite(CausalConvOp op,
                                PatternRewriter &rewriter) const override {
    if (isLeftToKernelLowering(options, op))
      return rewriter.notifyMatchFailure(op, "left to the GPU kernels");
    if (options.directCausalConv)
      return decomposeDirect(op, rewriter);
    if (options.cacheDftWeights && !op->getParentOfType<ModuleOp>())
      return rewriter.notifyMatchFailure(op, "no module for the DFT weights");
    Location loc = op.getLoc();
    DecompositionBuilder builder(rewriter, op, op.getX(),
                                 options.deallocateTemporaries);
    int64_t rank = shapeOf(op.getX()).size();
    int64_t channels = shapeOf(op.getK())[0];
    RealDFTPlan plan(shapeOf(op.getK())[1]);
    int64_t m = plan.m, m1 = plan.m1, m2 = plan.m2, rowsIn = plan.inRows,
            rowsOut = plan.outRows, half = plan.halfRows, length = plan.length;
    bool onTensors = isa<RankedTensorType>(op.getX().getType());
    auto typesOf = [&](Value dest) {
      return onTensors ? SmallVector<Type>{dest.getType()}
                       : SmallVector<Type>{};
    };
    auto resultOf = [&](Operation *created, Value dest) {
      return onTensors ? created->getResult(0) : dest;
    };
    auto idx = [](OpBuilder &b, Location l, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, l, v);
    };
    auto mul = [](OpBuilder &b, Location l, Value x, Value y) -> Value {
      return arith::MulIOp::create(b, l, x, y);
    };
    auto add = [](OpBuilder &b, Location l, Value x, Value y) -> Value {
      return arith::AddIOp::create(b, l, x, y);
    };
    auto divRem = [&](OpBuilder &b, Location l, Value v, int64_t d) {
      return std::make_pair(arith::DivUIOp::create(b, l, v, idx(b, l, d)),
                            arith::RemUIOp::create(b, l, v, idx(b, l, d)));
    };

    std::string prefix = "__structured_dft_l" + std::to_string(length);
    // The DFT weights: filled once into module globals, or computed on every
    // call into temporaries (for targets whose kernels cannot read host
    // globals).
    auto weights =
        [&](StringRef name, ArrayRef<int64_t> shape,
            function_ref<Value(OpBuilder &, Location, ValueRange)> fill) {
          if (options.cacheDftWeights)
            return getCachedWeights(rewriter, loc, op, name, shape, onTensors,
                                    fill);
          int64_t rank = shape.size();
          return builder.generic(
              {}, builder.createTemporary(shape, /*withBatch=*/false), rank, 0,
              {llvm::to_vector(llvm::seq<int64_t>(0, rank))},
              [&](OpBuilder &b, Location l, ValueRange) {
                SmallVector<Value> indices;
                for (int64_t d = 0; d < rank; ++d)
                  indices.push_back(linalg::IndexOp::create(b, l, d));
                return fill(b, l, indices);
              });
        };
    // Forward stage 1: w1f[i, e·m1 + j, t] = Re/Im ω^{j·t·m2}.
    Value w1f = weights(
        prefix + "_fwd_w1", {m2, 2 * m1, rowsIn},
        [&](OpBuilder &b, Location l, ValueRange ix) {
          auto [e, j] = divRem(b, l, ix[1], m1);
          auto [re, im] = unitRoot(
              b, l, mul(b, l, mul(b, l, j, ix[2]), idx(b, l, m2)), m, -1.0);
          Value isRe = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, e,
                                             idx(b, l, 0));
          return arith::SelectOp::create(b, l, isRe, re, im).getResult();
        });
    // Forward stage 2: w2f[a, 2u+eo, 2c+ei] = embed(ω^{c·(u·m1 + a)}).
    Value w2f =
        weights(prefix + "_fwd_w2", {m1, 2 * half, 2 * m2},
                [&](OpBuilder &b, Location l, ValueRange ix) {
                  auto [u, eo] = divRem(b, l, ix[1], 2);
                  auto [c, ei] = divRem(b, l, ix[2], 2);
                  Value exponent = mul(
                      b, l, c, add(b, l, mul(b, l, u, idx(b, l, m1)), ix[0]));
                  auto [re, im] = unitRoot(b, l, exponent, m, -1.0);
                  return embedComplex(b, l, re, im, eo, ei);
                });
    // Inverse stage 1: w1i[i, e·m2 + j, 2t+ei] = c(kk)·embed(ω^{-j·t·m1})
    // for bin kk = t·m1 + i.
    Value w1i = weights(
        prefix + "_inv_w1", {m1, 2 * m2, 2 * half},
        [&](OpBuilder &b, Location l, ValueRange ix) {
          auto [eo, j] = divRem(b, l, ix[1], m2);
          auto [t, ei] = divRem(b, l, ix[2], 2);
          auto [re, im] = unitRoot(
              b, l, mul(b, l, mul(b, l, j, t), idx(b, l, m1)), m, +1.0);
          Value bin = add(b, l, mul(b, l, t, idx(b, l, m1)), ix[0]);
          auto compare = [&](arith::CmpIPredicate predicate, int64_t v) {
            return arith::CmpIOp::create(b, l, predicate, bin, idx(b, l, v));
          };
          auto f32 = [&](float v) -> Value {
            return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
          };
          Value edge =
              arith::OrIOp::create(b, l, compare(arith::CmpIPredicate::eq, 0),
                                   compare(arith::CmpIPredicate::eq, m / 2));
          Value weight = arith::SelectOp::create(
              b, l, compare(arith::CmpIPredicate::ugt, m / 2), f32(0.0f),
              arith::SelectOp::create(b, l, edge, f32(1.0f), f32(2.0f)));
          return arith::MulFOp::create(b, l, weight,
                                       embedComplex(b, l, re, im, eo, ei))
              .getResult();
        });
    // Inverse stage 2: w2i[a, u, 2c+e] = (Re, -Im)(ω^{-c·(u·m2 + a)}) / M.
    Value w2i = weights(
        prefix + "_inv_w2", {m2, rowsOut, 2 * m1},
        [&](OpBuilder &b, Location l, ValueRange ix) {
          auto [c, e] = divRem(b, l, ix[2], 2);
          Value exponent =
              mul(b, l, c, add(b, l, mul(b, l, ix[1], idx(b, l, m2)), ix[0]));
          auto [re, im] = unitRoot(b, l, exponent, m, +1.0);
          Value isRe = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, e,
                                             idx(b, l, 0));
          Value part = arith::SelectOp::create(b, l, isRe, re,
                                               arith::NegFOp::create(b, l, im));
          Value scale = arith::ConstantOp::create(
              b, l, b.getF32FloatAttr(1.0f / float(m)));
          return arith::MulFOp::create(b, l, part, scale).getResult();
        });

    // x'' [.., i·T + t] = x[.., t·m2 + i] (0 past L), in f32.
    auto gatherRows = [&](Value source, Value dest, int64_t destRank) {
      return builder.generic(
          {}, dest, destRank, 0,
          {llvm::to_vector(llvm::seq<int64_t>(0, destRank))},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            SmallVector<Value> indices;
            for (int64_t d = 0; d < destRank; ++d)
              indices.push_back(linalg::IndexOp::create(b, l, d));
            auto [i, t] = divRem(b, l, indices.back(), rowsIn);
            Value n = add(b, l, mul(b, l, t, idx(b, l, m2)), i);
            Value last = idx(b, l, length - 1);
            Value inside =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, n, last);
            indices.back() = arith::MinUIOp::create(b, l, n, last);
            Value value = DecompositionBuilder::extend(
                b, l, DecompositionBuilder::read(b, l, source, indices),
                b.getF32Type());
            return arith::SelectOp::create(
                b, l, inside, value,
                DecompositionBuilder::zero(b, l, b.getF32Type()));
          });
    };
    int64_t gathered = m2 * rowsIn;
    Value xRows =
        gatherRows(op.getX(), builder.createTemporary({gathered}), rank);
    Value kRows = gatherRows(
        op.getK(), builder.createTemporary({channels, gathered}, false), 2);

    // Half spectra, [u, e, a] per row.
    int64_t spectrum = 2 * half * m1;
    Value xSpectrumDest = builder.createTemporary({spectrum});
    Value xSpectrum =
        resultOf(MonarchOp::create(rewriter, loc, typesOf(xSpectrumDest), xRows,
                                   w1f, w2f, xSpectrumDest),
                 xSpectrumDest);
    Value kSpectrumDest = builder.createTemporary({channels, spectrum}, false);
    Value kSpectrum =
        resultOf(MonarchOp::create(rewriter, loc, typesOf(kSpectrumDest), kRows,
                                   w1f, w2f, kSpectrumDest),
                 kSpectrumDest);

    // The pointwise product, written as [a, u, e] for the inverse.
    Value product = builder.generic(
        {}, builder.createTemporary({spectrum}), rank, 0,
        {llvm::to_vector(llvm::seq<int64_t>(0, rank))},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d)
            indices.push_back(linalg::IndexOp::create(b, l, d));
          auto [a, ue] = divRem(b, l, indices.back(), 2 * half);
          auto [u, e] = divRem(b, l, ue, 2);
          // Real and imaginary part of bin u·m1 + a: (2u + part)·m1 + a.
          Value reAt = add(
              b, l, mul(b, l, mul(b, l, u, idx(b, l, 2)), idx(b, l, m1)), a);
          Value imAt = add(b, l, reAt, idx(b, l, m1));
          auto readAt = [&](Value source, ArrayRef<Value> lead, Value at) {
            SmallVector<Value> ix(lead);
            ix.push_back(at);
            return DecompositionBuilder::read(b, l, source, ix);
          };
          ArrayRef<Value> lead = ArrayRef(indices).drop_back();
          Value channel = indices[rank - 2];
          Value xr = readAt(xSpectrum, lead, reAt);
          Value xi = readAt(xSpectrum, lead, imAt);
          Value kr = readAt(kSpectrum, {channel}, reAt);
          Value ki = readAt(kSpectrum, {channel}, imAt);
          auto mulf = [&](Value p, Value q) -> Value {
            return arith::MulFOp::create(b, l, p, q);
          };
          Value re = arith::SubFOp::create(b, l, mulf(xr, kr), mulf(xi, ki));
          Value im = arith::AddFOp::create(b, l, mulf(xr, ki), mulf(xi, kr));
          Value isRe = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, e,
                                             idx(b, l, 0));
          return arith::SelectOp::create(b, l, isRe, re, im);
        });

    // Inverse into init directly when it is f32 and exactly U·m2 long.
    Value init = op.getInit();
    bool direct = cast<ShapedType>(init.getType()).getElementType().isF32() &&
                  m2 * rowsOut == length;
    Value outDest = direct ? init : builder.createTemporary({m2 * rowsOut});
    Value out = resultOf(MonarchOp::create(rewriter, loc, typesOf(outDest),
                                           product, w1i, w2i, outDest),
                         outDest);
    if (!direct) {
      Type yType = cast<ShapedType>(init.getType()).getElementType();
      out = builder.generic(
          {}, init, rank, 0, {llvm::to_vector(llvm::seq<int64_t>(0, rank))},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            SmallVector<Value> indices;
            for (int64_t d = 0; d < rank; ++d)
              indices.push_back(linalg::IndexOp::create(b, l, d));
            Value v = DecompositionBuilder::read(b, l, out, indices);
            if (yType.isF32())
              return v;
            return arith::TruncFOp::create(b, l, yType, v);
          });
    }
    builder.finish(op, out, 1);
    return success();
  }

private:
  /// y[..., h, t] = Σ_{s<=t} k[h, s] · x[..., h, t − s], O(L²).
  LogicalResult decomposeDirect(CausalConvOp op,
                                PatternRewriter &rewriter) const {
    DecompositionBuilder builder(rewriter, op, op.getX(),
                                 options.deallocateTemporaries);
    int64_t rank = shapeOf(op.getX()).size();
    int64_t length = shapeOf(op.getK())[1];
    Value x = op.getX(), k = op.getK();
    SmallVector<int64_t> out = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    Value result =
        builder.accumulateInto(op.getInit(), {length}, [&](Value acc) {
          // Loops: batch..., h, t, s (reduction); k[h, s] is an input so that
          // the loop bounds follow from the operands, x[..., h, t - s] is read.
          return builder.generic(
              {k}, acc, rank + 1, 1, {{rank - 2, rank}, out},
              [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                SmallVector<Value> indices;
                for (int64_t d = 0; d <= rank; ++d)
                  indices.push_back(linalg::IndexOp::create(b, loc, d));
                Value t = indices[rank - 1], s = indices[rank];
                Value causal = arith::CmpIOp::create(
                    b, loc, arith::CmpIPredicate::ule, s, t);
                // t − s, clamped to 0 where s > t (that term is masked).
                Value shifted = arith::SubIOp::create(
                    b, loc, t, arith::MinUIOp::create(b, loc, s, t));
                SmallVector<Value> xIndices(indices.begin(),
                                            indices.begin() + rank - 1);
                xIndices.push_back(shifted);
                Type f32 = b.getF32Type();
                Value xv = DecompositionBuilder::extend(
                    b, loc, DecompositionBuilder::read(b, loc, x, xIndices),
                    f32);
                Value kv = DecompositionBuilder::extend(b, loc, args[0], f32);
                Value product = arith::MulFOp::create(b, loc, xv, kv);
                Value zero = DecompositionBuilder::zero(b, loc, f32);
                Value term =
                    arith::SelectOp::create(b, loc, causal, product, zero);
                return arith::AddFOp::create(b, loc, args[1], term);
              });
        });
    builder.finish(op, result, 1);
    return success();
  }
};

struct StructuredDecomposePass
    : structured::impl::StructuredDecomposeBase<StructuredDecomposePass> {
  using StructuredDecomposeBase::StructuredDecomposeBase;

  void runOnOperation() override {
    DecompositionOptions options;
    options.deallocateTemporaries = deallocateTemporaries;
    options.runtimeChecks = runtimeChecks;
    options.parallelChecks = parallelChecks;
    options.keepBatchVectorizable = keepVectorizable;
    options.keepGpuKernels = keepGpuKernels;
    options.cacheDftWeights = cacheDftWeights;
    if (causalConv == "direct") {
      options.directCausalConv = true;
    } else if (causalConv != "fft") {
      getOperation()->emitError()
          << "unknown causal-conv lowering '" << causalConv
          << "'; expected 'fft' or 'direct'";
      return signalPassFailure();
    }
    RewritePatternSet patternSet(&getContext());
    populateStructuredDecompositionPatterns(patternSet, options);
    FrozenRewritePatternSet patterns(std::move(patternSet));
    auto hasStructuredOps = [&] {
      return getOperation()
          ->walk([&](Operation *op) {
            return isa<StructuredDialect>(op->getDialect()) &&
                           !isLeftToKernelLowering(options, op)
                       ? WalkResult::interrupt()
                       : WalkResult::advance();
          })
          .wasInterrupted();
    };
    // Some decompositions produce structured ops of a lower level (causal_conv
    // -> poly_eval -> monarch); three rounds reach linalg.
    for (int round = 0; round < 4 && hasStructuredOps(); ++round)
      walkAndApplyPatterns(getOperation(), patterns);
    if (hasStructuredOps()) {
      getOperation()->emitError("structured ops remain after decomposition");
      signalPassFailure();
    }
  }
};

} // namespace

void structured::populateStructuredDecompositionPatterns(
    RewritePatternSet &patterns, const DecompositionOptions &options) {
  patterns.add<DecomposeBlockDiag, DecomposePermute, DecomposeMonarch,
               DecomposeBTT, DecomposeBTTMoE, DecomposeEinsumLinear,
               DecomposePolyEval, DecomposePolyInterp, DecomposeCausalConv>(
      patterns.getContext(), options);
}
