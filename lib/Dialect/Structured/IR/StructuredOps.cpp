//===- StructuredOps.cpp - Structured dialect ops -------------------------===//
//
// Verifiers, interface methods, folders and canonicalization patterns of the
// structured ops. The shape rules are those of DESIGN.md §1.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "structured/Dialect/Structured/Utils/EinsumSpec.h"
#include "structured/Dialect/Structured/Utils/ShapeUtils.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::structured;

//===----------------------------------------------------------------------===//
// Shared verification
//===----------------------------------------------------------------------===//

namespace {
/// A named operand, so that diagnostics can say which one is wrong.
struct NamedOperand {
  StringRef name;
  Value value;

  ShapedType type() const { return cast<ShapedType>(value.getType()); }
};
} // namespace

static bool isRealElementType(Type type) {
  return type.isF32() || type.isF16() || type.isBF16();
}

/// f32, f16, bf16, or complex<f32> (used by the DFTs of poly_eval/interp).
static bool isSupportedElementType(Type type) {
  if (auto complexType = dyn_cast<ComplexType>(type))
    return complexType.getElementType().isF32();
  return isRealElementType(type);
}

/// Checks the rules every structured op shares: operand kinds, element types,
/// the batch/feature layout of `x` and `init`, static positive weight shapes
/// of the expected ranks, and the result type. Returns the static feature
/// sizes of `x` and `init` on success.
static LogicalResult verifyCommon(Operation *op, NamedOperand x,
                                  ArrayRef<NamedOperand> weights,
                                  ArrayRef<int64_t> weightRanks,
                                  NamedOperand init, int64_t &inFeatures,
                                  int64_t &outFeatures,
                                  bool sameElementTypes = true) {
  SmallVector<NamedOperand> all{x};
  llvm::append_range(all, weights);
  all.push_back(init);

  bool initIsTensor = isa<RankedTensorType>(init.value.getType());
  for (const NamedOperand &operand : all) {
    if (isa<RankedTensorType>(operand.value.getType()) != initIsTensor)
      return op->emitOpError()
             << "expects all operands to be tensors or all to be memrefs, but '"
             << operand.name << "' is " << operand.value.getType()
             << " and 'init' is " << init.value.getType();
  }

  for (const NamedOperand &operand : all) {
    if (auto tensorType = dyn_cast<RankedTensorType>(operand.value.getType());
        tensorType && tensorType.getEncoding())
      return op->emitOpError()
             << "'" << operand.name << "' has a tensor encoding ("
             << tensorType.getEncoding() << "), which structured ops do not "
             << "support";
    if (auto memrefType = dyn_cast<MemRefType>(operand.value.getType());
        memrefType && !memrefType.isStrided())
      return op->emitOpError()
             << "'" << operand.name << "' has the non-strided layout "
             << memrefType.getLayout() << "; expected a strided layout";
  }

  for (const NamedOperand &operand : all) {
    Type elementType = operand.type().getElementType();
    if (!isSupportedElementType(elementType))
      return op->emitOpError()
             << "'" << operand.name << "' has element type " << elementType
             << ", expected f32, f16, bf16 or complex<f32>";
    if (sameElementTypes && elementType != x.type().getElementType())
      return op->emitOpError()
             << "'" << operand.name << "' has element type " << elementType
             << " but 'x' has " << x.type().getElementType();
  }

  // Result: one tensor of the init type on tensors, none on memrefs.
  if (initIsTensor) {
    if (op->getNumResults() != 1 ||
        op->getResult(0).getType() != init.value.getType())
      return op->emitOpError()
             << "expects one result of the type of 'init' ("
             << init.value.getType() << ") when operating on tensors";
  } else if (op->getNumResults() != 0) {
    return op->emitOpError() << "expects no result when operating on memrefs";
  }

  for (const NamedOperand &operand : {x, init}) {
    if (operand.type().getRank() < 2)
      return op->emitOpError()
             << "'" << operand.name << "' has rank " << operand.type().getRank()
             << ", expected at least 2 (batch dimensions, then features)";
    if (operand.type().isDynamicDim(operand.type().getRank() - 1))
      return op->emitOpError() << "'" << operand.name
                               << "' has a dynamic feature dimension; "
                                  "only batch dimensions may be dynamic";
  }
  if (init.type().getRank() != x.type().getRank())
    return op->emitOpError() << "'init' has rank " << init.type().getRank()
                             << " but 'x' has rank " << x.type().getRank()
                             << " (the batch dimensions must agree)";
  for (int64_t d = 0, e = x.type().getRank() - 1; d < e; ++d) {
    int64_t xDim = x.type().getDimSize(d), initDim = init.type().getDimSize(d);
    if (!ShapedType::isDynamic(xDim) && !ShapedType::isDynamic(initDim) &&
        xDim != initDim)
      return op->emitOpError() << "batch dimension " << d << " is " << initDim
                               << " in 'init' but " << xDim << " in 'x'";
  }

  for (auto [operand, rank] : llvm::zip_equal(weights, weightRanks)) {
    ShapedType type = operand.type();
    if (type.getRank() != rank)
      return op->emitOpError() << "'" << operand.name << "' has rank "
                               << type.getRank() << ", expected " << rank;
    if (!type.hasStaticShape())
      return op->emitOpError() << "'" << operand.name
                               << "' must have a static shape, got " << type;
    for (auto [d, size] : llvm::enumerate(type.getShape()))
      if (size <= 0)
        return op->emitOpError()
               << "'" << operand.name << "' has size " << size
               << " in dimension " << d << ", expected a positive size";
  }

  inFeatures = x.type().getShape().back();
  outFeatures = init.type().getShape().back();
  for (auto [operand, features] :
       {std::make_pair(x, inFeatures), std::make_pair(init, outFeatures)})
    if (features <= 0)
      return op->emitOpError() << "'" << operand.name << "' has " << features
                               << " features, expected a positive size";
  return success();
}

