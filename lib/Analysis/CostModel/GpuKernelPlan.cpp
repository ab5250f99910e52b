//===- GpuKernelPlan.cpp - Shapes of the GPU block-matmul kernels ---------===//

#include "structured/Analysis/CostModel/GpuKernelPlan.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::structured;

/// Weights held in registers: at most 4096 per warp on tensor cores (64
/// registers per lane, two CTAs per SM) or 8192 (128 registers, one CTA per
/// SM), at most 64 per lane on the FMA path.
static constexpr int64_t kTensorCoreWeightElements = 4096;
static constexpr int64_t kLargeTensorCoreWeightElements = 8192;
static constexpr int64_t kFmaLaneReduction = 64;
static constexpr int64_t kFmaMaxReductionLanes = 8;
/// Shared memory that still lets two CTAs share an SM, and the hard limit
/// of one CTA (sm_90: 227 KiB).
static constexpr int64_t kSharedMemoryForTwoCTAs =
    GpuStagePlan::sharedMemoryPerSM / 2 -
    GpuStagePlan::reservedSharedMemoryPerCTA;
static constexpr int64_t kSharedMemoryLimit = 220 * 1024;
/// Input bytes each thread loads ahead of the computation (registers), and
/// each lane of a warp with direct inputs (its block's rows).
static constexpr int64_t kPrefetchBytesPerThread = 128;
static constexpr int64_t kDirectPrefetchBytesPerLane = 64;

int64_t structured::rowCTAsInWholeWaves(int64_t groups, int64_t slots) {
  groups = std::max<int64_t>(groups, 1);
  slots = std::max<int64_t>(slots, 1);
  auto filled = [&](int64_t y) {
    int64_t ctas = groups * y;
    return static_cast<double>(ctas) /
           static_cast<double>(llvm::alignTo(ctas, slots));
  };
  int64_t best = llvm::divideCeil(slots, groups);
  for (int64_t y = best; groups * y <= 16 * slots; ++y) {
    if (filled(y) >= 0.9)
      return y;
    if (filled(y) > filled(best))
      best = y;
  }
  return best;
}

