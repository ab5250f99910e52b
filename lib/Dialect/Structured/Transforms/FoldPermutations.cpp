//===- FoldPermutations.cpp - Fold stride permutations into indexing ------===//
//
// A `structured.permute` on tensors only moves data so that the next op reads
// it in another order. These patterns move the permutation into the indexing
// of the op that produces or consumes the permuted value:
//
//  * `einsum_linear`: the permutation becomes an order of the spec's letters.
//    When it cuts through a letter, the letter is split in two and the
//    factors that use it are reshaped accordingly.
//  * elementwise linalg ops: the feature loop is split into two loops, and
//    the permuted operand is indexed with the two swapped.
//  * the permute canonicalizations (compositions, identities, and
//    blockdiag/permute chains that form a Monarch product).
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Transforms/Passes.h"
#include "structured/Dialect/Structured/Utils/EinsumSpec.h"
#include "structured/Dialect/Structured/Utils/ShapeUtils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace structured {
#define GEN_PASS_DEF_STRUCTUREDFOLDPERMUTATIONS
#include "structured/Dialect/Structured/Transforms/Passes.h.inc"
} // namespace structured
} // namespace mlir

using namespace mlir;
using namespace mlir::structured;

//===----------------------------------------------------------------------===//
// Into einsum_linear
//===----------------------------------------------------------------------===//

namespace {

/// Where a row-major run of letters is cut so that the letters before the cut
/// multiply to a given size. `splitOuterSize` is non-zero when the cut falls
/// inside the letter at `position - 1`: that letter is then split into an
/// outer part of this size and an inner part.
struct LetterCut {
  size_t position;
  int64_t splitOuterSize = 0;
};

} // namespace

/// The cut of `letters` after a prefix of size `prefix`; none when it would
/// split a letter unevenly, or split one while no letter is left for the
/// inner part.
static std::optional<LetterCut> findCut(const EinsumSpec &spec,
                                        StringRef letters, int64_t prefix) {
  int64_t product = 1;
  for (size_t i = 0; i < letters.size(); ++i) {
    if (product == prefix)
      return LetterCut{i};
    int64_t size = spec.sizes.lookup(letters[i]);
    if (prefix % product != 0)
      return std::nullopt;
    if (product * size > prefix) {
      int64_t outer = prefix / product;
      if (size % outer != 0 || !spec.getUnusedLetter())
        return std::nullopt;
      return LetterCut{i + 1, outer};
    }
    product *= size;
  }
  if (product == prefix)
    return LetterCut{letters.size()};
  return std::nullopt;
}

/// Swaps the two runs of `term` (a member of `spec`) on either side of
/// `cut`. A letter the cut falls in is first split into the letter itself
/// (outer part) and a new letter (inner part) in every term, and the factors
/// that use it are reshaped.
static void swapAtCut(OpBuilder &b, Location loc, EinsumSpec &spec,
                      std::string &term, SmallVectorImpl<Value> &factors,
                      LetterCut cut) {
  auto swap = [&] {
    term = term.substr(cut.position) + term.substr(0, cut.position);
  };
  if (!cut.splitOuterSize)
    return swap();
  char letter = term[cut.position - 1];
  char inner = spec.getUnusedLetter();
  int64_t outerSize = cut.splitOuterSize;
  int64_t innerSize = spec.sizes.lookup(letter) / outerSize;
  auto split = [&](std::string &text) -> std::optional<size_t> {
    size_t pos = text.find(letter);
    if (pos == std::string::npos)
      return std::nullopt;
    text.insert(pos + 1, 1, inner);
    return pos;
  };
  split(spec.input);
  split(spec.output);
  for (auto [factorTerm, factor] : llvm::zip_equal(spec.factors, factors))
    if (std::optional<size_t> pos = split(factorTerm))
      factor = expandDim(b, loc, factor, *pos, {outerSize, innerSize});
  spec.sizes[letter] = outerSize;
  spec.sizes[inner] = innerSize;
  swap();
}

