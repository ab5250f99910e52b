//===- ClusterMonarchKernel.cpp - Monarch in one cluster kernel -----------===//
//
// The kernel of GpuClusterMonarchPlan: both stages of a Monarch in one
// launch of thread-block clusters, the intermediate exchanged through
// distributed shared memory (sm_90).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "StageLaunch.h"

#include "structured/Analysis/CostModel/GpuClusterMonarchPlan.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::structured;

namespace {

/// Emits the kernel inside a gpu.launch body. Warp w takes column tile
/// w mod T (T = max(q, s) / 8), block group (w / T) mod G of
/// G = 8 / V and row slice w / (T·G), in both stages.
class ClusterMonarchEmitter : KernelBuilder {
public:
  ClusterMonarchEmitter(OpBuilder &b, Location loc,
                        const GpuClusterMonarchPlan &plan, Value x, Value w1,
                        Value w2, Value y, Value batch)
      : KernelBuilder(b, loc), plan(plan),
        element(getElementTypeOrSelf(x.getType())),
        partType(plan.intermediateParts == 1 ? element : Type(b.getBF16Type())),
        x(x), w1(w1), w2(w2), y(y), batch(batch) {}

  void emit(gpu::LaunchOp launch);

private:
  using Fragment = SmallVector<Value, 4>;
  /// The B fragments of column tile `tile` of V blocks from `firstBlock`:
  /// for each block and k step, the two registers of
  /// W[block][8·tile + lane/4][16·kt + 2·(lane mod 4) …].
  SmallVector<SmallVector<Value>> loadWeights(Value weights, Value firstBlock,
                                              Value tile, int64_t terms);
  /// Starts the cp.async copies of row tile `rowTile`'s x into x tile
  /// `buffer`; their group's token.
  Value copyXTile(Value rowTile, Value buffer);
  /// ldmatrix.x4 of the A fragment of rows [16·slice, +16) and terms
  /// [16·kt, +16) of matrix `matrix` of `tile` ([matrix][row][pitch]).
  Value aFragment(Value tile, Value matrix, int64_t kt);
  /// f32 accumulators of the warp's V blocks: Σ over k steps (and parts)
  /// of mma(A of matrix firstMatrix(part) + j, B fragments of block j).
  SmallVector<Fragment>
  multiply(Value tile, llvm::function_ref<Value(int64_t part)> firstMatrix,
           int64_t parts, ArrayRef<SmallVector<Value>> fragments);
  /// The first stage of x tile `xBuffer`: its results go to intermediate
  /// tile `buffer` of the CTAs owning their second-stage blocks.
  void firstStage(Value xBuffer, Value buffer);
  /// The second stage: y of row tile `rowTile` from the intermediate tile
  /// `buffer`.
  void secondStage(Value rowTile, Value buffer);
  /// A vector of element `e` of every accumulator of `acc`.
  Value gather(ArrayRef<Fragment> acc, int64_t e, Type type);
  Value i32(Value v) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), v);
  }
  Value i64(Value v) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), v);
  }

  const GpuClusterMonarchPlan &plan;
  /// Element type of x, the weights and y; type of the intermediate's parts.
  Type element, partType;
  Value x, w1, w2, y, batch;
  // Set up by emit().
  Value threadId, lane, quad, pair, colTile, group, slice, rank;
  Value xTiles, intermediateTiles;
  /// Intermediate tile 0 of the CTA owning the second-stage blocks of this
  /// warp's first-stage column tile (a shared::cluster pointer).
  Value ownerIntermediate;
  SmallVector<SmallVector<Value>> firstWeights, secondWeights;
};

} // namespace

SmallVector<SmallVector<Value>>
ClusterMonarchEmitter::loadWeights(Value weights, Value firstBlock, Value tile,
                                   int64_t terms) {
  auto vectorType = VectorType::get({2}, element);
  Value col = add(mul(tile, 8), quad);
  SmallVector<SmallVector<Value>> fragments;
  for (int64_t j = 0; j < plan.blocksPerWarp; ++j) {
    Value block = add(firstBlock, index(j));
    SmallVector<Value> ofBlock;
    for (int64_t kt = 0; kt < terms / 16; ++kt) {
      Value k = add(mul(pair, 2), index(16 * kt));
      for (int64_t half = 0; half < 2; ++half) {
        Value loaded = vector::LoadOp::create(
            b, loc, vectorType, weights,
            ValueRange{block, col, add(k, index(8 * half))},
            /*nontemporal=*/false, llvm::MaybeAlign(4));
        ofBlock.push_back(mmaOperand(b, loc, loaded));
      }
    }
    fragments.push_back(std::move(ofBlock));
  }
  return fragments;
}

