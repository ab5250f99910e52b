//===- StageLaunch.h - Launches of the block-matmul stage kernels -*- C++ -*-=//
//
// What the lowerings of convert-structured-to-gpu share: the launch of one
// stage kernel, and the preparation of the buffers it reads and writes.
//
//===----------------------------------------------------------------------===//

#ifndef STRUCTURED_LIB_CONVERSION_STRUCTUREDTOGPU_STAGELAUNCH_H
#define STRUCTURED_LIB_CONVERSION_STRUCTUREDTOGPU_STAGELAUNCH_H

#include "structured/Analysis/CostModel/GpuClusterMonarchPlan.h"
#include "structured/Analysis/CostModel/GpuKernelPlan.h"
#include "structured/Conversion/StructuredToGPU/StructuredToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

#include <string>

namespace mlir::structured {

/// Launches the kernel of one stage: out = stage(in) for `batch` rows of
/// `in` and `out` ([rows, features], rows contiguous and 16-byte aligned,
/// any offset).
void launchStage(OpBuilder &b, Location loc, const GpuStagePlan &plan, Value in,
                 Value weights, Value out, Value batch,
                 const GpuKernelOptions &options, StringRef name);

/// Launches the kernel of one stage for `groups` slices of rows in one
/// grid (btt_moe's experts): the CTAs with blockIdx.z = g run group g on
/// its count[g] rows from start[g] of `out` (and of `rowIndex`, or else of
/// `in`), with weights[g]. `meta` (i32, device memory) holds the counts at
/// [0, groups) and the starts at [groups, 2·groups); the kernel reads them,
/// so the host needs neither. `rowBound` (host) bounds every count: the
/// grid's y is at most its row tiles.
void launchGroupedStage(OpBuilder &b, Location loc, const GpuStagePlan &plan,
                        Value in, Value weights, Value out, Value meta,
                        int64_t groups, Value rowBound,
                        const GpuKernelOptions &options, StringRef name,
                        Value rowIndex = {});

/// Launches both stages of a Monarch as one kernel over thread-block
/// clusters (GpuClusterMonarchPlan): y = monarch(x) for `batch` rows of `x`
/// and `y` ([rows, features], rows contiguous and 16-byte aligned).
void launchClusterMonarch(OpBuilder &b, Location loc,
                          const GpuClusterMonarchPlan &plan, Value x, Value w1,
                          Value w2, Value y, Value batch,
                          const GpuKernelOptions &options, StringRef name);

/// Rows [start, start + count) of a [rows] or [rows, features] buffer.
Value rowSlice(OpBuilder &b, Location loc, Value buffer, Value start,
               Value count);

/// buffer[position] without its leading dimension.
Value leadingSlice(OpBuilder &b, Location loc, Value buffer, Value position);

/// The base name of the kernels of `op`: `<func>_<op>` (the op's name
/// without its dialect), to which launches add their stage.
std::string kernelBaseName(Operation *op);

/// A buffer with the identity layout: `value` itself, or a new contiguous
/// buffer (filled from `value` when `copyIn`), added to `temporaries`.
Value identityLayout(OpBuilder &b, Location loc, Value value, bool copyIn,
                     SmallVectorImpl<Value> &temporaries,
                     bool forceCopy = false);

/// CTAs (or clusters) along the tiles of `rowsPerTile` of `rows` rows: at
/// most `rowCTAs`, at least one (an empty batch runs the kernel's guard
/// only).
Value rowGrid(OpBuilder &b, Location loc, int64_t rowsPerTile, Value rows,
              int64_t rowCTAs);

/// Whether `rows` > 0 (an index).
Value isNonEmpty(OpBuilder &b, Location loc, Value rows);

/// Ends the body of a launch that the builder has filled (its
/// gpu.terminator) and leaves the builder after the launch.
void finishLaunch(OpBuilder &b, Location loc, gpu::LaunchOp launch);

/// Starts `if (condition)` at the builder's insertion point in a kernel
/// body and leaves the builder inside it, after a device-side check that
/// every buffer of `alignedBuffers` (offset included) starts at a 16-byte
/// boundary. Kernels guard their work this way, not the host (an empty
/// batch launches CTAs that do nothing): a host branch or host assertion
/// after earlier launches would make gpu-async-region synchronize the
/// stream there, once per op.
void enterKernelGuard(OpBuilder &b, Location loc, Value condition,
                      ValueRange alignedBuffers = {});

/// Stops the kernel (device-side assertion) unless every buffer of
/// `buffers` (offset included) starts at a 16-byte boundary.
void assertAlignedOnDevice(OpBuilder &b, Location loc, ValueRange buffers);

/// The `count` parts of f32 `value` (a scalar or a vector) in
/// `partElement` (bf16), whose sum is `value` exactly for three bf16 parts.
SmallVector<Value> splitIntoParts(OpBuilder &b, Location loc, Value value,
                                  Type partElement, int64_t count);

/// mma.sync operand of a pair of elements: vector<2xf16> as it is, a pair
/// of bf16 packed into an i32.
Value mmaOperand(OpBuilder &b, Location loc, Value pair);

/// One mma.sync m16n8k16 of `elementType` (bf16 or f16) operands, A
/// row-major (four registers), B column-major (two), adding to the four f32
/// accumulators `acc`: the new accumulators.
SmallVector<Value, 4> mmaSync(OpBuilder &b, Location loc, Type elementType,
                              ValueRange a, ValueRange bFragment,
                              ValueRange acc);

/// `value` (identity layout) as [rows, features].
Value asRowMatrix(OpBuilder &b, Location loc, Value value);

} // namespace mlir::structured

#endif // STRUCTURED_LIB_CONVERSION_STRUCTUREDTOGPU_STAGELAUNCH_H