/// Multiplies two sizes, reporting an int64 overflow as an op error.
static FailureOr<int64_t> checkedProduct(Operation *op, int64_t lhs,
                                         int64_t rhs, StringRef what) {
  if (std::optional<int64_t> product = llvm::checkedMul(lhs, rhs))
    return *product;
  op->emitOpError() << what << " = " << lhs << "·" << rhs
                    << " overflows a 64-bit size";
  return failure();
}

/// Checks that the output feature size matches what the last factor yields.
static LogicalResult verifyOutFeatures(Operation *op, int64_t outFeatures,
                                       int64_t expected, StringRef formula) {
  if (outFeatures != expected)
    return op->emitOpError()
           << "'init' has " << outFeatures << " features but the map yields "
           << expected << " (expected " << formula << ")";
  return success();
}

/// Checks the Monarch/BTT shape relations k·p = n and l·r = k·q and the output
/// size l·s, given the factor sizes.
static LogicalResult verifyTwoFactorShapes(Operation *op, int64_t n,
                                           int64_t outFeatures, int64_t k,
                                           int64_t q, int64_t p, int64_t l,
                                           int64_t s, int64_t r) {
  FailureOr<int64_t> kp = checkedProduct(op, k, p, "k·p");
  if (failed(kp))
    return failure();
  if (*kp != n)
    return op->emitOpError()
           << "'w1' has " << k << " blocks of " << p << " columns but 'x' has "
           << n << " features (expected k·p = n)";
  FailureOr<int64_t> kq = checkedProduct(op, k, q, "k·q");
  FailureOr<int64_t> lr = checkedProduct(op, l, r, "l·r");
  if (failed(kq) || failed(lr))
    return failure();
  if (*lr != *kq)
    return op->emitOpError() << "'w2' has " << l << " blocks of " << r
                             << " columns but the first factor yields " << *kq
                             << " features (expected l·r = k·q)";
  FailureOr<int64_t> ls = checkedProduct(op, l, s, "l·s");
  if (failed(ls))
    return failure();
  return verifyOutFeatures(op, outFeatures, *ls, "l·s");
}

/// Memory effects of a destination-style op on buffers: inputs are read, the
/// destination is written and never read (the result overwrites it).
static void getStructuredEffects(
    ArrayRef<OpOperand *> inputs, OpOperand &init,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand *operand : inputs)
    if (isa<MemRefType>(operand->get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), operand, /*stage=*/0,
                           /*effectOnFullRegion=*/true,
                           SideEffects::DefaultResource::get());
  if (isa<MemRefType>(init.get().getType()))
    effects.emplace_back(MemoryEffects::Write::get(), &init, /*stage=*/0,
                         /*effectOnFullRegion=*/true,
                         SideEffects::DefaultResource::get());
}