Value ClusterMonarchEmitter::copyXTile(Value rowTile, Value buffer) {
  // Item (row, block, 16-byte chunk), chunks fastest: neighbouring threads
  // copy neighbouring chunks of a row's p·8 contiguous elements.
  int64_t chunk = 16 / GpuClusterMonarchPlan::elementBytes;
  int64_t chunksPerBlock = plan.p / chunk;
  int64_t total = plan.rowsPerTile * plan.blocksPerCTA * chunksPerBlock;
  Value lastRow = arith::SubIOp::create(b, loc, batch, index(1));
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  SmallVector<Value> copies;
  for (int64_t j = 0, e = llvm::divideCeil(total, plan.threads()); j < e; ++j) {
    Value item =
        min(add(threadId, index(j * plan.threads())), index(total - 1));
    Value chunkIndex = rem(item, chunksPerBlock);
    Value block = rem(div(item, chunksPerBlock), plan.blocksPerCTA);
    Value row = div(item, chunksPerBlock * plan.blocksPerCTA);
    Value globalRow = min(add(mul(rowTile, plan.rowsPerTile), row), lastRow);
    Value term = mul(chunkIndex, chunk);
    Value column =
        add(mul(add(mul(rank, plan.blocksPerCTA), block), plan.p), term);
    copies.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, tokenType, xTiles,
        ValueRange{add(mul(buffer, plan.blocksPerCTA), block), row, term}, x,
        ValueRange{globalRow, column}, b.getIndexAttr(chunk),
        /*srcElements=*/Value(), b.getUnitAttr()));
  }
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, copies);
}

Value ClusterMonarchEmitter::aFragment(Value tile, Value matrix, int64_t kt) {
  // Lane l gives the address of row l mod 16 and terms 8·(l / 16) to +7:
  // the four 8×8 matrices are a0a1, a2a3, a4a5, a6a7.
  Value row = add(mul(slice, 16), rem(lane, 16));
  Value term = add(mul(div(lane, 16), 8), index(16 * kt));
  return nvgpu::LdMatrixOp::create(b, loc, VectorType::get({4, 2}, partType),
                                   tile, ValueRange{matrix, row, term},
                                   /*transpose=*/false, /*numTiles=*/4);
}

SmallVector<ClusterMonarchEmitter::Fragment> ClusterMonarchEmitter::multiply(
    Value tile, llvm::function_ref<Value(int64_t part)> firstMatrix,
    int64_t parts, ArrayRef<SmallVector<Value>> fragments) {
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  SmallVector<Fragment> acc(plan.blocksPerWarp, {zero, zero, zero, zero});
  int64_t kTiles = fragments.front().size() / 2;
  // k steps outermost: the V accumulators are independent mmas.
  for (int64_t kt = 0; kt < kTiles; ++kt) {
    for (int64_t j = 0; j < plan.blocksPerWarp; ++j) {
      for (int64_t part = 0; part < parts; ++part) {
        Value a = aFragment(tile, add(firstMatrix(part), index(j)), kt);
        SmallVector<Value, 4> operands;
        for (int64_t i = 0; i < 4; ++i)
          operands.push_back(
              mmaOperand(b, loc, vector::ExtractOp::create(b, loc, a, i)));
        acc[j] = mmaSync(
            b, loc, partType, operands,
            ValueRange{fragments[j][2 * kt], fragments[j][2 * kt + 1]}, acc[j]);
      }
    }
  }
  return acc;
}

Value ClusterMonarchEmitter::gather(ArrayRef<Fragment> acc, int64_t e,
                                    Type type) {
  SmallVector<Value> elements;
  for (const Fragment &fragment : acc) {
    Value value = fragment[e];
    if (!type.isF32())
      value = arith::TruncFOp::create(b, loc, type, value);
    elements.push_back(value);
  }
  return vector::FromElementsOp::create(
      b, loc, VectorType::get({plan.blocksPerWarp}, type), elements);
}