namespace {

/// einsum_linear(permute{R, C}(x), ...): x' = permute(x) viewed through the
/// letters of the x term is x' [c-letters, r-letters], where the leading
/// letters multiply to C; x itself is then [r-letters, c-letters], so the
/// einsum reads x directly with the two runs of letters swapped.
struct FoldPermuteIntoEinsumInput : OpRewritePattern<EinsumLinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(EinsumLinearOp op,
                                PatternRewriter &rewriter) const override {
    auto permute = op.getX().getDefiningOp<PermuteOp>();
    if (op.getNumResults() == 0 || !permute || permute.getNumResults() == 0)
      return rewriter.notifyMatchFailure(op, "x is not a permute on tensors");
    if (!haveCompatibleBatchDims(permute.getX(), op.getInit()))
      return rewriter.notifyMatchFailure(op, "batch sizes disagree");
    FailureOr<EinsumSpec> spec = op.getResolvedSpec();
    if (failed(spec))
      return failure();
    std::optional<LetterCut> cut =
        findCut(*spec, spec->input, static_cast<int64_t>(permute.getCols()));
    if (!cut)
      return rewriter.notifyMatchFailure(op, "the permutation does not cut "
                                             "the letters of x");

    SmallVector<Value> factors(op.getFactors());
    swapAtCut(rewriter, op.getLoc(), *spec, spec->input, factors, *cut);
    SmallVector<Value> inputs{permute.getX()};
    llvm::append_range(inputs, factors);
    rewriter.replaceOpWithNewOp<EinsumLinearOp>(
        op, op->getResultTypes(), inputs, op.getInit(), spec->str());
    return success();
  }
};

/// permute{R, C}(einsum_linear(...)): y = [r-letters, c-letters] with the
/// leading output letters multiplying to R, and permute(y) = [c-letters,
/// r-letters]; the einsum writes that order directly.
struct FoldPermuteIntoEinsumOutput : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PermuteOp permute,
                                PatternRewriter &rewriter) const override {
    auto op = permute.getX().getDefiningOp<EinsumLinearOp>();
    if (permute.getNumResults() == 0 || !op || !op->hasOneUse())
      return rewriter.notifyMatchFailure(permute,
                                         "x is not a single-use einsum_linear");
    if (!haveCompatibleBatchDims(op.getX(), permute.getInit()))
      return rewriter.notifyMatchFailure(permute, "batch sizes disagree");
    FailureOr<EinsumSpec> spec = op.getResolvedSpec();
    if (failed(spec))
      return failure();
    std::optional<LetterCut> cut =
        findCut(*spec, spec->output, static_cast<int64_t>(permute.getRows()));
    if (!cut)
      return rewriter.notifyMatchFailure(permute, "the permutation does not "
                                                  "cut the output letters");

    rewriter.setInsertionPoint(op);
    SmallVector<Value> factors(op.getFactors());
    swapAtCut(rewriter, op.getLoc(), *spec, spec->output, factors, *cut);
    SmallVector<Value> inputs{op.getX()};
    llvm::append_range(inputs, factors);
    rewriter.setInsertionPoint(permute);
    rewriter.replaceOpWithNewOp<EinsumLinearOp>(
        permute, permute->getResultTypes(), inputs, permute.getInit(),
        spec->str());
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Into elementwise linalg ops
//===----------------------------------------------------------------------===//

/// Position of loop `dim` among the results of `map`, if it is indexed.
static std::optional<unsigned> getResultPosition(AffineMap map, unsigned dim) {
  for (auto [pos, expr] : llvm::enumerate(map.getResults()))
    if (auto dimExpr = dyn_cast<AffineDimExpr>(expr);
        dimExpr && dimExpr.getPosition() == dim)
      return pos;
  return std::nullopt;
}

/// Whether loop `dim` of `op` can be split by `splitElementwiseLoop`: `op` is
/// an elementwise op on tensors with projected-permutation indexing whose body
/// does not read loop indices, and every operand indexed by `dim` has a
/// static size there.
static bool canSplitLoop(linalg::LinalgOp op, unsigned dim) {
  if (!op.hasPureTensorSemantics() || !linalg::isElementwise(op) ||
      !op.getBlock()->getOps<linalg::IndexOp>().empty())
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation())
      return false;
    std::optional<unsigned> pos = getResultPosition(map, dim);
    if (pos && ShapedType::isDynamic(
                   cast<ShapedType>(operand.get().getType()).getDimSize(*pos)))
      return false;
  }
  return true;
}