/// planGpuStage with CTAs of `warps` warps; std::nullopt where a
/// tensor-core shape of more than the default warps needs over 128
/// registers per thread or does not fit shared memory.
static std::optional<GpuStagePlan>
planStageWithWarps(GpuStagePlan stage, bool tensorCoreType, bool bf16Operands,
                   bool directInput, bool directOutput, int64_t warps) {
  int64_t g = stage.blocks, p = stage.inSize, q = stage.outSize;
  if (g <= 0 || p <= 0 || q <= 0 || p % stage.in.chunk || q % stage.out.chunk)
    return std::nullopt;
  // f32 weights on tensor cores are split into bf16 parts; where that finds
  // no tile shape, the stage uses FMAs.
  if (stage.elementBytes == 4 && tensorCoreType) {
    GpuStagePlan split = stage;
    split.splitWeights = true;
    split.elementBytes = 2;
    if (std::optional<GpuStagePlan> plan = planStageWithWarps(
            split, /*tensorCoreType=*/true,
            /*bf16Operands=*/true, directInput, directOutput, warps);
        plan && plan->tensorCores)
      return plan;
    tensorCoreType = false;
  }
  GpuStagePlan unplanned = stage;

  // An f32 input (the intermediate) is split into three bf16 parts, whose
  // sum is exact; f16's exponent range is too narrow for that (small parts
  // underflow, large values overflow), so f16 stages with f32 inputs use
  // FMAs. Reductions that are not a multiple of 16 are padded with zeros,
  // and outputs that are not a multiple of 8 leave the last columns of the
  // last slice unused (strided or contiguous output layouts only); P of at
  // least 16 and Q of at least 8 pad to less than twice their size.
  bool f32Input = stage.inElementBytes == 4;
  bool raggedOutputs = q % 8 != 0;
  stage.tensorCores =
      tensorCoreType && p % 2 == 0 && p >= 16 && q >= 8 &&
      (!raggedOutputs || stage.out.chunk == 1 || stage.out.chunk == q) &&
      (!f32Input || bf16Operands);
  stage.splitInput = stage.tensorCores && f32Input;
  // Direct inputs where a lane's 16 rows of them fit its prefetch budget
  // (at most 64 terms of bf16/f16), without split f32 inputs: on the H200
  // both of those ran slower than the shared-memory tile (0.70-0.87×).
  stage.directInput =
      directInput && stage.tensorCores && !stage.splitInput &&
      stage.in.chunk == p && p % 16 == 0 &&
      16 * p * stage.inElementBytes <= kDirectPrefetchBytesPerLane * 32;

  stage.warps = warps;
  stage.blocksPerCTA = 1;
  for (int64_t d = stage.warps; d >= 1; --d) {
    if (g % d == 0) {
      stage.blocksPerCTA = d;
      break;
    }
  }

  // Row tiles: 32 rows, fewer when the prefetched tile would take more than
  // 32 registers per thread (16 is the smallest tensor-core tile, 8 a
  // multiple of the FMA path's 4-row groups). Tensor-core kernels then take
  // fewer blocks per CTA and give each block several warps.
  int64_t minRows = stage.tensorCores ? 16 : 8;
  auto prefetchTooLarge = [&] {
    int64_t bytes = stage.rowsPerTile * p * stage.inElementBytes;
    if (stage.directInput)
      return bytes > kDirectPrefetchBytesPerLane * 32;
    return bytes * stage.blocksPerCTA >
           kPrefetchBytesPerThread * stage.threads();
  };
  auto fitRows = [&] {
    stage.rowsPerTile = 32;
    while (prefetchTooLarge() && stage.rowsPerTile > minRows)
      stage.rowsPerTile /= 2;
  };
  fitRows();
  if (stage.tensorCores) {
    while (!stage.directInput && prefetchTooLarge() &&
           stage.blocksPerCTA % 2 == 0)
      stage.blocksPerCTA /= 2;
    // Where a block's outputs are contiguous, fewer blocks per CTA, each
    // with more warps, so that one CTA computes all Q outputs: its input
    // tile is then read (and split) once, not once per slice of columns.
    // Strided outputs keep their blocks: runs of fewer neighbouring blocks
    // make shorter stores (measured slower on the H200). Where no shape
    // fits 4096 weights per warp, 8192 at one CTA per SM: one slice that
    // reads the tile once beats slices of fewer columns that each re-read
    // and re-split it (f32 Monarch n=16384 and f32 BTT, 1.2-1.3x).
    auto wholeBlocks = [&](int64_t budget) {
      for (int64_t blocks = stage.blocksPerCTA; blocks >= 1; blocks /= 2) {
        if (stage.blocksPerCTA % blocks || stage.warps % blocks)
          continue;
        int64_t w = stage.warps / blocks;
        int64_t cols = q / w;
        if (q % w == 0 && cols % 8 == 0 && cols <= 64 &&
            stage.fragmentWeights(cols) <= budget) {
          stage.blocksPerCTA = blocks;
          fitRows();
          return true;
        }
      }
      return false;
    };
    if (stage.out.chunk % q == 0 && !wholeBlocks(kTensorCoreWeightElements))
      stage.oneCTAPerSM = wholeBlocks(kLargeTensorCoreWeightElements);
  }

  stage.colsPerCTA = 0;
  if (stage.tensorCores) {
    // A warp's accumulators (16 rows × up to 64 columns) and B fragments
    // (at most 4096 weights, counting every part of split weights) fill
    // about 100 registers; up to 8192 weights, with one CTA per SM.
    int64_t allWarps = stage.warps % stage.blocksPerCTA == 0
                           ? stage.warps / stage.blocksPerCTA
                           : 1;
    auto chooseColumns = [&](int64_t budget) {
      auto fits = [&](int64_t cols) {
        return stage.fragmentWeights(cols) <= budget;
      };
      for (stage.warpsPerBlock = allWarps; stage.warpsPerBlock >= 1;
           stage.warpsPerBlock /= 2) {
        for (int64_t cols = 64; cols >= 8; cols -= 8) {
          if (q % (cols * stage.warpsPerBlock) == 0 && fits(cols)) {
            stage.colsPerCTA = cols * stage.warpsPerBlock;
            return true;
          }
        }
      }
      if (!raggedOutputs)
        return false;
      // As many warps per block as have 8 of its columns (at most all of
      // them), each with the most columns that fit; the last slice of the
      // block's outputs is partly unused.
      stage.warpsPerBlock = std::min<int64_t>(
          allWarps, llvm::PowerOf2Ceil(llvm::divideCeil(q, 8)));
      int64_t needed = llvm::alignTo(llvm::divideCeil(q, stage.warpsPerBlock),
                                     static_cast<int64_t>(8));
      for (int64_t cols = std::min<int64_t>(64, needed); cols >= 8; cols -= 8) {
        if (fits(cols)) {
          stage.colsPerCTA = cols * stage.warpsPerBlock;
          return true;
        }
      }
      return false;
    };
    if (stage.oneCTAPerSM) {
      [[maybe_unused]] bool chosen =
          chooseColumns(kLargeTensorCoreWeightElements);
      assert(chosen && "whole blocks within the budget have columns");
    } else if (!chooseColumns(kTensorCoreWeightElements)) {
      if (!chooseColumns(kLargeTensorCoreWeightElements))
        return planStageWithWarps(unplanned, /*tensorCoreType=*/false,
                                  bf16Operands, /*directInput=*/false,
                                  /*directOutput=*/false,
                                  GpuStagePlan::defaultWarps);
      stage.oneCTAPerSM = true;
    }
    // Over 128 registers per thread leave room for 8 warps per SM.
    if (stage.oneCTAPerSM && stage.warps != GpuStagePlan::defaultWarps)
      return std::nullopt;
  } else {
    stage.warpsPerBlock = 1;
    // One output column per `reductionLanes` lanes, each holding (at most
    // 64 of) its P weights in registers.
    stage.reductionLanes = 1;
    while (llvm::divideCeil(p, stage.reductionLanes) > kFmaLaneReduction)
      stage.reductionLanes *= 2;
    if (stage.reductionLanes > kFmaMaxReductionLanes)
      return std::nullopt;
    int64_t kVector = stage.fmaVector();
    stage.laneReduction =
        llvm::alignTo(llvm::divideCeil(p, stage.reductionLanes), kVector);
    for (int64_t cols = std::min<int64_t>(q, 32 / stage.reductionLanes);
         cols >= 1; --cols) {
      if (q % cols == 0) {
        stage.colsPerCTA = cols;
        break;
      }
    }
  }

  // Contiguous tensor-core outputs go straight from the accumulators to
  // global memory (no staging tile).
  stage.directOutput = directOutput && stage.tensorCores &&
                       stage.out.chunk == q && !stage.raggedColumns();

  // Fewer rows when the tiles would not let two CTAs share an SM (or, for
  // more warps, not fit one CTA).
  int64_t sharedBudget = stage.warps == GpuStagePlan::defaultWarps
                             ? kSharedMemoryForTwoCTAs
                             : kSharedMemoryLimit;
  while (stage.sharedMemoryBytes() > sharedBudget &&
         stage.rowsPerTile > minRows)
    stage.rowsPerTile /= 2;
  if (stage.sharedMemoryBytes() > kSharedMemoryLimit)
    return std::nullopt;
  return stage;
}

