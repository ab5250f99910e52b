//===- CostModel.cpp - Cost models for tile selection ---------------------===//

#include "structured/Analysis/CostModel/CostModel.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/TargetParser/Host.h"

#include <cmath>
#include <limits>
#include <thread>

using namespace mlir;
using namespace mlir::structured;

CostModel::~CostModel() = default;

/// Batch rows assumed for a dynamic batch.
static constexpr int64_t kAssumedDynamicBatch = 4096;

TargetDescription TargetDescription::host() {
  TargetDescription target;
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    target.vectorWidth = 16;
  else if (features.lookup("avx2") || features.lookup("avx"))
    target.vectorWidth = 8, target.vectorRegisters = 16;
  else
    target.vectorWidth = 4, target.vectorRegisters = 16;
  target.threads = std::max(1u, std::thread::hardware_concurrency());
  return target;
}

int64_t KernelFeatures::stageWorkingSetBytes() const {
  int64_t first =
      inFeatures + (intermediateFeatures ? intermediateFeatures : outFeatures);
  int64_t second =
      intermediateFeatures ? intermediateFeatures + outFeatures : 0;
  return std::max(first, second) * lanes * 4;
}

double AnalyticalCostModel::predictCost(const KernelFeatures &f) const {
  const double infinity = std::numeric_limits<double>::infinity();
  int64_t width = target.vectorWidth;
  if (f.lanes <= 0 || f.lanes % width != 0 || f.rowBlock <= 0 ||
      f.batchTile <= 0)
    return infinity;
  int64_t vectorsPerRow = f.lanes / width;
  // Accumulators, one input row and one broadcast weight must fit.
  if (f.rowBlock * vectorsPerRow + vectorsPerRow + 1 > target.vectorRegisters)
    return infinity;

  // Cycles of one reduction step of a register tile of `rows` rows: FMAs
  // against loads (one per input vector, one broadcast per row).
  auto stepCycles = [&](int64_t rows) {
    double fmas = double(rows * vectorsPerRow) / target.fmaPerCycle;
    double loads = double(vectorsPerRow + rows) / target.loadsPerCycle;
    return std::max(fmas, loads) + 1.0; // + loop overhead
  };
  double groupCycles = 0;
  for (int s = 0; s < 2; ++s) {
    int64_t rows = f.stageRows[s];
    if (!rows)
      continue;
    int64_t block = std::min(f.rowBlock, rows);
    double perBlock = double(rows / block) * stepCycles(block);
    if (rows % block)
      perBlock += stepCycles(rows % block);
    groupCycles += double(f.stageBlocks[s]) * f.stageDepth[s] * perBlock;
  }
  // Packing and unpacking: one load, a share of a 16×16 transpose and one
  // store per vector.
  groupCycles += 3.0 * double(f.inFeatures + f.outFeatures) * vectorsPerRow;
  // Stage buffers that do not fit in L2 stream from memory.
  double workingSet = double(f.stageWorkingSetBytes());
  if (workingSet > 0.8 * double(target.l2Bytes))
    groupCycles += 2.0 * workingSet / target.memoryBytesPerCycle;

  // A dynamic batch is costed as a large one (many tiles per thread).
  int64_t batch = f.batch.value_or(kAssumedDynamicBatch);
  int64_t tile = std::min(f.batchTile, batch);
  int64_t groupsPerTile = llvm::divideCeil(tile, f.lanes);
  int64_t tiles = llvm::divideCeil(batch, tile);
  int64_t rounds = llvm::divideCeil(tiles, target.threads);
  // Each tile allocates its buffers once.
  double tileCycles = double(groupsPerTile) * groupCycles + 2000.0;
  return double(rounds) * tileCycles;
}

bool structured::hasBatchVectorLowering(Operation *op) {
  if (!isa<BlockDiagOp, MonarchOp, BTTOp, BTTMoEOp>(op))
    return false;
  auto moe = dyn_cast<BTTMoEOp>(op);
  for (Value operand : op->getOperands()) {
    auto type = cast<ShapedType>(operand.getType());
    if (ShapedType::isDynamic(type.getShape().back()))
      return false;
    // btt_moe's expert indices are integers.
    if (moe && operand == moe.getIdx())
      continue;
    Type element = type.getElementType();
    if (!element.isF32() && !element.isF16() && !element.isBF16())
      return false;
  }
  // Weights: w (blockdiag) or w1 and w2.
  for (Value weight : op->getOperands().slice(1, isa<BlockDiagOp>(op) ? 1 : 2))
    if (!cast<ShapedType>(weight.getType()).hasStaticShape())
      return false;
  return true;
}