/// Rewrites `op` with loop `dim` (of size outer·inner) split into an outer
/// loop (same position) and an inner loop (appended last). Each operand
/// indexed by `dim` is reshaped to [outer, inner] there, except operand
/// `swapped`, which is replaced by `swappedValue` reshaped to [inner, outer]
/// and indexed by the two loops in that order. Results are reshaped back.
static void splitElementwiseLoop(RewriterBase &rewriter, linalg::LinalgOp op,
                                 unsigned dim, int64_t outer, int64_t inner,
                                 unsigned swapped, Value swappedValue) {
  Location loc = op.getLoc();
  MLIRContext *ctx = op->getContext();
  rewriter.setInsertionPoint(op);
  linalg::GenericOp generic;
  if (auto asGeneric = dyn_cast<linalg::GenericOp>(op.getOperation())) {
    generic = asGeneric;
  } else {
    generic = *linalg::generalizeNamedOp(rewriter, op);
  }

  unsigned numLoops = generic.getNumLoops();
  AffineExpr outerLoop = getAffineDimExpr(dim, ctx);
  AffineExpr innerLoop = getAffineDimExpr(numLoops, ctx);
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  SmallVector<std::optional<unsigned>> splitPositions;
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    bool isSwapped = operand.getOperandNumber() == swapped;
    Value value = isSwapped ? swappedValue : operand.get();
    SmallVector<AffineExpr> results(map.getResults());
    std::optional<unsigned> pos = getResultPosition(map, dim);
    if (pos) {
      auto pair = isSwapped ? SmallVector<AffineExpr>{innerLoop, outerLoop}
                            : SmallVector<AffineExpr>{outerLoop, innerLoop};
      results.erase(results.begin() + *pos);
      results.insert(results.begin() + *pos, pair.begin(), pair.end());
      value = expandDim(rewriter, loc, value, *pos,
                        isSwapped ? ArrayRef<int64_t>{inner, outer}
                                  : ArrayRef<int64_t>{outer, inner});
    }
    operands.push_back(value);
    maps.push_back(AffineMap::get(numLoops + 1, 0, results, ctx));
    splitPositions.push_back(pos);
  }

  SmallVector<utils::IteratorType> iterators(numLoops + 1,
                                             utils::IteratorType::parallel);
  unsigned numInputs = generic.getNumDpsInputs();
  ValueRange inits = ValueRange(operands).drop_front(numInputs);
  auto split = linalg::GenericOp::create(
      rewriter, loc, ValueRange(inits).getTypes(),
      ValueRange(operands).take_front(numInputs), inits, maps, iterators);
  rewriter.inlineRegionBefore(generic.getRegion(), split.getRegion(),
                              split.getRegion().begin());

  SmallVector<Value> results;
  for (auto [index, result] : llvm::enumerate(split->getResults())) {
    std::optional<unsigned> pos = splitPositions[numInputs + index];
    if (!pos) {
      results.push_back(result);
      continue;
    }
    int64_t rank = cast<ShapedType>(result.getType()).getRank();
    SmallVector<ReassociationIndices> reassociation;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == static_cast<int64_t>(*pos) + 1)
        continue;
      if (d == static_cast<int64_t>(*pos))
        reassociation.push_back({d, d + 1});
      else
        reassociation.push_back({d});
    }
    results.push_back(collapseDims(rewriter, loc, result, reassociation));
  }
  rewriter.replaceOp(generic, results);
}