/// The result has the shape of `init`.
static LogicalResult
reifyFromInit(OpBuilder &b, Operation *op, Value init,
              ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  if (op->getNumResults() == 0)
    return failure();
  reifiedReturnShapes.push_back(tensor::getMixedSizes(b, op->getLoc(), init));
  return success();
}

/// Replaces `op`'s tensor result by `source`, casting between static and
/// dynamic batch sizes; fails when the two types cannot be cast.
static LogicalResult replaceWithCast(PatternRewriter &rewriter, Operation *op,
                                     Value source) {
  Type resultType = op->getResult(0).getType();
  if (source.getType() == resultType) {
    rewriter.replaceOp(op, source);
    return success();
  }
  if (!tensor::CastOp::areCastCompatible(source.getType(), resultType))
    return rewriter.notifyMatchFailure(op, "types are not cast compatible");
  rewriter.replaceOpWithNewOp<tensor::CastOp>(op, resultType, source);
  return success();
}

//===----------------------------------------------------------------------===//
// BlockDiagOp
//===----------------------------------------------------------------------===//

LogicalResult BlockDiagOp::verify() {
  int64_t n, outFeatures;
  if (failed(verifyCommon(*this, {"x", getX()}, {{"w", getW()}}, {3},
                          {"init", getInit()}, n, outFeatures)))
    return failure();
  ArrayRef<int64_t> w = cast<ShapedType>(getW().getType()).getShape();
  int64_t k = w[0], q = w[1], p = w[2];
  FailureOr<int64_t> kp = checkedProduct(*this, k, p, "k·p");
  if (failed(kp))
    return failure();
  if (*kp != n)
    return emitOpError() << "'w' has " << k << " blocks of " << p
                         << " columns but 'x' has " << n
                         << " features (expected k·p = n)";
  FailureOr<int64_t> kq = checkedProduct(*this, k, q, "k·q");
  if (failed(kq))
    return failure();
  return verifyOutFeatures(*this, outFeatures, *kq, "k·q");
}

void BlockDiagOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getStructuredEffects(getDpsInputOperands(), getInitMutable(), effects);
}

LogicalResult BlockDiagOp::reifyResultShapes(
    OpBuilder &b, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyFromInit(b, *this, getInit(), reifiedReturnShapes);
}

//===----------------------------------------------------------------------===//
// PermuteOp
//===----------------------------------------------------------------------===//

LogicalResult PermuteOp::verify() {
  int64_t n, outFeatures;
  if (failed(verifyCommon(*this, {"x", getX()}, {}, {}, {"init", getInit()}, n,
                          outFeatures)))
    return failure();
  auto rows = static_cast<int64_t>(getRows());
  auto cols = static_cast<int64_t>(getCols());
  if (rows <= 0 || cols <= 0)
    return emitOpError() << "expects positive 'rows' and 'cols', got rows = "
                         << rows << ", cols = " << cols;
  FailureOr<int64_t> size = checkedProduct(*this, rows, cols, "rows·cols");
  if (failed(size))
    return failure();
  if (*size != n)
    return emitOpError() << "views 'x' as " << rows << "×" << cols << " = "
                         << *size << " features but 'x' has " << n
                         << " (expected rows·cols = n)";
  return verifyOutFeatures(*this, outFeatures, n, "rows·cols");
}

void PermuteOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getStructuredEffects(getDpsInputOperands(), getInitMutable(), effects);
}

LogicalResult
PermuteOp::reifyResultShapes(OpBuilder &b,
                             ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyFromInit(b, *this, getInit(), reifiedReturnShapes);
}

LogicalResult PermuteOp::fold(FoldAdaptor adaptor,
                              SmallVectorImpl<OpFoldResult> &results) {
  // Only the value form folds; on buffers the op must still copy.
  if (getNumResults() == 0)
    return failure();
  Type resultType = getType(0);
  int64_t features = cast<ShapedType>(getX().getType()).getShape().back();
  Value folded;
  if (isIdentityStridePermutation(getRows(), getCols())) {
    folded = getX();
  } else if (auto producer = getX().getDefiningOp<PermuteOp>()) {
    // permute(permute(v)) where the two are inverse to each other.
    std::optional<int64_t> rows =
        composeStridePermutations(features, producer.getRows(), getRows());
    if (rows && *rows == 1)
      folded = producer.getX();
  }
  if (!folded || folded.getType() != resultType)
    return failure();
  results.push_back(folded);
  return success();
}