std::optional<KernelFeatures> structured::getKernelProblem(Operation *op) {
  if (!hasBatchVectorLowering(op))
    return std::nullopt;
  auto shapeOf = [](Value value) {
    return cast<ShapedType>(value.getType()).getShape();
  };
  KernelFeatures f;
  Value x = op->getOperand(0);
  Value init = op->getOperands().back();
  ArrayRef<int64_t> xShape = shapeOf(x);
  f.inFeatures = xShape.back();
  f.outFeatures = shapeOf(init).back();
  int64_t batch = 1;
  for (int64_t size : xShape.drop_back())
    batch = ShapedType::isDynamic(size) || ShapedType::isDynamic(batch)
                ? ShapedType::kDynamic
                : batch * size;
  if (!ShapedType::isDynamic(batch))
    f.batch = batch;
  f.elementBytes = llvm::divideCeil(
      cast<ShapedType>(x.getType()).getElementTypeBitWidth(), 8);
  ArrayRef<int64_t> w1 = shapeOf(op->getOperand(1));
  if (isa<BlockDiagOp>(op)) {
    f.stageBlocks[0] = w1[0], f.stageRows[0] = w1[1], f.stageDepth[0] = w1[2];
    return f;
  }
  ArrayRef<int64_t> w2 = shapeOf(op->getOperand(2));
  // A btt_moe row costs its K selected experts' Monarch rows, like a BTT of
  // rank K.
  int64_t rank = 1;
  if (isa<BTTOp>(op))
    rank = w1[1];
  else if (auto moe = dyn_cast<BTTMoEOp>(op)) {
    rank = shapeOf(moe.getIdx()).back();
    f.expertSparsity = llvm::divideCeil(w1[1], rank);
  }
  f.stageBlocks[0] = w1[0] * rank;
  f.stageRows[0] = w1[w1.size() - 2];
  f.stageDepth[0] = w1.back();
  f.intermediateFeatures = rank * w1[0] * f.stageRows[0];
  f.stageBlocks[1] = w2[0];
  f.stageRows[1] = w2[1];
  f.stageDepth[1] = w2[2] * rank;
  return f;
}

KernelFeatures
structured::selectKernelConfiguration(const CostModel &model,
                                      const KernelFeatures &problem,
                                      const TargetDescription &target) {
  KernelFeatures best = problem;
  double bestCost = std::numeric_limits<double>::infinity();
  int64_t width = target.vectorWidth;
  for (int64_t vectors = 1; vectors <= 4; ++vectors) {
    int64_t lanes = vectors * width;
    SmallVector<int64_t> tiles;
    if (problem.batch) {
      int64_t batch = std::max<int64_t>(*problem.batch, 1);
      for (int64_t split : {1, 2, 4, 8}) {
        int64_t perTile = llvm::divideCeil(batch, target.threads * split);
        tiles.push_back(llvm::alignTo(perTile, lanes));
      }
    } else {
      // The batch is only known at run time: one group per tile, so that
      // the tiles spread evenly over the threads whatever the batch turns
      // out to be (each group streams the weights anyway, so small tiles
      // cost little). A btt_moe tile is split among the experts, so it
      // needs about a group per expert.
      tiles.push_back(problem.expertSparsity * lanes);
    }
    for (int64_t tile : tiles) {
      for (int64_t rowBlock = 1; rowBlock <= 16; ++rowBlock) {
        KernelFeatures candidate = problem;
        candidate.lanes = lanes;
        candidate.rowBlock = rowBlock;
        candidate.batchTile = tile;
        double cost = model.predictCost(candidate);
        if (cost < bestCost) {
          bestCost = cost;
          best = candidate;
        }
      }
    }
  }
  return best;
}
