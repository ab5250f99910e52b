//===- TilingInterfaceImpl.cpp - Tiling of structured ops -----------------===//
//
// TilingInterface external models. The iteration domain of every op is its
// batch dimensions followed by one dimension over output blocks, each a
// contiguous chunk of the output features (see TilingInterfaceImpl.h). The
// block dimension must be tiled by a size that divides it, because weights
// and feature sizes of structured ops are static.
//
//===----------------------------------------------------------------------===//

#include "structured/Dialect/Structured/Transforms/TilingInterfaceImpl.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"
#include "structured/Dialect/Structured/Utils/ShapeUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;
using namespace mlir::structured;

namespace {

/// What differs between the ops: the size of the block dimension, how many
/// output features one block covers, and how to build the op on a tile.
struct BlockGeometry {
  int64_t numBlocks;
  int64_t featuresPerBlock;
};

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

static BlockGeometry getGeometry(Operation *op) {
  if (auto blockDiag = dyn_cast<BlockDiagOp>(op)) {
    ArrayRef<int64_t> w = shapeOf(blockDiag.getW());
    return {w[0], w[1]};
  }
  if (auto permute = dyn_cast<PermuteOp>(op))
    return {static_cast<int64_t>(permute.getCols()),
            static_cast<int64_t>(permute.getRows())};
  // einsum_linear and the polynomial maps: the output features (or points)
  // form one block.
  if (isa<EinsumLinearOp, PolyEvalOp, PolyInterpOp, CausalConvOp>(op))
    return {
        1,
        shapeOf(cast<DestinationStyleOpInterface>(op).getDpsInits()[0]).back()};
  // Monarch, BTT and BTT-MoE: blocks are the s rows of the second factor's
  // blocks; row u covers outputs [u·l, (u+1)·l).
  Value w2 = op->getOperand(2);
  return {shapeOf(w2)[1], shapeOf(w2)[0]};
}

/// Extracts a slice (tensor) or subview (memref) of `source`.
static Value slice(OpBuilder &b, Location loc, Value source,
                   ArrayRef<OpFoldResult> offsets,
                   ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  if (isa<RankedTensorType>(source.getType()))
    return tensor::ExtractSliceOp::create(b, loc, source, offsets, sizes,
                                          strides);
  return memref::SubViewOp::create(b, loc, source, offsets, sizes, strides);
}

static SmallVector<OpFoldResult> getMixedSizes(OpBuilder &b, Location loc,
                                               Value value) {
  if (isa<RankedTensorType>(value.getType()))
    return tensor::getMixedSizes(b, loc, value);
  return memref::getMixedSizes(b, loc, value);
}

/// Slices all of `value` but its batch dims and feature chunk.
static Value sliceBatchAndFeatures(OpBuilder &b, Location loc, Value value,
                                   ArrayRef<OpFoldResult> batchOffsets,
                                   ArrayRef<OpFoldResult> batchSizes,
                                   OpFoldResult featureOffset,
                                   OpFoldResult featureSize) {
  SmallVector<OpFoldResult> offsets(batchOffsets), sizes(batchSizes);
  offsets.push_back(featureOffset);
  sizes.push_back(featureSize);
  return slice(b, loc, value, offsets, sizes);
}

/// Whether `value` is provably a multiple of `factor`: a constant, or an
/// affine.apply whose expression is.
static bool isMultipleOf(OpFoldResult value, int64_t factor) {
  if (std::optional<int64_t> constant = getConstantIntValue(value))
    return *constant % factor == 0;
  auto apply = cast<Value>(value).getDefiningOp<affine::AffineApplyOp>();
  return apply && apply.getAffineMap().getResult(0).isMultipleOf(factor);
}

static OpFoldResult mulConst(OpBuilder &b, Location loc, OpFoldResult value,
                             int64_t factor) {
  AffineExpr d0 = b.getAffineDimExpr(0);
  return affine::makeComposedFoldedAffineApply(b, loc, d0 * factor, {value});
}

/// Builds `op` on the tile [batchOffsets, batchSizes] × [blockOffset,
/// blockOffset + blockSize) of its iteration domain.
static FailureOr<TilingResult> buildTiledOp(OpBuilder &b, Operation *op,
                                            ArrayRef<OpFoldResult> batchOffsets,
                                            ArrayRef<OpFoldResult> batchSizes,
                                            OpFoldResult blockOffset,
                                            int64_t blockSize) {
  Location loc = op->getLoc();
  BlockGeometry geometry = getGeometry(op);
  auto dps = cast<DestinationStyleOpInterface>(op);
  Value x = op->getOperand(0);
  Value init = dps.getDpsInits()[0];
  int64_t inFeatures = shapeOf(x).back();
  int64_t outFeatures = blockSize * geometry.featuresPerBlock;

  SmallVector<Operation *> slices;
  auto record = [&](Value value) {
    if (Operation *def = value.getDefiningOp())
      slices.push_back(def);
    return value;
  };
  Value initTile = record(sliceBatchAndFeatures(
      b, loc, init, batchOffsets, batchSizes,
      mulConst(b, loc, blockOffset, geometry.featuresPerBlock),
      b.getIndexAttr(outFeatures)));
  SmallVector<Type> resultTypes;
  if (isa<RankedTensorType>(initTile.getType()))
    resultTypes.push_back(initTile.getType());

  auto sliceWeight = [&](Value w, int64_t dim) {
    ArrayRef<int64_t> shape = shapeOf(w);
    SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(b.getContext(), shape);
    offsets[dim] = blockOffset;
    sizes[dim] = b.getIndexAttr(blockSize);
    return record(slice(b, loc, w, offsets, sizes));
  };

  Operation *tiled = nullptr;
  if (auto blockDiag = dyn_cast<BlockDiagOp>(op)) {
    int64_t p = shapeOf(blockDiag.getW())[2];
    Value xTile = record(sliceBatchAndFeatures(
        b, loc, x, batchOffsets, batchSizes, mulConst(b, loc, blockOffset, p),
        b.getIndexAttr(blockSize * p)));
    tiled = BlockDiagOp::create(b, loc, resultTypes, xTile,
                                sliceWeight(blockDiag.getW(), 0), initTile);
  } else if (auto permute = dyn_cast<PermuteOp>(op)) {
    // Output block c covers y[.., c·rows : (c+1)·rows], which reads column c
    // of x viewed as rows×cols: slice that view and flatten it again.
    auto rows = static_cast<int64_t>(permute.getRows());
    auto cols = static_cast<int64_t>(permute.getCols());
    Value xTile = record(sliceBatchAndFeatures(b, loc, x, batchOffsets,
                                               batchSizes, b.getIndexAttr(0),
                                               b.getIndexAttr(inFeatures)));
    if (blockSize != cols) {
      if (!isa<RankedTensorType>(x.getType()))
        return op->emitOpError(
            "can only tile the output blocks of a permute on tensors");
      Value view = expandLastDim(b, loc, xTile, {rows, cols});
      SmallVector<OpFoldResult> offsets(batchOffsets.size(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes = getMixedSizes(b, loc, view);
      offsets.append({b.getIndexAttr(0), blockOffset});
      sizes.back() = b.getIndexAttr(blockSize);
      Value columns = record(slice(b, loc, view, offsets, sizes));
      xTile = collapseTrailingDims(b, loc, columns, 2);
    }
    tiled = PermuteOp::create(b, loc, resultTypes, xTile, initTile, rows,
                              blockSize);
  } else if (isa<PolyEvalOp, PolyInterpOp, CausalConvOp>(op)) {
    SmallVector<Value> operands{record(
        sliceBatchAndFeatures(b, loc, x, batchOffsets, batchSizes,
                              b.getIndexAttr(0), b.getIndexAttr(inFeatures)))};
    // causal_conv: the kernel's rows follow the channel (last batch) tile.
    if (auto conv = dyn_cast<CausalConvOp>(op))
      operands.push_back(record(sliceBatchAndFeatures(
          b, loc, conv.getK(), batchOffsets.take_back(), batchSizes.take_back(),
          b.getIndexAttr(0), b.getIndexAttr(inFeatures))));
    operands.push_back(initTile);
    OperationState state(loc, op->getName());
    state.addOperands(operands);
    state.addTypes(resultTypes);
    state.addAttributes(op->getAttrs());
    tiled = b.create(state);
  } else if (auto einsum = dyn_cast<EinsumLinearOp>(op)) {
    SmallVector<Value> inputs{record(
        sliceBatchAndFeatures(b, loc, x, batchOffsets, batchSizes,
                              b.getIndexAttr(0), b.getIndexAttr(inFeatures)))};
    llvm::append_range(inputs, einsum.getFactors());
    tiled = EinsumLinearOp::create(b, loc, resultTypes, inputs, initTile,
                                   einsum.getSpec());
  } else {
    Value xTile = record(sliceBatchAndFeatures(b, loc, x, batchOffsets,
                                               batchSizes, b.getIndexAttr(0),
                                               b.getIndexAttr(inFeatures)));
    Value w1 = op->getOperand(1), w2 = op->getOperand(2);
    SmallVector<Value> operands{xTile, w1, sliceWeight(w2, 1)};
    // btt_moe: the routing operands (idx, gate) follow the batch tile.
    if (auto moe = dyn_cast<BTTMoEOp>(op)) {
      for (Value routing : {moe.getIdx(), moe.getGate()}) {
        int64_t selected = shapeOf(routing).back();
        operands.push_back(record(sliceBatchAndFeatures(
            b, loc, routing, batchOffsets, batchSizes, b.getIndexAttr(0),
            b.getIndexAttr(selected))));
      }
    }
    operands.push_back(initTile);
    OperationState state(loc, op->getName());
    state.addOperands(operands);
    state.addTypes(resultTypes);
    state.addAttributes(op->getAttrs());
    tiled = b.create(state);
  }
  return TilingResult{{tiled}, SmallVector<Value>(tiled->getResults()), slices};
}

template <typename OpTy>
struct StructuredTilingModel
    : public TilingInterface::ExternalModel<StructuredTilingModel<OpTy>, OpTy> {
  SmallVector<utils::IteratorType> getLoopIteratorTypes(Operation *op) const {
    int64_t batchRank = cast<OpTy>(op).getBatchRank();
    return SmallVector<utils::IteratorType>(batchRank + 1,
                                            utils::IteratorType::parallel);
  }

  SmallVector<Range> getIterationDomain(Operation *op, OpBuilder &b) const {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(op);
    Location loc = op->getLoc();
    Value init = cast<DestinationStyleOpInterface>(op).getDpsInits()[0];
    SmallVector<OpFoldResult> sizes = getMixedSizes(b, loc, init);
    SmallVector<Range> domain;
    OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
    for (OpFoldResult size : ArrayRef(sizes).drop_back())
      domain.push_back(Range{zero, size, one});
    domain.push_back(
        Range{zero, b.getIndexAttr(getGeometry(op).numBlocks), one});
    return domain;
  }

  FailureOr<TilingResult>
  getTiledImplementation(Operation *op, OpBuilder &b,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes) const {
    std::optional<int64_t> blockSize = getConstantIntValue(sizes.back());
    int64_t numBlocks = getGeometry(op).numBlocks;
    if (!blockSize || *blockSize <= 0 || numBlocks % *blockSize != 0)
      return op->emitOpError()
             << "output blocks must be tiled by a constant size that divides "
             << numBlocks;
    return buildTiledOp(b, op, offsets.drop_back(), sizes.drop_back(),
                        offsets.back(), *blockSize);
  }

  LogicalResult
  getResultTilePosition(Operation *op, OpBuilder &b, unsigned resultNumber,
                        ArrayRef<OpFoldResult> offsets,
                        ArrayRef<OpFoldResult> sizes,
                        SmallVector<OpFoldResult> &resultOffsets,
                        SmallVector<OpFoldResult> &resultSizes) const {
    std::optional<int64_t> blockSize = getConstantIntValue(sizes.back());
    if (!blockSize)
      return failure();
    int64_t chunk = getGeometry(op).featuresPerBlock;
    resultOffsets.assign(offsets.begin(), offsets.end() - 1);
    resultSizes.assign(sizes.begin(), sizes.end() - 1);
    resultOffsets.push_back(mulConst(b, op->getLoc(), offsets.back(), chunk));
    resultSizes.push_back(b.getIndexAttr(*blockSize * chunk));
    return success();
  }

  LogicalResult getIterationDomainTileFromResultTile(
      Operation *op, OpBuilder &b, unsigned resultNumber,
      ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes,
      SmallVectorImpl<OpFoldResult> &iterDomainOffsets,
      SmallVectorImpl<OpFoldResult> &iterDomainSizes) const {
    int64_t chunk = getGeometry(op).featuresPerBlock;
    std::optional<int64_t> featureSize = getConstantIntValue(sizes.back());
    // The result tile must cover whole output blocks.
    if (!featureSize || *featureSize % chunk != 0 ||
        !isMultipleOf(offsets.back(), chunk))
      return failure();
    iterDomainOffsets.assign(offsets.begin(), offsets.end() - 1);
    iterDomainSizes.assign(sizes.begin(), sizes.end() - 1);
    AffineExpr d0 = b.getAffineDimExpr(0);
    iterDomainOffsets.push_back(affine::makeComposedFoldedAffineApply(
        b, op->getLoc(), d0.floorDiv(chunk), {offsets.back()}));
    iterDomainSizes.push_back(b.getIndexAttr(*featureSize / chunk));
    return success();
  }

  FailureOr<TilingResult>
  generateResultTileValue(Operation *op, OpBuilder &b, unsigned resultNumber,
                          ArrayRef<OpFoldResult> offsets,
                          ArrayRef<OpFoldResult> sizes) const {
    SmallVector<OpFoldResult> domainOffsets, domainSizes;
    if (failed(getIterationDomainTileFromResultTile(
            op, b, resultNumber, offsets, sizes, domainOffsets, domainSizes)))
      return failure();
    return getTiledImplementation(op, b, domainOffsets, domainSizes);
  }
};

template <typename... OpTys> static void attachModels(MLIRContext *context) {
  (OpTys::template attachInterface<StructuredTilingModel<OpTys>>(*context),
   ...);
}

} // namespace

void structured::registerTilingInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, StructuredDialect *) {
    attachModels<BlockDiagOp, PermuteOp, MonarchOp, BTTOp, BTTMoEOp,
                 EinsumLinearOp, PolyEvalOp, PolyInterpOp, CausalConvOp>(
        context);
  });
}