void ClusterMonarchEmitter::firstStage(Value xBuffer, Value buffer) {
  int64_t parts = plan.intermediateParts;
  Value firstLocal = mul(group, plan.blocksPerWarp);
  SmallVector<Fragment> acc = multiply(
      xTiles,
      [&](int64_t) { return add(mul(xBuffer, plan.blocksPerCTA), firstLocal); },
      /*parts=*/1, firstWeights);
  // Column 8·tile + 2·(lane mod 4) + e of first-stage block i is term i of
  // second-stage block 8·tile + 2·(lane mod 4) + e: block 2·(lane mod 4) + e
  // of CTA `tile` of the cluster. The lane's V blocks i are consecutive
  // terms there.
  Value term = add(mul(rank, plan.blocksPerCTA), firstLocal);
  int64_t pitch = plan.intermediatePitch();
  int64_t matrixElements = plan.rowsPerTile * pitch;
  for (int64_t half = 0; half < 2; ++half) {
    Value row = add(add(mul(slice, 16), quad), index(8 * half));
    for (int64_t e = 0; e < 2; ++e) {
      Value values = gather(acc, 2 * half + e, b.getF32Type());
      SmallVector<Value> partValues =
          parts == 1
              ? SmallVector<Value>{arith::TruncFOp::create(
                    b, loc, VectorType::get({plan.blocksPerWarp}, partType),
                    values)}
              : splitIntoParts(b, loc, values, partType, parts);
      Value block = add(mul(pair, 2), index(e));
      for (int64_t part = 0; part < parts; ++part) {
        Value matrix =
            add(mul(add(mul(buffer, parts), index(part)), plan.blocksPerCTA),
                block);
        Value offset =
            add(add(mul(matrix, matrixElements), mul(row, pitch)), term);
        Value address = LLVM::GEPOp::create(
            b, loc, ownerIntermediate.getType(), b.getI8Type(),
            ownerIntermediate,
            ValueRange{i64(mul(offset, GpuClusterMonarchPlan::elementBytes))});
        LLVM::StoreOp::create(b, loc, partValues[part], address,
                              plan.blocksPerWarp *
                                  GpuClusterMonarchPlan::elementBytes);
      }
    }
  }
}