/// `plan` with asyncInput where `mode` asks for it and its strided input
/// allows it; the staging buffer only where shared memory still holds as
/// many CTAs per SM as the plan runs.
static GpuStagePlan withAsyncInput(GpuStagePlan plan, AsyncStridedInputs mode) {
  if (mode == AsyncStridedInputs::None || !plan.tensorCores ||
      plan.blocksPerCTA < 2)
    return plan;
  if (mode == AsyncStridedInputs::Split &&
      (!plan.splitInput || plan.colSlices() != 1))
    return plan;
  int64_t inVector = plan.stridedVector(plan.inElementBytes);
  if (plan.directInput || plan.in.chunk != 1 || plan.inSize < 2 ||
      inVector < 2 || plan.inSize % inVector != 0)
    return plan;
  GpuStagePlan staged = plan;
  staged.asyncInput = true;
  int64_t ctas =
      std::min(plan.ctasPerSMBySharedMemory(), plan.ctasPerSMByRegisters());
  auto fits = [&] {
    return staged.sharedMemoryBytes() <= kSharedMemoryLimit &&
           staged.ctasPerSMBySharedMemory() >= ctas;
  };
  // Fewer rows if that makes room for the buffer (down to one 16-row slice
  // of the mma).
  while (!fits() && staged.rowsPerTile > 16)
    staged.rowsPerTile /= 2;
  return fits() ? staged : plan;
}

