//===- MoEKernels.cpp - btt_moe as rows sorted by expert on the GPU -------===//
//
// A btt_moe computes, for each row b, Σ_κ gate[b, κ] · M_ρ x[b] over its K
// choices ρ = idx[b, κ], where M_ρ is the Monarch of expert ρ (w1[:, ρ],
// w2[..., ρ]). The lowering does the sparse work only: the B·K (row,
// choice) pairs are sorted by expert with a counting sort on the GPU, each
// expert's Monarch runs as the two stage kernels of planGpuKernels on the
// rows of its pairs (the first reads them from x through the pairs' row
// indices in expert order), and a last kernel
// adds up each row's f32 results weighted by its gates, in the order of its
// choices. The order in which the sort places an expert's pairs (atomic
// counters) changes no result: rows never mix in the stage kernels.
//
// The sort's small kernels and the sum are host `scf.parallel` loops,
// which the pipeline turns into one GPU thread per iteration. Each stage is
// one launch for all experts (launchGroupedStage: the CTAs of expert ρ read
// its count and start from device memory), and bad indices stop the
// counting kernel with a device-side assertion: the host reads nothing
// back, so the op's launches form one stream chain with no
// synchronization.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "StageLaunch.h"
#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Utils/KernelLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::structured;

namespace {

/// Emits the lowering of one btt_moe at the builder's insertion point.
class MoELowering : KernelBuilder {
public:
  MoELowering(OpBuilder &b, BTTMoEOp op, ArrayRef<GpuStagePlan> plans,
              const GpuKernelOptions &options)
      : KernelBuilder(b, op.getLoc()), op(op), plans(plans), options(options) {
    auto w1Type = cast<MemRefType>(op.getW1().getType());
    experts = w1Type.getShape()[1];
    selected = cast<MemRefType>(op.getIdx().getType()).getShape().back();
    element = w1Type.getElementType();
  }

  void emit();

private:
  /// Emits an scf.parallel over [0, bounds[i]) whose body `body` fills at
  /// the builder (given the induction variables).
  void parallel(ArrayRef<Value> bounds,
                function_ref<void(ValueRange ivs)> body);
  /// The expert of pair `pair` (row pair / K, choice pair mod K), clamped
  /// into [0, R); `outOfRange`, when given, is set to whether it was not.
  Value expertOf(Value pair, Value *outOfRange = nullptr);
  Value loadIndex(Value buffer, ValueRange indices);

  /// Counts the pairs of each expert into meta[0, R) and each pair's rank
  /// among them into `slots`; with runtime checks, a bad index stops the
  /// kernel (device-side assertion).
  void countPairs(Value meta, Value slots, Value pairs);
  /// meta[R + ρ] = Σ_{ρ' < ρ} meta[ρ'].
  void placeExperts(Value meta);
  /// slots[pair] += meta[R + expert] (each pair's place in expert order),
  /// and sources[place] = the pair's row of x.
  void placePairs(Value meta, Value slots, Value pairs, Value sources);
  /// Each expert's two stages on its rows: two launches for all experts,
  /// which read the counts and starts from `meta`.
  void runExperts(Value meta, Value pairs, Value x, Value sources,
                  Value intermediate, Value results, Value w1, Value w2);
  /// y[b] = Σ_κ gate[b, κ] · results[slots[b·K + κ]].
  void combine(Value slots, Value results, Value gate, Value y, Value batch);

  BTTMoEOp op;
  ArrayRef<GpuStagePlan> plans;
  const GpuKernelOptions &options;
  int64_t experts, selected;
  Type element;
  Value idx;
};

} // namespace

void MoELowering::parallel(ArrayRef<Value> bounds,
                           function_ref<void(ValueRange ivs)> body) {
  buildKernelLoop(b, loc, bounds,
                  [&](OpBuilder &, Location, ValueRange ivs) { body(ivs); });
}

Value MoELowering::loadIndex(Value buffer, ValueRange indices) {
  Value value = memref::LoadOp::create(b, loc, buffer, indices);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

Value MoELowering::expertOf(Value pair, Value *outOfRange) {
  Value raw = memref::LoadOp::create(
      b, loc, idx, ValueRange{div(pair, selected), rem(pair, selected)});
  Type type = raw.getType();
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
  };
  if (outOfRange) {
    Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, raw,
                                        constant(0));
    Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, raw,
                                        constant(experts));
    *outOfRange = arith::OrIOp::create(b, loc, below, above);
  }
  raw = arith::MaxSIOp::create(b, loc, raw, constant(0));
  raw = arith::MinSIOp::create(b, loc, raw, constant(experts - 1));
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
}