void ClusterMonarchEmitter::secondStage(Value rowTile, Value buffer) {
  int64_t parts = plan.intermediateParts;
  Value firstLocal = mul(group, plan.blocksPerWarp);
  SmallVector<Fragment> acc = multiply(
      intermediateTiles,
      [&](int64_t part) {
        return add(mul(add(mul(buffer, parts), index(part)), plan.blocksPerCTA),
                   firstLocal);
      },
      parts, secondWeights);
  // Output u = 8·tile + 2·(lane mod 4) + e of blocks a .. a + V − 1 is at
  // y[b, u·l + a] onwards.
  Value firstBlock = add(mul(rank, plan.blocksPerCTA), firstLocal);
  for (int64_t half = 0; half < 2; ++half) {
    Value row = add(add(mul(rowTile, plan.rowsPerTile), mul(slice, 16)),
                    add(quad, index(8 * half)));
    auto inBatch = scf::IfOp::create(b, loc, less(row, batch),
                                     /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(inBatch.getThenRegion().front().getTerminator());
    for (int64_t e = 0; e < 2; ++e) {
      Value output = add(add(mul(colTile, 8), mul(pair, 2)), index(e));
      Value values = gather(acc, 2 * half + e, element);
      vector::StoreOp::create(
          b, loc, values, y,
          ValueRange{row, add(mul(output, plan.blocks), firstBlock)},
          /*nontemporal=*/false,
          llvm::MaybeAlign(plan.blocksPerWarp *
                           GpuClusterMonarchPlan::elementBytes));
    }
  }
}

void ClusterMonarchEmitter::emit(gpu::LaunchOp launch) {
  threadId = launch.getThreadIds().x;
  Value warp = div(threadId, 32);
  lane = rem(threadId, 32);
  quad = div(lane, 4);
  pair = rem(lane, 4);
  int64_t colTiles = std::max(plan.q(), plan.s) / 8;
  colTile = rem(warp, colTiles);
  group = rem(div(warp, colTiles), plan.warpGroups());
  slice = div(warp, colTiles * plan.warpGroups());
  // The cluster spans the grid's x: CTA ρ of a cluster is blockIdx.x.
  rank = launch.getBlockIds().x;

  // Shared memory: the two x tiles, then the three intermediate tiles.
  Attribute workgroup = workgroupSpace();
  Value shared = dynamicSharedMemory();
  int64_t xBytes =
      2 * plan.xTileElements() * GpuClusterMonarchPlan::elementBytes;
  auto view = [&](int64_t offset, int64_t matrices, int64_t pitch,
                  Type type) -> Value {
    auto tile = MemRefType::get({matrices, plan.rowsPerTile, pitch}, type,
                                AffineMap(), workgroup);
    return memref::ViewOp::create(b, loc, tile, shared, index(offset),
                                  ValueRange{});
  };
  xTiles = view(0, 2 * plan.blocksPerCTA, plan.xPitch(), element);
  intermediateTiles = view(xBytes,
                           GpuClusterMonarchPlan::intermediateBuffers *
                               plan.intermediateParts * plan.blocksPerCTA,
                           plan.intermediatePitch(), partType);
  // Warps past a stage's column tiles take the last tile's weights (and
  // owner) and skip that stage.
  Value firstTile = min(colTile, index(plan.q() / 8 - 1));
  Value secondTile = min(colTile, index(plan.s / 8 - 1));
  // The same place in the shared memory of the CTA owning this warp's
  // first-stage results.
  Value base =
      add(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, shared),
          index(xBytes));
  auto sharedPointer =
      LLVM::LLVMPointerType::get(b.getContext(), /*addressSpace=*/3);
  auto clusterPointer =
      LLVM::LLVMPointerType::get(b.getContext(), /*addressSpace=*/7);
  ownerIntermediate = NVVM::MapaOp::create(
      b, loc, clusterPointer,
      LLVM::IntToPtrOp::create(b, loc, sharedPointer, i64(base)),
      i32(firstTile));
  Value firstBlock =
      add(mul(rank, plan.blocksPerCTA), mul(group, plan.blocksPerWarp));
  firstWeights = loadWeights(w1, firstBlock, firstTile, plan.p);
  secondWeights = loadWeights(w2, firstBlock, secondTile, plan.r());

  // Every CTA of the cluster has started (its shared memory exists) before
  // any writes to it.
  NVVM::ClusterArriveOp::create(b, loc, /*aligned=*/b.getUnitAttr());
  NVVM::ClusterWaitOp::create(b, loc, /*aligned=*/b.getUnitAttr());

  Value count =
      arith::CeilDivUIOp::create(b, loc, batch, index(plan.rowsPerTile));
  Value first = launch.getBlockIds().y, step = launch.getGridSize().y;
  Value zero = index(0), one = index(1);
  auto inStage = [&](int64_t tiles, auto body) {
    auto ifOp = scf::IfOp::create(b, loc, less(colTile, index(tiles)),
                                  /*withElseRegion=*/false);
    OpBuilder::InsertionGuard stageGuard(b);
    b.setInsertionPoint(ifOp.getThenRegion().front().getTerminator());
    body();
  };
  // The second stage of the previous tile (its row tile and intermediate
  // tile), where there is one.
  auto previousSecondStage = [&](Value hasPrevious, Value rowTile,
                                 Value buffer) {
    auto ifOp = scf::IfOp::create(b, loc, hasPrevious,
                                  /*withElseRegion=*/false);
    OpBuilder::InsertionGuard previousGuard(b);
    b.setInsertionPoint(ifOp.getThenRegion().front().getTerminator());
    inStage(plan.s / 8, [&] { secondStage(rowTile, buffer); });
  };
  // Iteration i multiplies tile i by the first factor into intermediate
  // tile i mod 3 of the owners, arrives at the cluster barrier, multiplies
  // tile i − 1 by the second factor and then waits for the barrier: the
  // barrier's latency hides behind the second stage. Three intermediate
  // tiles: tile i + 1's writes follow the wait of iteration i, which every
  // CTA arrived at after its second stage of tile i − 2 (the last reads of
  // that tile).
  Value noTile = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
  auto loop = scf::ForOp::create(
      b, loc, first, count, step,
      ValueRange{copyXTile(first, zero), zero, zero, zero, noTile});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value rowTile = loop.getInductionVar();
    ValueRange carried = loop.getRegionIterArgs();
    Value xBuffer = carried[1], buffer = carried[2];
    Value previousTile = carried[3], hasPrevious = carried[4];
    nvgpu::DeviceAsyncWaitOp::create(b, loc, carried[0],
                                     /*numGroups=*/IntegerAttr());
    // x tile `xBuffer` is complete for every thread, and every thread has
    // read the other one (the previous first stage).
    gpu::BarrierOp::create(b, loc);
    Value otherX = arith::SubIOp::create(b, loc, one, xBuffer);
    Value next = add(rowTile, step);
    Type tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
    auto prefetch =
        scf::IfOp::create(b, loc, TypeRange{tokenType}, less(next, count),
                          /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard prefetchGuard(b);
      b.setInsertionPointToStart(&prefetch.getThenRegion().front());
      scf::YieldOp::create(b, loc, copyXTile(next, otherX));
      b.setInsertionPointToStart(&prefetch.getElseRegion().front());
      scf::YieldOp::create(b, loc,
                           Value(nvgpu::DeviceAsyncCreateGroupOp::create(
                               b, loc, tokenType, ValueRange{})));
    }
    inStage(plan.q() / 8, [&] { firstStage(xBuffer, buffer); });
    // Release: this CTA's writes of tile i (and its reads of tile i − 2).
    NVVM::ClusterArriveOp::create(b, loc, /*aligned=*/b.getUnitAttr());
    Value previousBuffer =
        rem(add(buffer, index(GpuClusterMonarchPlan::intermediateBuffers - 1)),
            GpuClusterMonarchPlan::intermediateBuffers);
    previousSecondStage(hasPrevious, previousTile, previousBuffer);
    // Acquire: every CTA's writes of tile i.
    NVVM::ClusterWaitOp::create(b, loc, /*aligned=*/b.getUnitAttr());
    Value nextBuffer =
        rem(add(buffer, one), GpuClusterMonarchPlan::intermediateBuffers);
    Value yes = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
    scf::YieldOp::create(
        b, loc,
        ValueRange{prefetch.getResult(0), otherX, nextBuffer, rowTile, yes});
  }
  // The last tile's second stage.
  Value lastBuffer =
      rem(add(loop.getResult(2),
              index(GpuClusterMonarchPlan::intermediateBuffers - 1)),
          GpuClusterMonarchPlan::intermediateBuffers);
  previousSecondStage(loop.getResult(4), loop.getResult(3), lastBuffer);
}