std::optional<GpuStagePlan>
structured::planGpuStage(GpuStagePlan stage, bool tensorCoreType,
                         bool bf16Operands, bool directInput, bool directOutput,
                         int64_t stridedWarps, AsyncStridedInputs asyncInputs) {
  auto finish = [&](std::optional<GpuStagePlan> plan) {
    if (plan)
      plan = withAsyncInput(*plan, asyncInputs);
    return plan;
  };
  std::optional<GpuStagePlan> narrow =
      planStageWithWarps(stage, tensorCoreType, bf16Operands, directInput,
                         directOutput, GpuStagePlan::defaultWarps);
  // A stage with a strided side reads or writes, per row, runs of
  // blocksPerCTA · chunk elements: where they are shorter than a 32-byte
  // sector, more warps, each with a block, make them longer (16 blocks of
  // bf16 at chunk 1 fill a sector). Their registers allow one such CTA per
  // SM. Only where the blocks fill whole CTAs of them (no idle warps) and
  // such a tensor-core shape fits.
  if (stridedWarps <= GpuStagePlan::defaultWarps || !narrow ||
      !narrow->tensorCores || !narrow->hasShortStridedRuns() ||
      stage.blocks % stridedWarps != 0)
    return finish(narrow);
  std::optional<GpuStagePlan> wide =
      planStageWithWarps(stage, tensorCoreType, bf16Operands, directInput,
                         directOutput, stridedWarps);
  if (wide && wide->tensorCores && wide->warps == stridedWarps)
    return finish(wide);
  return finish(narrow);
}

/// The stages of a map of `stages` stages (1: blockdiag) whose weights
/// have the shapes `w1` (k × q × p, or k × R × q × p when `rank` > 0) and
/// `w2` (l × s × r, or l × s × r × R), with `element` inputs, weights and
/// outputs; the second stage writes `outputBytes` per element.
static std::optional<SmallVector<GpuStagePlan, 2>>
planStages(Type element, int64_t stages, ArrayRef<int64_t> w1,
           ArrayRef<int64_t> w2, int64_t rank, int64_t outputBytes,
           const GpuKernelChoices &choices) {
  // The intermediate of two stages is f32, as in the reference
  // decomposition (the second stage of an f16/bf16 op splits it for the
  // tensor cores), unless it is rounded to the element type.
  GpuStagePlan first, second;
  int64_t elementBytes = element.getIntOrFloatBitWidth() / 8;
  int64_t intermediateBytes = choices.roundIntermediate ? elementBytes : 4;
  first.inElementBytes = first.elementBytes = elementBytes;
  first.outElementBytes = stages == 1 ? outputBytes : intermediateBytes;
  second.inElementBytes = intermediateBytes;
  second.elementBytes = elementBytes;
  second.outElementBytes = outputBytes;
  if (rank == 0) {
    first.blocks = w1[0];
    first.outSize = w1[1];
    first.inSize = w1[2];
    first.in.chunk = first.inSize;
    first.out.chunk = first.outSize;
    if (stages == 2) {
      second.blocks = w2[0];
      second.outSize = w2[1];
      second.inSize = w2[2];
      second.in.chunk = 1;
      second.out.chunk = 1;
    }
  } else {
    first.blocks = w1[0];
    first.outSize = rank * w1[2];
    first.inSize = w1[3];
    first.in.chunk = first.inSize;
    first.out.chunk = first.outSize;
    first.weightRank = rank;
    second.blocks = w2[0];
    second.outSize = w2[1];
    second.inSize = w2[2] * rank;
    second.in.chunk = rank;
    second.out.chunk = 1;
  }

  // Transposed, the intermediate holds the second stage's blocks one after
  // another: output j·R + ρ of first-stage block i (R = 1 for Monarch) lies
  // at (j·k + i)·R + ρ instead of (i·q + j)·R + ρ. The first stage writes
  // chunks of R, the second reads whole blocks. That needs the second
  // stage's blocks to be the first stage's outputs (l = q, hence r = k);
  // other shapes keep the first stage's layout.
  bool transpose =
      choices.transposeIntermediate == TransposeIntermediate::Always ||
      (choices.transposeIntermediate == TransposeIntermediate::Auto &&
       intermediateBytes == 2 && second.inSize >= 64);
  if (stages == 2 && transpose &&
      second.blocks * second.in.chunk == first.outSize) {
    first.out.chunk = second.in.chunk;
    second.in.chunk = second.inSize;
  }

  bool tensorCoreType = !element.isF32() || choices.f32TensorCores;
  bool bf16Operands = element.isBF16();
  SmallVector<GpuStagePlan, 2> plans;
  for (GpuStagePlan stage : {first, second}) {
    if (plans.size() == static_cast<size_t>(stages))
      break;
    std::optional<GpuStagePlan> plan =
        planGpuStage(stage, tensorCoreType, bf16Operands, choices.directInputs,
                     choices.directOutputs, choices.stridedWarps,
                     choices.asyncStridedInputs);
    if (!plan)
      return std::nullopt;
    plans.push_back(*plan);
  }
  return plans;
}