void MoELowering::countPairs(Value meta, Value slots, Value pairs) {
  parallel(pairs, [&](ValueRange ivs) {
    Value pair = ivs[0];
    Value outOfRange;
    Value expert =
        expertOf(pair, options.runtimeChecks ? &outOfRange : nullptr);
    if (options.runtimeChecks) {
      Value inRange = arith::XOrIOp::create(
          b, loc, outOfRange,
          arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
      cf::AssertOp::create(b, loc, inRange,
                           ("structured.btt_moe: expert index out of range "
                            "[0, " +
                            Twine(experts) + ")")
                               .str());
    }
    Value one = arith::ConstantIntOp::create(b, loc, b.getI32Type(), 1);
    Value rank = memref::AtomicRMWOp::create(b, loc, arith::AtomicRMWKind::addi,
                                             one, meta, expert);
    memref::StoreOp::create(b, loc, rank, slots, pair);
  });
}

void MoELowering::placeExperts(Value meta) {
  // One thread per expert adds up the counts before it (R is small).
  parallel(index(experts), [&](ValueRange ivs) {
    Value expert = ivs[0];
    Value zero = arith::ConstantIntOp::create(b, loc, b.getI32Type(), 0);
    auto loop = scf::ForOp::create(b, loc, index(0), expert, index(1),
                                   ValueRange{zero});
    {
      OpBuilder::InsertionGuard loopGuard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value count =
          memref::LoadOp::create(b, loc, meta, loop.getInductionVar());
      scf::YieldOp::create(
          b, loc,
          ValueRange{arith::AddIOp::create(
              b, loc, loop.getRegionIterArgs().front(), count)});
    }
    memref::StoreOp::create(b, loc, loop.getResult(0), meta,
                            add(expert, index(experts)));
  });
}

void MoELowering::placePairs(Value meta, Value slots, Value pairs,
                             Value sources) {
  parallel(pairs, [&](ValueRange ivs) {
    Value pair = ivs[0];
    Value start = memref::LoadOp::create(b, loc, meta,
                                         add(expertOf(pair), index(experts)));
    Value rank = memref::LoadOp::create(b, loc, slots, pair);
    Value place = arith::AddIOp::create(b, loc, start, rank);
    memref::StoreOp::create(b, loc, place, slots, pair);
    Value row =
        arith::IndexCastOp::create(b, loc, b.getI32Type(), div(pair, selected));
    Value at = arith::IndexCastOp::create(b, loc, b.getIndexType(), place);
    memref::StoreOp::create(b, loc, row, sources, at);
  });
}

void MoELowering::runExperts(Value meta, Value pairs, Value x, Value sources,
                             Value intermediate, Value results, Value w1,
                             Value w2) {
  std::string name = kernelBaseName(op);
  launchGroupedStage(b, loc, plans[0], x, w1, intermediate, meta, experts,
                     pairs, options, name + "_stage1", sources);
  launchGroupedStage(b, loc, plans[1], intermediate, w2, results, meta, experts,
                     pairs, options, name + "_stage2");
}

void MoELowering::combine(Value slots, Value results, Value gate, Value y,
                          Value batch) {
  int64_t features = cast<MemRefType>(y.getType()).getShape().back();
  // f32 results: 4 per vector, 16 bytes.
  constexpr int64_t lanes = 4;
  Type f32 = b.getF32Type();
  auto sumType = VectorType::get({lanes}, f32);
  parallel({batch, index(features / lanes)}, [&](ValueRange ivs) {
    assertAlignedOnDevice(b, loc, y);
    Value row = ivs[0], column = mul(ivs[1], lanes);
    Value sum =
        arith::ConstantOp::create(b, loc, sumType, b.getZeroAttr(sumType));
    for (int64_t choice = 0; choice < selected; ++choice) {
      Value weight =
          memref::LoadOp::create(b, loc, gate, ValueRange{row, index(choice)});
      if (weight.getType() != f32)
        weight = arith::ExtFOp::create(b, loc, f32, weight);
      Value source = loadIndex(slots, add(mul(row, selected), index(choice)));
      Value values = vector::LoadOp::create(b, loc, sumType, results,
                                            ValueRange{source, column});
      Value weights = vector::BroadcastOp::create(b, loc, sumType, weight);
      sum = vector::FMAOp::create(b, loc, weights, values, sum);
    }
    auto yType = VectorType::get({lanes}, element);
    if (yType != sumType)
      sum = arith::TruncFOp::create(b, loc, yType, sum);
    vector::StoreOp::create(b, loc, sum, y, ValueRange{row, column});
  });
}

void MoELowering::emit() {
  SmallVector<Value> temporaries;
  Value x =
      asRowMatrix(b, loc, identityLayout(b, loc, op.getX(), true, temporaries));
  Value init = identityLayout(b, loc, op.getInit(), false, temporaries);
  Value y = asRowMatrix(b, loc, init);
  idx = asRowMatrix(b, loc,
                    identityLayout(b, loc, op.getIdx(), true, temporaries));
  Value gate = asRowMatrix(
      b, loc, identityLayout(b, loc, op.getGate(), true, temporaries));
  // No host branch on an empty batch, no host assertion: every kernel
  // below does nothing for zero pairs, and the kernels check their
  // buffers' alignment.
  Value batch = memref::DimOp::create(b, loc, x, 0);
  SmallVector<Value> buffers;
  auto allocate = [&](ArrayRef<int64_t> shape, Type type,
                      ValueRange dynamicSizes = {}) {
    Value buffer = memref::AllocOp::create(b, loc, MemRefType::get(shape, type),
                                           dynamicSizes);
    buffers.push_back(buffer);
    return buffer;
  };
  Type i32 = b.getI32Type();
  Value pairs = mul(batch, selected);

  // The sort: each expert's count and start, in one buffer that the stage
  // kernels read.
  Value meta = allocate({2 * experts}, i32);
  linalg::FillOp::create(
      b, loc, ValueRange{arith::ConstantIntOp::create(b, loc, i32, 0)},
      ValueRange{meta});
  Value slots = allocate({ShapedType::kDynamic}, i32, pairs);
  countPairs(meta, slots, pairs);
  placeExperts(meta);

  // The rows of x of the pairs in expert order, and the weights
  // expert-major.
  Value sources = allocate({ShapedType::kDynamic}, i32, pairs);
  placePairs(meta, slots, pairs, sources);
  auto expertMajor = [&](Value weights, ArrayRef<int64_t> permutation) {
    ArrayRef<int64_t> shape = cast<MemRefType>(weights.getType()).getShape();
    SmallVector<int64_t> permuted;
    for (int64_t d : permutation)
      permuted.push_back(shape[d]);
    Value buffer = allocate(permuted, element);
    linalg::TransposeOp::create(b, loc, weights, buffer, permutation);
    return buffer;
  };
  Value w1 = expertMajor(op.getW1(), {1, 0, 2, 3});
  Value w2 = expertMajor(op.getW2(), {3, 0, 1, 2});

  const GpuStagePlan &first = plans[0];
  Type intermediateType =
      options.choices.roundIntermediate ? element : b.getF32Type();
  Value intermediate =
      allocate({ShapedType::kDynamic, first.blocks * first.outSize},
               intermediateType, pairs);
  int64_t outFeatures = cast<MemRefType>(y.getType()).getShape().back();
  Value results =
      allocate({ShapedType::kDynamic, outFeatures}, b.getF32Type(), pairs);
  runExperts(meta, pairs, x, sources, intermediate, results, w1, w2);
  combine(slots, results, gate, y, batch);
  for (Value buffer : buffers)
    memref::DeallocOp::create(b, loc, buffer);
  if (init != op.getInit())
    memref::CopyOp::create(b, loc, init, op.getInit());
  for (Value temporary : temporaries)
    memref::DeallocOp::create(b, loc, temporary);
}

namespace {

struct LowerMoEToGpuKernels : OpRewritePattern<BTTMoEOp> {
  LowerMoEToGpuKernels(MLIRContext *context, const GpuKernelOptions &options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(BTTMoEOp op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MemRefType>(op.getX().getType()))
      return rewriter.notifyMatchFailure(op, "not on buffers");
    std::optional<SmallVector<GpuStagePlan, 2>> plans =
        planGpuKernels(op, options.choices);
    if (!plans)
      return rewriter.notifyMatchFailure(op, "no GPU kernel for this shape");
    MoELowering(rewriter, op, *plans, options).emit();
    rewriter.eraseOp(op);
    return success();
  }

  GpuKernelOptions options;
};

} // namespace

void structured::populateMoEToGPUPatterns(RewritePatternSet &patterns,
                                          const GpuKernelOptions &options) {
  patterns.add<LowerMoEToGpuKernels>(patterns.getContext(), options);
}
