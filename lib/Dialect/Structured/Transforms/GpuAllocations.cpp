//===- GpuAllocations.cpp - Host allocations to device allocations -------===//
//
// structured-gpu-allocations: in the NVVM pipeline every buffer is GPU
// memory (the caller's arguments, and the temporaries the decomposition and
// bufferization create). Host code that allocates, frees or copies buffers
// therefore uses the gpu dialect: memref.alloc → gpu.alloc, memref.dealloc →
// gpu.dealloc, memref.copy → gpu.memcpy (or, between strided views, a
// linalg.copy that becomes a kernel). Ops inside GPU kernels or launches are
// left alone. It runs before linalg is turned into loops.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDGPUALLOCATIONS
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

static bool isOnHost(Operation *op) {
  return !op->getParentOfType<gpu::LaunchOp>() &&
         !op->getParentOfType<gpu::GPUModuleOp>();
}

namespace {

struct AllocToGpu : OpRewritePattern<memref::AllocOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::AllocOp op,
                                PatternRewriter &rewriter) const override {
    if (!isOnHost(op))
      return failure();
    rewriter.replaceOpWithNewOp<gpu::AllocOp>(
        op, op.getType(), /*asyncToken=*/Type(), /*asyncDependencies=*/
        ValueRange{}, op.getDynamicSizes(), op.getSymbolOperands(),
        /*hostShared=*/false);
    return success();
  }
};

struct DeallocToGpu : OpRewritePattern<memref::DeallocOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::DeallocOp op,
                                PatternRewriter &rewriter) const override {
    if (!isOnHost(op))
      return failure();
    rewriter.replaceOpWithNewOp<gpu::DeallocOp>(op, /*asyncToken=*/Type(),
                                                ValueRange{}, op.getMemref());
    return success();
  }
};

/// A copy between contiguous buffers is one gpu.memcpy; any other copy
/// becomes a linalg.copy, which the pipeline turns into a kernel.
struct CopyToGpu : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    if (!isOnHost(op))
      return failure();
    auto contiguous = [](Value value) {
      return cast<MemRefType>(value.getType()).getLayout().isIdentity();
    };
    if (contiguous(op.getSource()) && contiguous(op.getTarget())) {
      rewriter.replaceOpWithNewOp<gpu::MemcpyOp>(
          op, /*asyncToken=*/Type(), ValueRange{}, op.getTarget(),
          op.getSource());
      return success();
    }
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct StructuredGpuAllocationsPass
    : structured::impl::StructuredGpuAllocationsBase<
          StructuredGpuAllocationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AllocToGpu, DeallocToGpu, CopyToGpu>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
