//===- ShapeUtils.cpp - Shape helpers for structured ops ------------------===//

#include "structured/Dialect/Structured/Utils/ShapeUtils.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::structured;

std::optional<int64_t>
structured::composeStridePermutations(int64_t features, int64_t firstRows,
                                      int64_t secondRows) {
  if (features <= 0 || firstRows <= 0 || secondRows <= 0 ||
      features % firstRows != 0 || features % secondRows != 0)
    return std::nullopt;
  // With at most two positions every stride permutation is the identity.
  if (features <= 2)
    return 1;
  using Wide = unsigned __int128;
  const Wide modulus = static_cast<Wide>(features - 1);
  Wide product = (static_cast<Wide>(firstRows) % modulus) *
                 (static_cast<Wide>(secondRows) % modulus) % modulus;
  auto rows = static_cast<int64_t>(product);
  if (rows == 1)
    return 1;
  // Rows divide n, so they are coprime with n - 1 and the product is never 0.
  // The only divisor of n congruent to `rows` is `rows` itself.
  if (features % rows == 0)
    return rows;
  return std::nullopt;
}

Value structured::expandDim(OpBuilder &b, Location loc, Value source,
                            int64_t dim, ArrayRef<int64_t> innerSizes) {
  auto type = cast<ShapedType>(source.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape().take_front(dim));
  llvm::append_range(shape, innerSizes);
  llvm::append_range(shape, type.getShape().drop_front(dim + 1));
  SmallVector<ReassociationIndices> reassociation;
  int64_t next = 0;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t width = d == dim ? static_cast<int64_t>(innerSizes.size()) : 1;
    reassociation.emplace_back(llvm::to_vector(llvm::seq(next, next + width)));
    next += width;
  }

  if (auto tensorType = dyn_cast<RankedTensorType>(type))
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(shape, tensorType.getElementType()),
        source, reassociation);
  return memref::ExpandShapeOp::create(b, loc, shape, source, reassociation);
}

Value structured::expandLastDim(OpBuilder &b, Location loc, Value source,
                                ArrayRef<int64_t> innerSizes) {
  int64_t rank = cast<ShapedType>(source.getType()).getRank();
  return expandDim(b, loc, source, rank - 1, innerSizes);
}

bool structured::haveCompatibleBatchDims(Value x, Value init) {
  auto xType = cast<ShapedType>(x.getType());
  auto initType = cast<ShapedType>(init.getType());
  if (xType.getRank() != initType.getRank())
    return false;
  for (int64_t d = 0, e = xType.getRank() - 1; d < e; ++d) {
    int64_t xDim = xType.getDimSize(d), initDim = initType.getDimSize(d);
    if (!ShapedType::isDynamic(xDim) && !ShapedType::isDynamic(initDim) &&
        xDim != initDim)
      return false;
  }
  return true;
}

Value structured::collapseDims(OpBuilder &b, Location loc, Value source,
                               ArrayRef<ReassociationIndices> reassociation) {
  if (isa<RankedTensorType>(source.getType()))
    return tensor::CollapseShapeOp::create(b, loc, source, reassociation);
  return memref::CollapseShapeOp::create(b, loc, source, reassociation);
}

Value structured::collapseTrailingDims(OpBuilder &b, Location loc, Value source,
                                       int64_t count) {
  int64_t rank = cast<ShapedType>(source.getType()).getRank();
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d < rank - count; ++d)
    reassociation.push_back({d});
  ReassociationIndices last;
  for (int64_t d = rank - count; d < rank; ++d)
    last.push_back(d);
  reassociation.push_back(last);
  return collapseDims(b, loc, source, reassociation);
}

Value structured::prependUnitDim(OpBuilder &b, Location loc, Value source) {
  auto type = cast<ShapedType>(source.getType());
  SmallVector<int64_t> shape{1};
  llvm::append_range(shape, type.getShape());
  SmallVector<ReassociationIndices> reassociation{{0, 1}};
  for (int64_t d = 1; d < type.getRank(); ++d)
    reassociation.push_back({d + 1});
  if (auto tensorType = dyn_cast<RankedTensorType>(type))
    return tensor::ExpandShapeOp::create(b, loc, tensorType.clone(shape),
                                         source, reassociation);
  return memref::ExpandShapeOp::create(b, loc, shape, source, reassociation);
}
