//===- GpuKernelPlanTest.cpp - Tests of the GPU kernel planner ------------===//

#include "structured/Analysis/CostModel/GpuKernelPlan.h"
#include "structured/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/MathExtras.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::structured;

namespace {

class GpuKernelPlanTest : public ::testing::Test {
protected:
  GpuKernelPlanTest() {
    DialectRegistry registry;
    registry.insert<func::FuncDialect>();
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// The first op of the body of @f in `source`.
  Operation *parseOp(StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return nullptr;
    auto func = module->lookupSymbol<func::FuncOp>("f");
    return &func.getBody().front().front();
  }

  /// structured.`name` on memrefs of `types` (the last one the output).
  Operation *parseLayer(StringRef name, ArrayRef<std::string> types) {
    std::string params, ins, inTypes;
    for (auto [i, type] : llvm::enumerate(types)) {
      std::string arg = "%a" + std::to_string(i);
      std::string memref = "memref<" + type + ">";
      params += (i ? ", " : "") + arg + ": " + memref;
      if (i + 1 == types.size())
        break;
      ins += (i ? ", " : "") + arg;
      inTypes += (i ? ", " : "") + memref;
    }
    std::string out = "%a" + std::to_string(types.size() - 1);
    return parseOp("func.func @f(" + params + ") {\n  structured." +
                   name.str() + " ins(" + ins + " : " + inTypes + ") outs(" +
                   out + " : memref<" + types.back() + ">)\n  return\n}");
  }

  /// A monarch of b·b features with b blocks of b×b (both factors `w`) on
  /// a dynamic batch of `type` elements.
  Operation *parseSquareMonarch(int64_t b, StringRef type) {
    std::string n = std::to_string(b * b), s = std::to_string(b);
    std::string w = s + "x" + s + "x" + s + "x" + type.str();
    std::string x = "?x" + n + "x" + type.str();
    return parseOp("func.func @f(%x: memref<" + x + ">, %w: memref<" + w +
                   ">, %y: memref<" + x +
                   ">) {\n structured.monarch ins(%x, %w, %w : memref<" + x +
                   ">, memref<" + w + ">, memref<" + w +
                   ">) outs(%y : memref<" + x + ">)\n return\n}");
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(GpuKernelPlanTest, Bf16MonarchUsesTensorCoresAndSplitsTheIntermediate) {
  Operation *op = parseSquareMonarch(64, "bf16");
  ASSERT_TRUE(op);
  auto plans = planGpuKernels(op);
  ASSERT_TRUE(plans.has_value());
  ASSERT_EQ(plans->size(), 2u);
  const GpuStagePlan &first = (*plans)[0], &second = (*plans)[1];
  EXPECT_TRUE(first.tensorCores);
  EXPECT_FALSE(first.splitInput);
  EXPECT_EQ(first.in.chunk, 64);       // contiguous blocks
  EXPECT_EQ(first.outElementBytes, 4); // f32 intermediate
  EXPECT_TRUE(second.tensorCores);
  EXPECT_TRUE(second.splitInput);
  EXPECT_EQ(second.in.chunk, 1); // the stride permutation
  EXPECT_EQ(second.out.chunk, 1);
  EXPECT_EQ(second.outElementBytes, 2);
  for (const GpuStagePlan &plan : *plans) {
    EXPECT_EQ(plan.outSize % plan.colsPerCTA, 0);
    EXPECT_EQ(plan.colsPerCTA % (8 * plan.warpsPerBlock), 0);
    EXPECT_LE(plan.blocksPerCTA * plan.warpsPerBlock, plan.warps);
    EXPECT_LE(plan.sharedMemoryBytes(), 220 * 1024);
  }

  GpuKernelChoices round;
  round.roundIntermediate = true;
  auto rounded = planGpuKernels(op, round);
  ASSERT_TRUE(rounded.has_value());
  EXPECT_EQ((*rounded)[0].outElementBytes, 2);
  EXPECT_FALSE((*rounded)[1].splitInput);
}

TEST_F(GpuKernelPlanTest, TransposedIntermediateMovesTheStride) {
  // The intermediate as the second stage's blocks: the first stage writes
  // chunks of 1 (Monarch) or R (BTT), the second reads whole blocks.
  GpuKernelChoices transpose;
  transpose.transposeIntermediate = TransposeIntermediate::Always;
  auto monarch = planGpuKernels(parseSquareMonarch(64, "bf16"), transpose);
  ASSERT_TRUE(monarch.has_value());
  EXPECT_EQ((*monarch)[0].in.chunk, 64);
  EXPECT_EQ((*monarch)[0].out.chunk, 1);
  EXPECT_EQ((*monarch)[1].in.chunk, 64);
  EXPECT_EQ((*monarch)[1].out.chunk, 1);

  Operation *btt = parseLayer("btt", {"?x512xbf16", "16x4x32x32xbf16",
                                      "32x16x16x4xbf16", "?x512xbf16"});
  ASSERT_TRUE(btt);
  auto plans = planGpuKernels(btt, transpose);
  ASSERT_TRUE(plans.has_value());
  EXPECT_EQ((*plans)[0].out.chunk, 4);
  EXPECT_EQ((*plans)[1].in.chunk, (*plans)[1].inSize);
  auto plain = planGpuKernels(btt);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ((*plain)[0].out.chunk, (*plain)[0].outSize);
  EXPECT_EQ((*plain)[1].in.chunk, 4);

  // Second-stage blocks that are not the first stage's outputs (4 blocks
  // of 26·2 terms after 8 blocks of 13·2 outputs) keep the first layout.
  Operation *wide = parseLayer(
      "btt", {"?x1040xf32", "8x2x13x130xf32", "4x25x26x2xf32", "?x100xf32"});
  ASSERT_TRUE(wide);
  auto kept = planGpuKernels(wide, transpose);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ((*kept)[0].out.chunk, (*kept)[0].outSize);
  EXPECT_EQ((*kept)[1].in.chunk, 2);
}

TEST_F(GpuKernelPlanTest, RoundedIntermediatesOfLongBlocksAreTransposed) {
  // By default (auto): a bf16 intermediate before second-stage blocks of 64
  // or 128 terms is laid out as the second stage's blocks; an f32 one, or
  // one before 32-term blocks, keeps the first stage's layout; `Never`
  // keeps it everywhere.
  GpuKernelChoices rounded;
  rounded.roundIntermediate = true;
  for (int64_t b : {64, 128}) {
    auto plans = planGpuKernels(parseSquareMonarch(b, "bf16"), rounded);
    ASSERT_TRUE(plans.has_value());
    EXPECT_EQ((*plans)[0].out.chunk, 1);
    EXPECT_EQ((*plans)[1].in.chunk, b);
  }
  auto small = planGpuKernels(parseSquareMonarch(32, "bf16"), rounded);
  auto exact = planGpuKernels(parseSquareMonarch(64, "bf16"));
  GpuKernelChoices never = rounded;
  never.transposeIntermediate = TransposeIntermediate::Never;
  auto kept = planGpuKernels(parseSquareMonarch(64, "bf16"), never);
  ASSERT_TRUE(small && exact && kept);
  for (auto *plans : {&small, &exact, &kept}) {
    EXPECT_EQ((**plans)[0].out.chunk, (**plans)[0].outSize);
    EXPECT_EQ((**plans)[1].in.chunk, 1);
  }
}

TEST_F(GpuKernelPlanTest, StridedStagesTakeWiderCTAsWhereAsked) {
  // bf16 Monarch n=4096, bf16 intermediate: the second stage (strided in
  // and out) gets 16 warps, so 16 blocks (32-byte runs) at one CTA per SM;
  // the contiguous first stage keeps 8.
  auto choices = [](bool round, int64_t stridedWarps) {
    GpuKernelChoices choices;
    choices.roundIntermediate = round;
    choices.transposeIntermediate = TransposeIntermediate::Never;
    choices.stridedWarps = stridedWarps;
    return choices;
  };
  Operation *op = parseSquareMonarch(64, "bf16");
  ASSERT_TRUE(op);
  GpuKernelChoices wide = choices(true, 16);
  auto plans = planGpuKernels(op, wide);
  ASSERT_TRUE(plans.has_value());
  const GpuStagePlan &first = (*plans)[0], &second = (*plans)[1];
  EXPECT_EQ(first.warps, 8);
  EXPECT_EQ(first.ctasPerSMByRegisters(), 2);
  EXPECT_EQ(second.warps, 16);
  EXPECT_EQ(second.threads(), 512);
  EXPECT_EQ(second.blocksPerCTA, 16);
  EXPECT_EQ(second.warpsPerBlock, 1);
  EXPECT_EQ(second.ctasPerSMByRegisters(), 1);
  EXPECT_EQ(second.rowsPerTile, 32);
  EXPECT_LE(second.sharedMemoryBytes(), 220 * 1024);
  auto narrow = planGpuKernels(op, choices(true, 8));
  ASSERT_TRUE(narrow.has_value());
  EXPECT_EQ((*narrow)[1].warps, 8);
  EXPECT_EQ((*narrow)[1].blocksPerCTA, 8);

  // Transposed, the first stage writes strided outputs too.
  wide.transposeIntermediate = TransposeIntermediate::Always;
  auto transposed = planGpuKernels(op, wide);
  ASSERT_TRUE(transposed.has_value());
  EXPECT_EQ((*transposed)[0].warps, 16);
  EXPECT_EQ((*transposed)[1].warps, 16);

  // The f32 intermediate's three split tiles of 16 blocks fit one CTA
  // with fewer rows.
  auto split = planGpuKernels(op, choices(false, 16));
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ((*split)[1].warps, 16);
  EXPECT_TRUE((*split)[1].splitInput);
  EXPECT_LT((*split)[1].rowsPerTile, 32);
  EXPECT_LE((*split)[1].sharedMemoryBytes(), 220 * 1024);

  // f32 Monarch n=4096: 8 blocks of f32 already fill 32-byte sectors, so 8
  // warps stay; at n=16384 the second stage's 4 blocks per CTA (its
  // 128-term rows fill the prefetch registers) move 16 bytes, so it takes
  // 16 warps.
  auto f32Plans = planGpuKernels(parseSquareMonarch(64, "f32"));
  ASSERT_TRUE(f32Plans.has_value());
  EXPECT_EQ((*f32Plans)[1].warps, 8);
  EXPECT_FALSE((*f32Plans)[1].hasShortStridedRuns());
  auto largeF32 = planGpuKernels(parseSquareMonarch(128, "f32"));
  ASSERT_TRUE(largeF32.has_value());
  EXPECT_EQ((*largeF32)[1].warps, 16);

  // A blockdiag has no strided side.
  Operation *blockdiag =
      parseLayer("blockdiag", {"?x4096xbf16", "64x64x64xbf16", "?x4096xbf16"});
  ASSERT_TRUE(blockdiag);
  auto blockdiagPlans = planGpuKernels(blockdiag, wide);
  ASSERT_TRUE(blockdiagPlans.has_value());
  EXPECT_EQ(blockdiagPlans->front().warps, 8);

  // 24 second-stage blocks do not fill CTAs of 16 warps: 8 stay.
  Operation *rect = parseLayer(
      "monarch", {"?x384xf16", "6x48x64xf16", "24x40x12xf16", "?x960xf16"});
  ASSERT_TRUE(rect);
  auto rectPlans = planGpuKernels(rect, choices(false, 16));
  ASSERT_TRUE(rectPlans.has_value());
  EXPECT_EQ((*rectPlans)[1].warps, 8);

  // Every stage of these shapes: 16 warps never with over 128 registers
  // per thread (one CTA of 8 warps per SM instead), nor with idle warps.
  for (int64_t b : {32, 64, 128})
    for (StringRef type : {"bf16", "f32"})
      for (bool round : {false, true}) {
        auto stages =
            planGpuKernels(parseSquareMonarch(b, type), choices(round, 16));
        ASSERT_TRUE(stages.has_value());
        for (const GpuStagePlan &stage : *stages) {
          if (stage.warps == 8)
            continue;
          EXPECT_FALSE(stage.oneCTAPerSM);
          EXPECT_EQ(stage.warps % (stage.blocksPerCTA * stage.warpsPerBlock),
                    0);
          EXPECT_LE(stage.sharedMemoryBytes(), 220 * 1024);
        }
      }
}

TEST_F(GpuKernelPlanTest, DirectOutputsNeedContiguousTensorCoreOutputs) {
  // bf16 Monarch n=4096: with direct inputs and outputs the first stage
  // uses no shared memory at all; the strided second stage keeps both
  // tiles.
  GpuKernelChoices direct;
  direct.directOutputs = true;
  auto plans = planGpuKernels(parseSquareMonarch(64, "bf16"), direct);
  ASSERT_TRUE(plans.has_value());
  EXPECT_TRUE((*plans)[0].directOutput);
  EXPECT_EQ((*plans)[0].sharedMemoryBytes(), 0);
  EXPECT_FALSE((*plans)[1].directOutput);
  EXPECT_GT((*plans)[1].outTileBytes(), 0);
  // Not by default, nor for ragged columns (a bf16 blockdiag with 20
  // outputs per block) or the FMA path.
  auto plain = planGpuKernels(parseSquareMonarch(64, "bf16"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE((*plain)[0].directOutput);
  Operation *ragged =
      parseLayer("blockdiag", {"?x120xbf16", "3x20x40xbf16", "?x60xbf16"});
  ASSERT_TRUE(ragged);
  auto raggedPlans = planGpuKernels(ragged, direct);
  ASSERT_TRUE(raggedPlans.has_value());
  EXPECT_TRUE((*raggedPlans)[0].raggedColumns());
  EXPECT_FALSE((*raggedPlans)[0].directOutput);
  auto small = planGpuKernels(parseSquareMonarch(8, "f32"), direct);
  ASSERT_TRUE(small.has_value());
  EXPECT_FALSE((*small)[0].tensorCores);
  EXPECT_FALSE((*small)[0].directOutput);
}

TEST_F(GpuKernelPlanTest, SplitStridedInputsAreStagedByCpAsync) {
  // bf16 Monarch n=4096, by default: the second stage (16 blocks of a CTA
  // at chunk 1, one slice of columns) stages its split f32 intermediate,
  // 16-byte vectors of four f32, in a buffer of padded rows; the contiguous
  // first stage does not.
  auto plans = planGpuKernels(parseSquareMonarch(64, "bf16"));
  ASSERT_TRUE(plans.has_value());
  const GpuStagePlan &second = (*plans)[1];
  EXPECT_FALSE((*plans)[0].asyncInput);
  EXPECT_TRUE(second.splitInput);
  EXPECT_EQ(second.colSlices(), 1);
  EXPECT_TRUE(second.asyncInput);
  EXPECT_EQ(second.stridedVector(second.inElementBytes), 4);
  EXPECT_EQ(second.stagingBytes(), second.rowsPerTile * (64 * 16 + 4) * 4);
  EXPECT_LE(second.sharedMemoryBytes(), 220 * 1024);
  // A bf16 intermediate is not split: staged only with `all`, and with
  // `none` nothing is.
  GpuKernelChoices rounded;
  rounded.roundIntermediate = true;
  rounded.transposeIntermediate = TransposeIntermediate::Never;
  auto plain = planGpuKernels(parseSquareMonarch(64, "bf16"), rounded);
  rounded.asyncStridedInputs = AsyncStridedInputs::All;
  auto all = planGpuKernels(parseSquareMonarch(64, "bf16"), rounded);
  GpuKernelChoices none;
  none.asyncStridedInputs = AsyncStridedInputs::None;
  auto unstaged = planGpuKernels(parseSquareMonarch(64, "bf16"), none);
  ASSERT_TRUE(plain && all && unstaged);
  EXPECT_FALSE((*plain)[1].asyncInput);
  EXPECT_TRUE((*all)[1].asyncInput);
  EXPECT_EQ((*all)[1].stridedVector((*all)[1].inElementBytes), 8);
  EXPECT_FALSE((*unstaged)[1].asyncInput);
  EXPECT_EQ((*unstaged)[1].stagingBytes(), 0);
  // n=1024: the staging buffer of 32 rows does not fit next to the split
  // tiles, so the stage takes 16-row tiles.
  auto small = planGpuKernels(parseSquareMonarch(32, "bf16"));
  auto smallUnstaged = planGpuKernels(parseSquareMonarch(32, "bf16"), none);
  ASSERT_TRUE(small && smallUnstaged);
  EXPECT_TRUE((*small)[1].asyncInput);
  EXPECT_EQ((*smallUnstaged)[1].rowsPerTile, 32);
  EXPECT_EQ((*small)[1].rowsPerTile, 16);
  // n=16384: 128 outputs per block in two slices of columns, whose CTAs
  // would each stage the same tile; `split` leaves them, `all` stages them.
  auto wide = planGpuKernels(parseSquareMonarch(128, "bf16"));
  GpuKernelChoices everything;
  everything.asyncStridedInputs = AsyncStridedInputs::All;
  auto wideAll = planGpuKernels(parseSquareMonarch(128, "bf16"), everything);
  ASSERT_TRUE(wide && wideAll);
  EXPECT_EQ((*wide)[1].colSlices(), 2);
  EXPECT_FALSE((*wide)[1].asyncInput);
  EXPECT_TRUE((*wideAll)[1].asyncInput);
  // BTT's second stage reads chunks of R: never staged.
  Operation *btt = parseLayer("btt", {"?x512xbf16", "16x4x32x32xbf16",
                                      "32x16x16x4xbf16", "?x512xbf16"});
  ASSERT_TRUE(btt);
  auto bttPlans = planGpuKernels(btt, everything);
  ASSERT_TRUE(bttPlans.has_value());
  EXPECT_FALSE((*bttPlans)[1].asyncInput);
  // The fused kernel never stages (its intermediate stays in shared memory).
  auto fused = planFusedMonarch(parseSquareMonarch(32, "bf16"));
  ASSERT_TRUE(fused.has_value());
  for (const GpuStagePlan &stage : *fused)
    EXPECT_FALSE(stage.asyncInput);
}

TEST_F(GpuKernelPlanTest, DirectInputsNeedContiguousTensorCoreBlocks) {
  // bf16 Monarch n=4096: the first stage reads contiguous 64-term blocks
  // without shared memory for them (each lane prefetches 64 bytes: 16 rows
  // of 64 bf16 terms); the strided second stage keeps its input tile, and
  // so does the split f32 intermediate once transposed.
  Operation *op = parseSquareMonarch(64, "bf16");
  ASSERT_TRUE(op);
  auto plans = planGpuKernels(op);
  ASSERT_TRUE(plans.has_value());
  EXPECT_TRUE((*plans)[0].directInput);
  EXPECT_EQ((*plans)[0].inTileBytes(), 0);
  EXPECT_EQ((*plans)[0].sharedMemoryBytes(), (*plans)[0].outTileBytes());
  EXPECT_EQ((*plans)[0].rowsPerTile, 16);
  EXPECT_FALSE((*plans)[1].directInput);
  GpuKernelChoices transposed;
  transposed.transposeIntermediate = TransposeIntermediate::Always;
  auto split = planGpuKernels(op, transposed);
  ASSERT_TRUE(split.has_value());
  EXPECT_TRUE((*split)[1].splitInput);
  EXPECT_FALSE((*split)[1].directInput);
  // A rounded intermediate is read directly once transposed.
  transposed.roundIntermediate = true;
  auto rounded = planGpuKernels(op, transposed);
  ASSERT_TRUE(rounded.has_value());
  EXPECT_TRUE((*rounded)[1].directInput);
  GpuKernelChoices tiles;
  tiles.directInputs = false;
  auto withTiles = planGpuKernels(op, tiles);
  ASSERT_TRUE(withTiles.has_value());
  EXPECT_FALSE((*withTiles)[0].directInput);
  EXPECT_GT((*withTiles)[0].inTileBytes(), 0);
  // Reductions of 128 terms (n=16384), or not a multiple of 16, and f32
  // inputs keep the input tile.
  for (auto [b, type] :
       {std::pair{128, "bf16"}, std::pair{24, "bf16"}, std::pair{64, "f32"}}) {
    auto other = planGpuKernels(parseSquareMonarch(b, type));
    ASSERT_TRUE(other.has_value());
    EXPECT_TRUE((*other)[0].tensorCores);
    EXPECT_FALSE((*other)[0].directInput);
  }
}

TEST_F(GpuKernelPlanTest, F32MonarchSplitsBothOperandsOnTensorCores) {
  Operation *op = parseSquareMonarch(64, "f32");
  ASSERT_TRUE(op);
  auto plans = planGpuKernels(op);
  ASSERT_TRUE(plans.has_value());
  const GpuStagePlan &first = (*plans)[0], &second = (*plans)[1];
  for (const GpuStagePlan &plan : *plans) {
    EXPECT_TRUE(plan.tensorCores);
    EXPECT_TRUE(plan.splitInput);
    EXPECT_TRUE(plan.splitWeights);
    EXPECT_EQ(plan.elementBytes, 2); // bf16 parts in the tiles
    EXPECT_EQ(plan.weightParts(), 3);
    // B fragments of every part of a warp's columns fit its registers.
    EXPECT_LE(plan.colsPerCTA / plan.warpsPerBlock * plan.inSize * 3, 4096);
  }
  // Contiguous outputs: one CTA computes every output of its blocks (two
  // blocks, four warps of 16 columns each), so its input tile is read once.
  EXPECT_EQ(first.blocksPerCTA, 2);
  EXPECT_EQ(first.warpsPerBlock, 4);
  EXPECT_EQ(first.colsPerCTA, 64);
  // Strided outputs keep 8 neighbouring blocks per CTA over column slices.
  EXPECT_EQ(second.blocksPerCTA, 8);
  EXPECT_EQ(second.colsPerCTA, 16);

  GpuKernelChoices noTensorCores;
  noTensorCores.f32TensorCores = false;
  auto fma = planGpuKernels(op, noTensorCores);
  ASSERT_TRUE(fma.has_value());
  for (const GpuStagePlan &plan : *fma) {
    EXPECT_FALSE(plan.tensorCores);
    EXPECT_FALSE(plan.splitWeights);
  }
}

TEST_F(GpuKernelPlanTest, WholeBlocksTakeTheLargeBudgetWhereNeeded) {
  // f32 Monarch n=16384: the first stage's 128×128 blocks split in 3 parts.
  // No shape of whole blocks fits 4096 weights per warp; one block of
  // eight warps × 16 columns (6144 weights) at one CTA per SM does, so the
  // input tile is read and split once, not once per 16-column slice.
  Operation *op = parseSquareMonarch(128, "f32");
  ASSERT_TRUE(op);
  auto plans = planGpuKernels(op);
  ASSERT_TRUE(plans.has_value());
  const GpuStagePlan &first = (*plans)[0], &second = (*plans)[1];
  EXPECT_TRUE(first.tensorCores);
  EXPECT_EQ(first.blocksPerCTA, 1);
  EXPECT_EQ(first.warpsPerBlock, 8);
  EXPECT_EQ(first.colsPerCTA, 128);
  EXPECT_EQ(first.colSlices(), 1);
  EXPECT_EQ(first.fragmentWeights(first.colsPerCTA / first.warpsPerBlock),
            6144);
  EXPECT_TRUE(first.oneCTAPerSM);
  // Strided outputs keep their column slices within 4096 weights.
  EXPECT_FALSE(second.oneCTAPerSM);
  EXPECT_LE(second.fragmentWeights(second.colsPerCTA / second.warpsPerBlock),
            4096);

  // Where 4096 weights hold whole blocks (bf16, the same shape: two blocks
  // of four warps × 32 columns), the small budget is kept.
  Operation *bf16 = parseSquareMonarch(128, "bf16");
  ASSERT_TRUE(bf16);
  auto bf16Plans = planGpuKernels(bf16);
  ASSERT_TRUE(bf16Plans.has_value());
  const GpuStagePlan &bf16First = bf16Plans->front();
  EXPECT_EQ(bf16First.blocksPerCTA, 2);
  EXPECT_EQ(bf16First.warpsPerBlock, 4);
  EXPECT_EQ(bf16First.colsPerCTA, 128);
  EXPECT_FALSE(bf16First.oneCTAPerSM);
}

TEST_F(GpuKernelPlanTest, RaggedBlocksArePaddedForTensorCores) {
  // The stages of causal_conv's DFTs: 130 outputs of 256 terms, then 256
  // outputs of 130 terms.
  Operation *op = parseOp(R"mlir(
    func.func @f(%x: memref<?x16384xf32>, %w1: memref<64x130x256xf32>, %w2: memref<64x256x130xf32>, %y: memref<?x16384xf32>) {
      structured.monarch ins(%x, %w1, %w2 : memref<?x16384xf32>, memref<64x130x256xf32>, memref<64x256x130xf32>) outs(%y : memref<?x16384xf32>)
      return
    })mlir");
  ASSERT_TRUE(op);
  auto plans = planGpuKernels(op);
  ASSERT_TRUE(plans.has_value());
  const GpuStagePlan &first = (*plans)[0], &second = (*plans)[1];
  EXPECT_TRUE(first.tensorCores);
  EXPECT_EQ(first.mmaReduction(), 256);
  EXPECT_TRUE(first.raggedColumns());
  // The slices cover the 130 outputs, the last one partly.
  int64_t covered = first.colSlices() * first.colsPerCTA;
  EXPECT_GT(covered, first.outSize);
  EXPECT_LT(covered, first.outSize + first.colsPerCTA);
  // 8 columns × 256 terms × 3 parts of B fragments: one CTA per SM.
  EXPECT_TRUE(first.oneCTAPerSM);
  EXPECT_TRUE(second.tensorCores);
  EXPECT_EQ(second.mmaReduction(), 144);
  EXPECT_EQ(second.paddedInSize(), 144);
  EXPECT_FALSE(second.raggedColumns());
  EXPECT_GE(second.inPitch(), 144);
  // Fused kernels take no padded shapes.
  EXPECT_FALSE(planFusedMonarch(op).has_value());

  // 12 outputs: two warps of 8 columns, not eight warps of copies of the
  // last column.
  Operation *small = parseOp(R"mlir(
    func.func @f(%x: memref<?x64xbf16>, %w: memref<1x12x64xbf16>, %y: memref<?x12xbf16>) {
      structured.blockdiag ins(%x, %w : memref<?x64xbf16>, memref<1x12x64xbf16>) outs(%y : memref<?x12xbf16>)
      return
    })mlir");
  ASSERT_TRUE(small);
  auto smallPlans = planGpuKernels(small);
  ASSERT_TRUE(smallPlans.has_value());
  const GpuStagePlan &ragged = smallPlans->front();
  EXPECT_TRUE(ragged.tensorCores);
  EXPECT_EQ(ragged.warpsPerBlock, 2);
  EXPECT_EQ(ragged.colsPerCTA, 16);
  EXPECT_EQ(ragged.colSlices(), 1);
}

TEST_F(GpuKernelPlanTest, LongF32ReductionsAreSplitOverLanes) {
  Operation *op = parseOp(R"mlir(
    func.func @f(%x: memref<?x260xf32>, %w: memref<2x6x130xf32>, %y: memref<?x12xf32>) {
      structured.blockdiag ins(%x, %w : memref<?x260xf32>, memref<2x6x130xf32>) outs(%y : memref<?x12xf32>)
      return
    })mlir");
  ASSERT_TRUE(op);
  auto plans = planGpuKernels(op);
  ASSERT_TRUE(plans.has_value());
  ASSERT_EQ(plans->size(), 1u);
  const GpuStagePlan &plan = plans->front();
  EXPECT_FALSE(plan.tensorCores);
  EXPECT_EQ(plan.reductionLanes, 4);
  // ceil(130 / 4) = 33, rounded up to the vector of 2.
  EXPECT_EQ(plan.laneReduction, 34);
  EXPECT_GE(plan.reductionLanes * plan.laneReduction, plan.inSize);
  EXPECT_EQ(plan.colsPerCTA, 6);
  EXPECT_GE(plan.inPitch(), plan.reductionLanes * plan.laneReduction);
}

TEST_F(GpuKernelPlanTest, OnlyMonarchsWithSmallBlocksFuseTheirStages) {
  Operation *small = parseSquareMonarch(32, "bf16");
  ASSERT_TRUE(small);
  auto fused = planFusedMonarch(small);
  ASSERT_TRUE(fused.has_value());
  for (const GpuStagePlan &stage : *fused) {
    EXPECT_EQ(stage.blocksPerCTA, 32);
    // One launch of 8 warps for both stages (its strided second stage
    // would take 16 on its own).
    EXPECT_EQ(stage.warps, 8);
    EXPECT_FALSE(stage.directInput); // x is staged for every block
    EXPECT_EQ(stage.colsPerCTA, 32);
    EXPECT_EQ(stage.rowsPerTile, 16);
  }
  EXPECT_TRUE((*fused)[1].splitInput);
  EXPECT_LE(fusedSharedMemoryBytes(*fused), 220 * 1024);
  // 64×64 blocks: the tiles of 16 rows do not fit.
  EXPECT_FALSE(planFusedMonarch(parseSquareMonarch(64, "bf16")).has_value());
  // f32: the split tiles of 32 blocks do not fit, so FMA stages, one
  // column per lane, 8-row tiles.
  auto fma = planFusedMonarch(parseSquareMonarch(32, "f32"));
  ASSERT_TRUE(fma.has_value());
  for (const GpuStagePlan &stage : *fma) {
    EXPECT_FALSE(stage.tensorCores);
    EXPECT_EQ(stage.reductionLanes, 1);
    EXPECT_EQ(stage.rowsPerTile, 8);
  }
  EXPECT_FALSE(planFusedMonarch(parseSquareMonarch(64, "f32")).has_value());
  // Smaller f32 blocks fuse on tensor cores, as split parts.
  auto split = planFusedMonarch(parseSquareMonarch(16, "f32"));
  ASSERT_TRUE(split.has_value());
  for (const GpuStagePlan &stage : *split) {
    EXPECT_TRUE(stage.tensorCores);
    EXPECT_TRUE(stage.splitWeights);
  }
}

TEST_F(GpuKernelPlanTest, MoEExpertsRunAsMonarchsWithF32Outputs) {
  // One expert of a bf16 btt_moe (w1 64×8×64×64, w2 64×64×64×8) is the
  // Monarch of the same blocks; its second stage writes the f32 results
  // that the gates weigh.
  Operation *moe = parseLayer("btt_moe", {"?x4096xbf16", "64x8x64x64xbf16",
                                          "64x64x64x8xbf16", "?x2xi32",
                                          "?x2xf32", "?x4096xbf16"});
  ASSERT_TRUE(moe);
  auto plans = planGpuKernels(moe);
  ASSERT_TRUE(plans.has_value());
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_TRUE(hasGpuKernelLowering(moe));
  // (Parsing replaces the module, so `moe` is not used after this.)
  auto monarch = planGpuKernels(parseSquareMonarch(64, "bf16"));
  ASSERT_TRUE(monarch.has_value());
  const GpuStagePlan &first = (*plans)[0], &second = (*plans)[1];
  EXPECT_EQ(first.blocks, 64);
  EXPECT_EQ(first.weightRank, 0);
  EXPECT_TRUE(first.tensorCores);
  EXPECT_EQ(first.blocksPerCTA, (*monarch)[0].blocksPerCTA);
  EXPECT_EQ(second.in.chunk, 1);
  EXPECT_EQ(second.outElementBytes, 4);
  EXPECT_EQ((*monarch)[1].outElementBytes, 2);

  // Rows of 6 f32 elements leave the experts' row slices unaligned.
  Operation *unaligned =
      parseLayer("btt_moe", {"?x6xf32", "2x2x3x3xf32", "3x2x2x2xf32", "?x1xi32",
                             "?x1xf32", "?x6xf32"});
  ASSERT_TRUE(unaligned);
  EXPECT_FALSE(planGpuKernels(unaligned).has_value());
  EXPECT_FALSE(hasGpuKernelLowering(unaligned));
}

TEST_F(GpuKernelPlanTest, UnsupportedOpsHaveNoPlan) {
  Operation *op = parseOp(R"mlir(
    func.func @f(%x: memref<4x2000xf32>, %w: memref<2x8x1000xf32>, %y: memref<4x16xf32>) {
      structured.blockdiag ins(%x, %w : memref<4x2000xf32>, memref<2x8x1000xf32>) outs(%y : memref<4x16xf32>)
      return
    })mlir");
  ASSERT_TRUE(op);
  EXPECT_FALSE(hasGpuKernelLowering(op));
}

TEST_F(GpuKernelPlanTest, CausalConvUpToTheLargestFFTIsFused) {
  auto causalConv = [&](int64_t length) {
    std::string t = std::to_string(length);
    return parseOp("func.func @f(%u: memref<?x3x" + t + "xf32>, %k: memref<3x" +
                   t + "xf32>, %y: memref<?x3x" + t +
                   "xf32>) {\n structured.causal_conv ins(%u, %k : "
                   "memref<?x3x" +
                   t + "xf32>, memref<3x" + t + "xf32>) outs(%y : memref<?x3x" +
                   t + "xf32>)\n return\n}");
  };
  // L = 4096: rows padded to P = 8192, a complex FFT of N = 4096 = 16³,
  // a thread per radix-16 job, 4352 elements of shared memory.
  Operation *op = causalConv(4096);
  ASSERT_TRUE(op);
  std::optional<GpuFFTConvPlan> plan = planGpuFFTConv(op);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->size, 4096);
  EXPECT_EQ(plan->paddedLength(), 8192);
  EXPECT_EQ(plan->radices, (SmallVector<int64_t, 4>{16, 16, 16}));
  EXPECT_EQ(plan->threads, 256);
  EXPECT_EQ(plan->sharedMemoryBytes(), (4096 + 256) * 8);
  // Twiddles: W^t for t ≤ 2048, then 16 rows of 16 for the second pass
  // and 16 rows of 256 for the third.
  EXPECT_EQ(plan->twiddleOffset(1), 2049);
  EXPECT_EQ(plan->twiddleOffset(2), 2049 + 16 * 16);
  EXPECT_EQ(plan->twiddleEntries(), 2049 + 16 * 16 + 16 * 256);
  // The table, interleaved: W^t = exp(-2πi·t/8192) first (W^0 = 1, W^2048
  // = -i), then entry r·Ns + k of a pass is exp(-2πi·r·k/(Ns·R)): in the
  // second pass (Ns = 16, R = 16), row 1 entry 4 is exp(-2πi/64), row 8
  // entry 8 is exp(-2πi·64/256) = -i.
  SmallVector<float> table = plan->twiddleTable();
  ASSERT_EQ(int64_t(table.size()), 2 * plan->twiddleEntries());
  auto entry = [&](int64_t i) {
    return std::pair<float, float>{table[2 * i], table[2 * i + 1]};
  };
  EXPECT_EQ(entry(0), (std::pair<float, float>{1.0f, -0.0f}));
  EXPECT_NEAR(entry(2048).first, 0.0f, 1e-7);
  EXPECT_EQ(entry(2048).second, -1.0f);
  EXPECT_EQ(entry(1).first, float(std::cos(2 * llvm::numbers::pi / 8192)));
  EXPECT_EQ(entry(1).second, float(-std::sin(2 * llvm::numbers::pi / 8192)));
  int64_t second = plan->twiddleOffset(1);
  EXPECT_EQ(entry(second + 16 + 4).first,
            float(std::cos(2 * llvm::numbers::pi / 64)));
  EXPECT_EQ(entry(second + 16 + 4).second,
            float(-std::sin(2 * llvm::numbers::pi / 64)));
  EXPECT_NEAR(entry(second + 8 * 16 + 8).first, 0.0f, 1e-7);
  EXPECT_EQ(entry(second + 8 * 16 + 8).second, -1.0f);
  // The third pass (Ns = 256): row 3 entry 5 is exp(-2πi·15/4096).
  int64_t third = plan->twiddleOffset(2);
  EXPECT_EQ(entry(third + 3 * 256 + 5).first,
            float(std::cos(2 * llvm::numbers::pi * 15 / 4096)));
  EXPECT_EQ(entry(third + 3 * 256 + 5).second,
            float(-std::sin(2 * llvm::numbers::pi * 15 / 4096)));
  EXPECT_TRUE(hasGpuKernelLowering(op));
  // L = 16384 is the longest: N = 16384 = 32 · 32 · 16, 512 threads,
  // 132 KiB.
  plan = planGpuFFTConv(causalConv(16384));
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->size, 16384);
  EXPECT_EQ(plan->radices, (SmallVector<int64_t, 4>{32, 32, 16}));
  EXPECT_EQ(plan->threads, 512);
  EXPECT_EQ(plan->sharedMemoryBytes(), 132 * 1024);
  Operation *longer = causalConv(16385);
  ASSERT_TRUE(longer);
  EXPECT_FALSE(planGpuFFTConv(longer).has_value());
  EXPECT_FALSE(hasGpuKernelLowering(longer));
  // Short and odd lengths: P ≥ 2L (and N ≥ 2), radices of at most 32 whose
  // product is N, a job of the largest radix per thread, at least a warp.
  for (int64_t length : {1, 2, 3, 16, 17, 97, 1000}) {
    plan = planGpuFFTConv(causalConv(length));
    ASSERT_TRUE(plan.has_value());
    EXPECT_GE(plan->paddedLength(), 2 * length);
    EXPECT_LT(plan->paddedLength(), std::max<int64_t>(4 * length, 5));
    int64_t product = 1;
    for (int64_t radix : plan->radices) {
      EXPECT_LE(radix, GpuFFTConvPlan::maxRadix);
      product *= radix;
    }
    EXPECT_EQ(product, plan->size);
    EXPECT_EQ(plan->threads,
              std::max<int64_t>(32, plan->size / plan->radices.front()));
  }
}

} // namespace

TEST(GpuRowCTAsTest, GridsFillTheirWaves) {
  // 8 groups on 132 SMs × 2: one exact wave.
  EXPECT_EQ(rowCTAsInWholeWaves(8, 264), 33);
  // causal_conv's 256-term DFT stage: 160 groups at one CTA per SM. One
  // CTA per group would leave 28 SMs with a second wave alone; three fill
  // 480 of 528 slots.
  EXPECT_EQ(rowCTAsInWholeWaves(160, 132), 3);
  // 32 groups: 15 CTAs each fill 480 of 528 slots (9 would fill 288).
  EXPECT_EQ(rowCTAsInWholeWaves(32, 264), 15);
  EXPECT_EQ(rowCTAsInWholeWaves(1, 264), 264);
  // More groups than slots: one CTA each, in whole waves where possible.
  EXPECT_EQ(rowCTAsInWholeWaves(528, 264), 1);
}