void structured::launchClusterMonarch(OpBuilder &b, Location loc,
                                      const GpuClusterMonarchPlan &plan,
                                      Value x, Value w1, Value w2, Value y,
                                      Value batch,
                                      const GpuKernelOptions &options,
                                      StringRef name) {
  OpBuilder::InsertionGuard guard(b);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  // As many clusters as run at once at one CTA per SM (the tiles of
  // n = 1024 and 4096 take most of its shared memory; smaller shapes could
  // fit two), each walking over the row tiles; at least one (an empty batch
  // runs the guard only).
  Value clusters = rowGrid(b, loc, plan.rowsPerTile, batch,
                           plan.concurrentClusters(options.smCount));
  Value shared = arith::ConstantIntOp::create(b, loc, b.getI32Type(),
                                              plan.sharedMemoryBytes());
  Value one = index(1), clusterSize = index(plan.clusterSize);
  auto launch = gpu::LaunchOp::create(
      b, loc, clusterSize, clusters, one, index(plan.threads()), one, one,
      shared, /*asyncTokenType=*/nullptr, /*asyncDependencies=*/{},
      /*workgroupAttributions=*/{}, /*privateAttributions=*/{}, clusterSize,
      one, one);
  // The builder of MLIR 22 leaves out the body's cluster ids and sizes.
  Block &body = launch.getBody().front();
  while (body.getNumArguments() < gpu::LaunchOp::kNumConfigRegionAttributes + 6)
    body.addArgument(b.getIndexType(), loc);
  launch->setAttr(kGpuKernelNameAttr, b.getStringAttr(name));
  launch->setAttr(kGpuOccupancyCTAsAttr, b.getI64IntegerAttr(1));
  b.setInsertionPointToStart(&body);
  enterKernelGuard(b, loc, isNonEmpty(b, loc, batch), {x, w1, w2, y});
  ClusterMonarchEmitter(b, loc, plan, x, w1, w2, y, batch).emit(launch);
  finishLaunch(b, loc, launch);
}