namespace {

/// elementwise(permute{R, C}(x), ...): the op reads x'[f] with
/// f = c·R + r, i.e. x[r·C + c]. Split its feature loop into (c, r) and read
/// x as [R, C] at (r, c).
struct FoldPermuteIntoElementwiseConsumer
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    OpOperand *permuted = nullptr;
    for (OpOperand *input : op.getDpsInputOperands()) {
      if (!input->get().getDefiningOp<PermuteOp>())
        continue;
      if (permuted)
        return rewriter.notifyMatchFailure(op, "several permuted inputs");
      permuted = input;
    }
    if (!permuted)
      return rewriter.notifyMatchFailure(op, "no permuted input");
    if (llvm::count(op->getOperands(), permuted->get()) != 1)
      return rewriter.notifyMatchFailure(op, "permuted value used twice");
    auto permute = permuted->get().getDefiningOp<PermuteOp>();
    AffineMap map = op.getMatchingIndexingMap(permuted);
    auto feature = dyn_cast_or_null<AffineDimExpr>(
        map.getNumResults() ? map.getResults().back() : AffineExpr());
    if (!feature || !canSplitLoop(op, feature.getPosition()))
      return rewriter.notifyMatchFailure(op, "feature loop cannot be split");
    if (!haveCompatibleBatchDims(permute.getX(), permute.getInit()))
      return rewriter.notifyMatchFailure(op, "batch sizes disagree");
    auto rows = static_cast<int64_t>(permute.getRows());
    auto cols = static_cast<int64_t>(permute.getCols());
    splitElementwiseLoop(rewriter, op, feature.getPosition(), /*outer=*/cols,
                         /*inner=*/rows, permuted->getOperandNumber(),
                         permute.getX());
    return success();
  }
};

/// permute{R, C}(elementwise(...)): the op computes y[f] with f = r·C + c
/// and the permute stores it at c·R + r. Split its feature loop into (r, c)
/// and write the permute's destination as [C, R] at (c, r).
struct FoldPermuteIntoElementwiseProducer : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PermuteOp permute,
                                PatternRewriter &rewriter) const override {
    auto result = dyn_cast<OpResult>(permute.getX());
    auto op = result ? dyn_cast<linalg::LinalgOp>(result.getOwner())
                     : linalg::LinalgOp();
    if (permute.getNumResults() == 0 || !op || !result.hasOneUse())
      return rewriter.notifyMatchFailure(permute,
                                         "x is not a single-use linalg result");
    OpOperand *init = op.getDpsInitOperand(result.getResultNumber());
    AffineMap map = op.getMatchingIndexingMap(init);
    auto feature = dyn_cast_or_null<AffineDimExpr>(
        map.getNumResults() ? map.getResults().back() : AffineExpr());
    if (!feature || !canSplitLoop(op, feature.getPosition()))
      return rewriter.notifyMatchFailure(permute,
                                         "feature loop cannot be split");
    if (op.payloadUsesValueFromOperand(init))
      return rewriter.notifyMatchFailure(permute, "the op reads its init");
    if (!haveCompatibleBatchDims(init->get(), permute.getInit()))
      return rewriter.notifyMatchFailure(permute, "batch sizes disagree");
    // The op will write the permute's destination, which must exist there.
    if (!DominanceInfo(op).properlyDominates(permute.getInit(), op))
      return rewriter.notifyMatchFailure(
          permute, "the destination is defined after the producer");
    auto rows = static_cast<int64_t>(permute.getRows());
    auto cols = static_cast<int64_t>(permute.getCols());
    Value permuted = permute->getResult(0);
    Type permutedType = permuted.getType();
    splitElementwiseLoop(rewriter, op, feature.getPosition(), /*outer=*/rows,
                         /*inner=*/cols, init->getOperandNumber(),
                         permute.getInit());
    // The op's result now holds the permuted values, in the type of the
    // permute's destination.
    Value folded = permute.getX();
    if (folded.getType() != permutedType)
      folded = tensor::CastOp::create(rewriter, permute.getLoc(), permutedType,
                                      folded);
    rewriter.replaceOp(permute, folded);
    return success();
  }
};

struct StructuredFoldPermutationsPass
    : structured::impl::StructuredFoldPermutationsBase<
          StructuredFoldPermutationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldPermutationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void structured::populateFoldPermutationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  PermuteOp::getCanonicalizationPatterns(patterns, ctx);
  // A folded einsum may now be a named instance (monarch, btt).
  EinsumLinearOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
  patterns.add<FoldPermuteIntoEinsumInput, FoldPermuteIntoEinsumOutput,
               FoldPermuteIntoElementwiseConsumer,
               FoldPermuteIntoElementwiseProducer>(ctx);
}