static bool isKernelElementType(Type element) {
  return element.isF32() || element.isF16() || element.isBF16();
}

/// btt_moe: the Monarch of one expert (w1[:, ρ], w2[..., ρ]) on the rows
/// that chose it (read from x through their indices in expert order), with
/// f32 outputs that the gates then weigh and add up. The intermediate and
/// output buffers the kernels see are slices of whole rows, the weights
/// slices of whole experts: each must start 16-byte aligned.
static std::optional<SmallVector<GpuStagePlan, 2>>
planMoEKernels(BTTMoEOp op, const GpuKernelChoices &choices) {
  auto xType = cast<ShapedType>(op.getX().getType());
  auto w1Type = cast<ShapedType>(op.getW1().getType());
  auto w2Type = cast<ShapedType>(op.getW2().getType());
  auto initType = cast<ShapedType>(op.getInit().getType());
  Type element = xType.getElementType();
  if (!isKernelElementType(element) || w1Type.getElementType() != element ||
      w2Type.getElementType() != element ||
      initType.getElementType() != element || !w1Type.hasStaticShape() ||
      !w2Type.hasStaticShape() ||
      ShapedType::isDynamic(xType.getShape().back()) ||
      ShapedType::isDynamic(initType.getShape().back()))
    return std::nullopt;
  ArrayRef<int64_t> w1 = w1Type.getShape(), w2 = w2Type.getShape();
  SmallVector<int64_t> expertW1 = {w1[0], w1[2], w1[3]};
  SmallVector<int64_t> expertW2 = {w2[0], w2[1], w2[2]};
  int64_t elementBytes = element.getIntOrFloatBitWidth() / 8;
  int64_t intermediateBytes = choices.roundIntermediate ? elementBytes : 4;
  auto aligned = [](int64_t bytes) { return bytes % 16 == 0; };
  if (!aligned(w1[0] * w1[3] * elementBytes) ||
      !aligned(w1[0] * w1[2] * intermediateBytes) ||
      !aligned(w2[0] * w2[1] * 4) ||
      !aligned(w1[0] * w1[2] * w1[3] * elementBytes) ||
      !aligned(w2[0] * w2[1] * w2[2] * elementBytes))
    return std::nullopt;
  return planStages(element, 2, expertW1, expertW2, /*rank=*/0,
                    /*outputBytes=*/4, choices);
}