namespace {
/// permute{R2, C2}(permute{R1, C1}(x)) -> permute{R3, C3}(x) when the
/// composition is itself a stride permutation, or x when it is the identity.
struct ComposePermutes : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PermuteOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getX().getDefiningOp<PermuteOp>();
    if (!producer || op.getNumResults() == 0)
      return failure();
    int64_t features = cast<ShapedType>(op.getX().getType()).getShape().back();
    std::optional<int64_t> rows =
        composeStridePermutations(features, producer.getRows(), op.getRows());
    if (!rows)
      return rewriter.notifyMatchFailure(op, "composition is not a stride "
                                             "permutation");
    Value source = producer.getX();
    if (isIdentityStridePermutation(*rows, features / *rows))
      return replaceWithCast(rewriter, op, source);
    if (!haveCompatibleBatchDims(source, op.getInit()))
      return rewriter.notifyMatchFailure(op, "batch sizes disagree");
    rewriter.replaceOpWithNewOp<PermuteOp>(
        op, op.getType(0), source, op.getInit(), *rows, features / *rows);
    return success();
  }
};

/// permute{rows = R, cols = 1} and permute{rows = 1, cols = C} copy their
/// input; on tensors they fold to it, with a cast when only the static-ness of
/// batch sizes differs (the folder handles equal types).
struct FoldIdentityPermute : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PermuteOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumResults() == 0 ||
        !isIdentityStridePermutation(op.getRows(), op.getCols()))
      return failure();
    return replaceWithCast(rewriter, op, op.getX());
  }
};

/// blockdiag(x, w1) -> permute{r, l} -> blockdiag(·, w2) -> permute{l, s}
/// is the Monarch product of w1 and w2 (DESIGN.md §1); rewrite the chain into
/// one `structured.monarch`. The intermediates must have no other users, and
/// be f32: `monarch` keeps its intermediate in f32, while an f16/bf16 chain
/// rounds it, so only the f32 chain is the same map.
struct FormMonarchFromFactors : OpRewritePattern<PermuteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PermuteOp outPerm,
                                PatternRewriter &rewriter) const override {
    if (outPerm.getNumResults() == 0)
      return failure();
    if (!cast<ShapedType>(outPerm.getX().getType()).getElementType().isF32())
      return rewriter.notifyMatchFailure(outPerm, "intermediates are rounded");
    auto second = outPerm.getX().getDefiningOp<BlockDiagOp>();
    if (!second || !second->hasOneUse())
      return rewriter.notifyMatchFailure(outPerm, "no single-use blockdiag");
    auto midPerm = second.getX().getDefiningOp<PermuteOp>();
    if (!midPerm || !midPerm->hasOneUse())
      return rewriter.notifyMatchFailure(outPerm, "no single-use permute");
    auto first = midPerm.getX().getDefiningOp<BlockDiagOp>();
    if (!first || !first->hasOneUse())
      return rewriter.notifyMatchFailure(outPerm, "no single-use blockdiag");

    ArrayRef<int64_t> w2 = cast<ShapedType>(second.getW().getType()).getShape();
    int64_t l = w2[0], s = w2[1], r = w2[2];
    if (static_cast<int64_t>(midPerm.getRows()) != r ||
        static_cast<int64_t>(midPerm.getCols()) != l ||
        static_cast<int64_t>(outPerm.getRows()) != l ||
        static_cast<int64_t>(outPerm.getCols()) != s)
      return rewriter.notifyMatchFailure(outPerm,
                                         "permutations do not match the "
                                         "Monarch pattern");
    if (!haveCompatibleBatchDims(first.getX(), outPerm.getInit()))
      return rewriter.notifyMatchFailure(outPerm, "batch sizes disagree");
    rewriter.replaceOpWithNewOp<MonarchOp>(outPerm, outPerm.getType(0),
                                           first.getX(), first.getW(),
                                           second.getW(), outPerm.getInit());
    return success();
  }
};
} // namespace

void PermuteOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposePermutes, FoldIdentityPermute, FormMonarchFromFactors>(
      context);
}

//===----------------------------------------------------------------------===//
// MonarchOp
//===----------------------------------------------------------------------===//

LogicalResult MonarchOp::verify() {
  int64_t n, outFeatures;
  if (failed(verifyCommon(*this, {"x", getX()},
                          {{"w1", getW1()}, {"w2", getW2()}}, {3, 3},
                          {"init", getInit()}, n, outFeatures)))
    return failure();
  ArrayRef<int64_t> w1 = cast<ShapedType>(getW1().getType()).getShape();
  ArrayRef<int64_t> w2 = cast<ShapedType>(getW2().getType()).getShape();
  return verifyTwoFactorShapes(*this, n, outFeatures, /*k=*/w1[0], /*q=*/w1[1],
                               /*p=*/w1[2], /*l=*/w2[0], /*s=*/w2[1],
                               /*r=*/w2[2]);
}

void MonarchOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getStructuredEffects(getDpsInputOperands(), getInitMutable(), effects);
}

LogicalResult
MonarchOp::reifyResultShapes(OpBuilder &b,
                             ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyFromInit(b, *this, getInit(), reifiedReturnShapes);
}

//===----------------------------------------------------------------------===//
// BTTOp
//===----------------------------------------------------------------------===//

LogicalResult BTTOp::verify() {
  int64_t n, outFeatures;
  if (failed(verifyCommon(*this, {"x", getX()},
                          {{"w1", getW1()}, {"w2", getW2()}}, {4, 4},
                          {"init", getInit()}, n, outFeatures)))
    return failure();
  ArrayRef<int64_t> w1 = cast<ShapedType>(getW1().getType()).getShape();
  ArrayRef<int64_t> w2 = cast<ShapedType>(getW2().getType()).getShape();
  if (w1[1] != w2[3])
    return emitOpError() << "'w1' has rank " << w1[1]
                         << " (dimension 1) but 'w2' has rank " << w2[3]
                         << " (dimension 3); the BTT ranks must agree";
  return verifyTwoFactorShapes(*this, n, outFeatures, /*k=*/w1[0], /*q=*/w1[2],
                               /*p=*/w1[3], /*l=*/w2[0], /*s=*/w2[1],
                               /*r=*/w2[2]);
}

void BTTOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getStructuredEffects(getDpsInputOperands(), getInitMutable(), effects);
}

LogicalResult
BTTOp::reifyResultShapes(OpBuilder &b,
                         ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyFromInit(b, *this, getInit(), reifiedReturnShapes);
}

namespace {
/// A BTT of rank 1 is a Monarch matrix: drop the unit rank dimension of both
/// factors.
struct RankOneBTTToMonarch : OpRewritePattern<BTTOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BTTOp op,
                                PatternRewriter &rewriter) const override {
    auto w1Type = cast<ShapedType>(op.getW1().getType());
    if (w1Type.getDimSize(1) != 1)
      return rewriter.notifyMatchFailure(op, "rank is not 1");
    Value w1 =
        collapseDims(rewriter, op.getLoc(), op.getW1(), {{0, 1}, {2}, {3}});
    Value w2 =
        collapseDims(rewriter, op.getLoc(), op.getW2(), {{0}, {1}, {2, 3}});
    rewriter.replaceOpWithNewOp<MonarchOp>(op, op->getResultTypes(), op.getX(),
                                           w1, w2, op.getInit());
    return success();
  }
};
} // namespace

void BTTOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<RankOneBTTToMonarch>(context);
}

//===----------------------------------------------------------------------===//
// BTTMoEOp
//===----------------------------------------------------------------------===//

/// Checks a routing operand (`idx` or `gate`): same kind and batch sizes as
/// `x`, one more dimension of `numSelected` entries, no encoding or
/// non-strided layout, and a static positive K.
static LogicalResult verifyRoutingOperand(Operation *op, NamedOperand operand,
                                          NamedOperand x) {
  ShapedType type = operand.type();
  if (isa<RankedTensorType>(type) != isa<RankedTensorType>(x.type()))
    return op->emitOpError()
           << "expects all operands to be tensors or all to be memrefs, but '"
           << operand.name << "' is " << type << " and 'x' is " << x.type();
  if (auto tensorType = dyn_cast<RankedTensorType>(type);
      tensorType && tensorType.getEncoding())
    return op->emitOpError()
           << "'" << operand.name << "' has a tensor encoding ("
           << tensorType.getEncoding()
           << "), which structured ops do not support";
  if (auto memrefType = dyn_cast<MemRefType>(type);
      memrefType && !memrefType.isStrided())
    return op->emitOpError()
           << "'" << operand.name << "' has the non-strided layout "
           << memrefType.getLayout() << "; expected a strided layout";
  if (type.getRank() != x.type().getRank())
    return op->emitOpError()
           << "'" << operand.name << "' has rank " << type.getRank()
           << " but 'x' has rank " << x.type().getRank()
           << " (expected the batch dimensions of 'x', then K)";
  for (int64_t d = 0, e = type.getRank() - 1; d < e; ++d) {
    int64_t size = type.getDimSize(d), xSize = x.type().getDimSize(d);
    if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(xSize) &&
        size != xSize)
      return op->emitOpError()
             << "batch dimension " << d << " is " << size << " in '"
             << operand.name << "' but " << xSize << " in 'x'";
  }
  int64_t selected = type.getShape().back();
  if (ShapedType::isDynamic(selected) || selected <= 0)
    return op->emitOpError()
           << "'" << operand.name
           << "' must select a static, positive number K of experts in its "
              "last dimension, got "
           << type;
  return success();
}

