//===- ParallelLoopsToGpu.cpp - One thread per parallel iteration ---------===//
//
// structured-parallel-loops-to-gpu: each outermost `scf.parallel` of host
// code becomes a `gpu.launch` of one-dimensional blocks in which every
// thread runs one iteration. The iteration space is linearised with the
// innermost dimension fastest, so that neighbouring threads of a warp touch
// neighbouring elements of the (row-major) buffers the loops come from.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDPARALLELLOOPSTOGPU
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

namespace {

struct ParallelLoopToLaunch : OpRewritePattern<scf::ParallelOp> {
  ParallelLoopToLaunch(MLIRContext *context, int64_t blockSize)
      : OpRewritePattern(context), blockSize(blockSize) {}

  LogicalResult matchAndRewrite(scf::ParallelOp op,
                                PatternRewriter &rewriter) const override {
    if (op->getParentOfType<scf::ParallelOp>() ||
        op->getParentOfType<gpu::LaunchOp>() ||
        op->getParentOfType<gpu::GPUModuleOp>())
      return rewriter.notifyMatchFailure(op, "not an outermost host loop");
    if (op.getNumResults())
      return rewriter.notifyMatchFailure(op, "has reductions");
    Location loc = op.getLoc();
    auto constant = [&](OpBuilder &b, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };

    // Trip count of each dimension and of the whole loop.
    SmallVector<Value> trips;
    Value total = constant(rewriter, 1);
    Value zero = constant(rewriter, 0);
    for (auto [lb, ub, step] :
         llvm::zip(op.getLowerBound(), op.getUpperBound(), op.getStep())) {
      Value span = arith::MaxSIOp::create(
          rewriter, loc, arith::SubIOp::create(rewriter, loc, ub, lb), zero);
      Value trip = arith::CeilDivUIOp::create(rewriter, loc, span, step);
      trips.push_back(trip);
      total = arith::MulIOp::create(rewriter, loc, total, trip);
    }
    Value block = constant(rewriter, blockSize);
    Value one = constant(rewriter, 1);
    // An empty iteration space (a zero batch) launches one block whose
    // threads all skip the body: a grid of zero blocks is an error for the
    // driver, and a host branch around the launch would end the chain of
    // the function's GPU ops on one stream (gpu-async-region synchronizes
    // at the end of every block).
    Value grid = arith::MaxUIOp::create(
        rewriter, loc, arith::CeilDivUIOp::create(rewriter, loc, total, block),
        one);
    OpBuilder::InsertionGuard guard(rewriter);
    auto launch =
        gpu::LaunchOp::create(rewriter, loc, grid, one, one, block, one, one);
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    Value linear = arith::AddIOp::create(
        rewriter, loc,
        arith::MulIOp::create(rewriter, loc, launch.getBlockIds().x, block),
        launch.getThreadIds().x);
    Value inside = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::ult, linear, total);
    auto ifOp = scf::IfOp::create(rewriter, loc, inside, false);
    rewriter.setInsertionPointToStart(&ifOp.getThenRegion().front());
    // Innermost dimension fastest.
    IRMapping mapping;
    Value rest = linear;
    for (int64_t d = static_cast<int64_t>(trips.size()) - 1; d >= 0; --d) {
      Value index = arith::RemUIOp::create(rewriter, loc, rest, trips[d]);
      rest = arith::DivUIOp::create(rewriter, loc, rest, trips[d]);
      Value iv = arith::AddIOp::create(
          rewriter, loc, op.getLowerBound()[d],
          arith::MulIOp::create(rewriter, loc, index, op.getStep()[d]));
      mapping.map(op.getInductionVars()[d], iv);
    }
    for (Operation &nested : op.getBody()->without_terminator())
      rewriter.clone(nested, mapping);
    rewriter.setInsertionPointToEnd(&launch.getBody().front());
    gpu::TerminatorOp::create(rewriter, loc);
    rewriter.eraseOp(op);
    return success();
  }

  int64_t blockSize;
};

struct StructuredParallelLoopsToGpuPass
    : structured::impl::StructuredParallelLoopsToGpuBase<
          StructuredParallelLoopsToGpuPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize <= 0 || blockSize > 1024) {
      getOperation()->emitError() << "block-size must be in [1, 1024], got "
                                  << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<ParallelLoopToLaunch>(&getContext(), blockSize);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();

    // Buffers are device memory: host code must not touch their elements.
    WalkResult hostAccess = getOperation()->walk([&](Operation *op) {
      if (!isa<memref::LoadOp, memref::StoreOp, memref::AtomicRMWOp,
               scf::ParallelOp>(op) ||
          op->getParentOfType<gpu::LaunchOp>() ||
          op->getParentOfType<gpu::GPUModuleOp>())
        return WalkResult::advance();
      op->emitOpError("runs on the host but would access device memory; "
                      "only parallel loops without reductions become GPU "
                      "kernels (is runtime-checks on?)");
      return WalkResult::interrupt();
    });
    if (hostAccess.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