std::optional<SmallVector<GpuStagePlan, 2>>
structured::planGpuKernels(Operation *op, const GpuKernelChoices &choices) {
  if (auto moe = dyn_cast<BTTMoEOp>(op))
    return planMoEKernels(moe, choices);
  if (!isa<BlockDiagOp, MonarchOp, BTTOp>(op))
    return std::nullopt;
  Type element;
  for (Value operand : op->getOperands()) {
    auto type = cast<ShapedType>(operand.getType());
    if (!element)
      element = type.getElementType();
    if (type.getElementType() != element ||
        ShapedType::isDynamic(type.getShape().back()))
      return std::nullopt;
  }
  if (!isKernelElementType(element))
    return std::nullopt;
  auto weights = op->getOperands().slice(1, isa<BlockDiagOp>(op) ? 1 : 2);
  for (Value weight : weights)
    if (!cast<ShapedType>(weight.getType()).hasStaticShape())
      return std::nullopt;
  auto shapeOf = [](Value value) {
    return cast<ShapedType>(value.getType()).getShape();
  };
  int64_t stages = isa<BlockDiagOp>(op) ? 1 : 2;
  ArrayRef<int64_t> w1 = shapeOf(weights[0]);
  ArrayRef<int64_t> w2 =
      stages == 2 ? shapeOf(weights[1]) : ArrayRef<int64_t>();
  int64_t rank = isa<BTTOp>(op) ? w1[1] : 0;
  return planStages(element, stages, w1, w2, rank,
                    element.getIntOrFloatBitWidth() / 8, choices);
}

/// The fused kernel of two stage plans of a Monarch, if it fits.
static std::optional<std::array<GpuStagePlan, 2>>
fuseStagePlans(ArrayRef<GpuStagePlan> plans) {
  std::array<GpuStagePlan, 2> fused = {plans[0], plans[1]};
  bool anyTensorCores = false;
  for (GpuStagePlan &stage : fused) {
    // A warp computes whole blocks: its B fragments, or one column per lane
    // with the whole reduction; no padded tensor-core shapes.
    if (stage.tensorCores &&
        (stage.mmaReduction() != stage.inSize || stage.raggedColumns()))
      return std::nullopt;
    if (stage.tensorCores
            ? stage.fragmentWeights(stage.outSize) > kTensorCoreWeightElements
            : stage.reductionLanes != 1 || stage.outSize > 32)
      return std::nullopt;
    anyTensorCores |= stage.tensorCores;
    stage.blocksPerCTA = stage.blocks;
    stage.warpsPerBlock = 1;
    stage.colsPerCTA = stage.outSize;
  }
  // 32 rows while the prefetched x tile takes at most 32 registers per
  // thread, else fewer (16 for tensor cores, 8 for FMAs) if it takes at most
  // 32 there; then the tiles must fit.
  for (int64_t rows : {32, 16, 8}) {
    if (rows < 16 && anyTensorCores)
      break;
    for (GpuStagePlan &stage : fused)
      stage.rowsPerTile = rows;
    bool prefetchFits =
        rows * fused[0].blocks * fused[0].inSize * fused[0].inElementBytes <=
        kPrefetchBytesPerThread * fused[0].threads();
    if (prefetchFits && fusedSharedMemoryBytes(fused) <= kSharedMemoryLimit)
      return fused;
  }
  return std::nullopt;
}

std::optional<std::array<GpuStagePlan, 2>>
structured::planFusedMonarch(Operation *op, bool f32TensorCores) {
  if (!isa<MonarchOp>(op))
    return std::nullopt;
  // Split f32 tiles take three times the shared memory of bf16 ones, and
  // padded or ragged tensor-core stages do not fuse: f32 stages may then
  // still fuse on FMAs.
  SmallVector<bool, 2> choices = {f32TensorCores};
  if (f32TensorCores)
    choices.push_back(false);
  for (bool tensorCores : choices) {
    // The fused kernel stages the x tile in shared memory for every block.
    GpuKernelChoices choices;
    choices.f32TensorCores = tensorCores;
    choices.directInputs = false;
    // One CTA of 8 warps owns every block of both stages; the intermediate
    // never leaves shared memory.
    choices.stridedWarps = GpuStagePlan::defaultWarps;
    choices.asyncStridedInputs = AsyncStridedInputs::None;
    std::optional<SmallVector<GpuStagePlan, 2>> plans =
        planGpuKernels(op, choices);
    if (!plans)
      return std::nullopt;
    if (std::optional<std::array<GpuStagePlan, 2>> fused =
            fuseStagePlans(*plans))
      return fused;
  }
  return std::nullopt;
}