LogicalResult BTTMoEOp::verify() {
  int64_t n, outFeatures;
  if (failed(verifyCommon(*this, {"x", getX()},
                          {{"w1", getW1()}, {"w2", getW2()}}, {4, 4},
                          {"init", getInit()}, n, outFeatures)))
    return failure();
  ArrayRef<int64_t> w1 = cast<ShapedType>(getW1().getType()).getShape();
  ArrayRef<int64_t> w2 = cast<ShapedType>(getW2().getType()).getShape();
  if (w1[1] != w2[3])
    return emitOpError() << "'w1' has rank " << w1[1]
                         << " (dimension 1) but 'w2' has rank " << w2[3]
                         << " (dimension 3); the BTT ranks must agree";
  if (failed(verifyTwoFactorShapes(*this, n, outFeatures, /*k=*/w1[0],
                                   /*q=*/w1[2], /*p=*/w1[3], /*l=*/w2[0],
                                   /*s=*/w2[1], /*r=*/w2[2])))
    return failure();

  NamedOperand x{"x", getX()}, idx{"idx", getIdx()}, gate{"gate", getGate()};
  if (!isRealElementType(x.type().getElementType()))
    return emitOpError() << "'x' has element type " << x.type().getElementType()
                         << ", expected f32, f16 or bf16";
  if (failed(verifyRoutingOperand(*this, idx, x)) ||
      failed(verifyRoutingOperand(*this, gate, x)))
    return failure();
  Type idxElement = idx.type().getElementType();
  if (!idxElement.isSignlessInteger(32) && !idxElement.isSignlessInteger(64))
    return emitOpError() << "'idx' has element type " << idxElement
                         << ", expected i32 or i64";
  Type gateElement = gate.type().getElementType();
  if (!isRealElementType(gateElement))
    return emitOpError() << "'gate' has element type " << gateElement
                         << ", expected f32, f16 or bf16";
  if (idx.type().getShape().back() != gate.type().getShape().back())
    return emitOpError() << "'idx' selects " << idx.type().getShape().back()
                         << " experts per row but 'gate' has "
                         << gate.type().getShape().back()
                         << " (the K must agree)";
  return success();
}

void BTTMoEOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getStructuredEffects(getDpsInputOperands(), getInitMutable(), effects);
}

LogicalResult
BTTMoEOp::reifyResultShapes(OpBuilder &b,
                            ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyFromInit(b, *this, getInit(), reifiedReturnShapes);
}

//===----------------------------------------------------------------------===//
// EinsumLinearOp
//===----------------------------------------------------------------------===//

LogicalResult EinsumLinearOp::verify() {
  if (getInputs().empty())
    return emitOpError("expects x as the first operand of 'ins'");
  SmallVector<std::string> names;
  for (size_t i = 0, e = getFactors().size(); i < e; ++i)
    names.push_back("factor #" + std::to_string(i));
  SmallVector<NamedOperand> factors;
  SmallVector<int64_t> ranks;
  for (auto [name, factor] : llvm::zip_equal(names, getFactors())) {
    factors.push_back({name, factor});
    ranks.push_back(cast<ShapedType>(factor.getType()).getRank());
  }
  int64_t n, outFeatures;
  if (failed(verifyCommon(*this, {"x", getX()}, factors, ranks,
                          {"init", getInit()}, n, outFeatures)))
    return failure();
  return getResolvedSpec([&](const Twine &message) {
    emitOpError() << "spec: " << message.str();
  });
}

FailureOr<EinsumSpec>
EinsumLinearOp::getResolvedSpec(function_ref<void(const Twine &)> error) {
  auto report = [&](const Twine &message) {
    if (error)
      error(message);
  };
  FailureOr<EinsumSpec> spec = EinsumSpec::parse(getSpec(), report);
  if (failed(spec))
    return failure();
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value factor : getFactors())
    shapes.push_back(cast<ShapedType>(factor.getType()).getShape());
  auto features = [](Value value) {
    return cast<ShapedType>(value.getType()).getShape().back();
  };
  if (failed(spec->resolveSizes(shapes, features(getX()), features(getInit()),
                                report)))
    return failure();
  return spec;
}

void EinsumLinearOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getStructuredEffects(getDpsInputOperands(), getInitMutable(), effects);
}

LogicalResult EinsumLinearOp::reifyResultShapes(
    OpBuilder &b, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyFromInit(b, *this, getInit(), reifiedReturnShapes);
}

namespace {
/// Rewrites the einsum instances that are named ops:
///   low rank  "bI,RI,OR->bO"          -> monarch with one block per factor;
///   Monarch   "bAC,ADC,DEA->bED"      -> monarch(x, f1, f2);
///   BTT       "bAC,ARDC,DEAR->bED"    -> btt(x, f1, f2);
/// with any letters (all distinct) and either order of the two factors.
struct EinsumToNamedOp : OpRewritePattern<EinsumLinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(EinsumLinearOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getFactors().size() != 2)
      return rewriter.notifyMatchFailure(op, "not two factors");
    FailureOr<EinsumSpec> spec =
        EinsumSpec::parse(op.getSpec(), [](const Twine &) {});
    if (failed(spec))
      return failure();
    for (unsigned first : {0u, 1u}) {
      Value f1 = op.getFactors()[first], f2 = op.getFactors()[1 - first];
      const std::string &t1 = spec->factors[first];
      const std::string &t2 = spec->factors[1 - first];
      if (succeeded(matchAndBuild(op, rewriter, spec->input, t1, t2,
                                  spec->output, f1, f2)))
        return success();
    }
    return rewriter.notifyMatchFailure(op, "not a named instance");
  }

private:
  static bool allDistinct(StringRef letters) {
    return llvm::all_of(llvm::seq<size_t>(0, letters.size()), [&](size_t i) {
      return letters.find(letters[i], i + 1) == StringRef::npos;
    });
  }

  static LogicalResult matchAndBuild(EinsumLinearOp op,
                                     PatternRewriter &rewriter, StringRef x,
                                     StringRef t1, StringRef t2, StringRef out,
                                     Value f1, Value f2) {
    Location loc = op.getLoc();
    // Low rank: x = I, t1 = RI, t2 = OR, out = O.
    if (x.size() == 1 && t1.size() == 2 && t2.size() == 2 && out.size() == 1) {
      char i = x[0], r = t1[0], o = t2[0];
      if (allDistinct(std::string{i, r, o}) && t1[1] == i && t2[1] == r &&
          out[0] == o) {
        Value w1 = prependUnitDim(rewriter, loc, f1);
        Value w2 = prependUnitDim(rewriter, loc, f2);
        rewriter.replaceOpWithNewOp<MonarchOp>(op, op->getResultTypes(),
                                               op.getX(), w1, w2, op.getInit());
        return success();
      }
    }
    if (x.size() != 2 || out.size() != 2)
      return failure();
    char a = x[0], c = x[1], e = out[0], d = out[1];
    // Monarch: t1 = ADC, t2 = DEA.
    if (t1.size() == 3 && t2.size() == 3 &&
        allDistinct(std::string{a, c, d, e}) && t1 == std::string{a, d, c} &&
        t2 == std::string{d, e, a}) {
      rewriter.replaceOpWithNewOp<MonarchOp>(op, op->getResultTypes(),
                                             op.getX(), f1, f2, op.getInit());
      return success();
    }
    // BTT: t1 = ARDC, t2 = DEAR.
    if (t1.size() == 4 && t2.size() == 4) {
      char r = t1[1];
      if (allDistinct(std::string{a, c, d, e, r}) &&
          t1 == std::string{a, r, d, c} && t2 == std::string{d, e, a, r}) {
        rewriter.replaceOpWithNewOp<BTTOp>(op, op->getResultTypes(), op.getX(),
                                           f1, f2, op.getInit());
        return success();
      }
    }
    return failure();
  }
};
} // namespace

void EinsumLinearOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                 MLIRContext *context) {
  results.add<EinsumToNamedOp>(context);
}

//===----------------------------------------------------------------------===//
// PolyEvalOp, PolyInterpOp, CausalConvOp
//===----------------------------------------------------------------------===//

static bool isComplexF32(Type type) {
  auto complexType = dyn_cast<ComplexType>(type);
  return complexType && complexType.getElementType().isF32();
}

LogicalResult PolyEvalOp::verify() {
  int64_t coefficients, points;
  if (failed(verifyCommon(*this, {"x", getX()}, {}, {}, {"init", getInit()},
                          coefficients, points, /*sameElementTypes=*/false)))
    return failure();
  Type initElement = cast<ShapedType>(getInit().getType()).getElementType();
  if (!isComplexF32(initElement))
    return emitOpError()
           << "'init' has element type " << initElement
           << ", expected complex<f32> (values at roots of unity)";
  if (points > kMaxTransformSize)
    return emitOpError() << "'init' has " << points
                         << " points, more than the supported "
                         << kMaxTransformSize;
  if (points < coefficients)
    return emitOpError() << "'init' has " << points << " points but 'x' has "
                         << coefficients << " coefficients (expected M >= N)";
  return success();
}

LogicalResult PolyInterpOp::verify() {
  int64_t points, coefficients;
  if (failed(verifyCommon(*this, {"x", getX()}, {}, {}, {"init", getInit()},
                          points, coefficients, /*sameElementTypes=*/false)))
    return failure();
  Type xElement = cast<ShapedType>(getX().getType()).getElementType();
  if (!isComplexF32(xElement))
    return emitOpError()
           << "'x' has element type " << xElement
           << ", expected complex<f32> (values at roots of unity)";
  Type initElement = cast<ShapedType>(getInit().getType()).getElementType();
  if (!isRealElementType(initElement))
    return emitOpError() << "'init' has element type " << initElement
                         << ", expected f32, f16 or bf16 (real coefficients)";
  if (points > kMaxTransformSize)
    return emitOpError() << "'x' has " << points
                         << " points, more than the supported "
                         << kMaxTransformSize;
  if (coefficients > points)
    return emitOpError() << "'init' keeps " << coefficients
                         << " coefficients but 'x' has only " << points
                         << " points (expected L <= M)";
  return success();
}

LogicalResult CausalConvOp::verify() {
  int64_t length, outLength;
  if (failed(verifyCommon(*this, {"x", getX()}, {{"k", getK()}}, {2},
                          {"init", getInit()}, length, outLength)))
    return failure();
  auto xType = cast<ShapedType>(getX().getType());
  Type element = xType.getElementType();
  if (!isRealElementType(element))
    return emitOpError() << "'x' has element type " << element
                         << ", expected f32, f16 or bf16";
  ArrayRef<int64_t> k = cast<ShapedType>(getK().getType()).getShape();
  int64_t channels = xType.getDimSize(xType.getRank() - 2);
  if (xType.getRank() < 2 || ShapedType::isDynamic(channels))
    return emitOpError() << "'x' needs a static channel dimension before its "
                            "length, got "
                         << xType;
  if (k[0] != channels)
    return emitOpError() << "'k' has " << k[0] << " channels but 'x' has "
                         << channels;
  if (k[1] != length)
    return emitOpError() << "'k' has length " << k[1] << " but 'x' has length "
                         << length;
  if (outLength != length)
    return emitOpError() << "'init' has length " << outLength
                         << " but 'x' has length " << length;
  if (length > kMaxTransformSize / 2)
    return emitOpError() << "'x' has length " << length
                         << ", more than the supported "
                         << kMaxTransformSize / 2;
  return success();
}

#define DEFINE_STRUCTURED_INTERFACE_METHODS(OpTy)                              \
  void OpTy::getEffects(                                                       \
      SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>      \
          &effects) {                                                          \
    getStructuredEffects(getDpsInputOperands(), getInitMutable(), effects);    \
  }                                                                            \
  LogicalResult OpTy::reifyResultShapes(                                       \
      OpBuilder &b, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {        \
    return reifyFromInit(b, *this, getInit(), reifiedReturnShapes);            \
  }

DEFINE_STRUCTURED_INTERFACE_METHODS(PolyEvalOp)
DEFINE_STRUCTURED_INTERFACE_METHODS(PolyInterpOp)
DEFINE_STRUCTURED_INTERFACE_METHODS(CausalConvOp)

#undef DEFINE_STRUCTURED_INTERFACE_METHODS

#define GET_OP_CLASSES
#include "structured/Dialect/Structured/IR/StructuredOps.cpp.inc"
