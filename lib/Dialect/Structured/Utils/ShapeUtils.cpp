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

Value structured::expandLastDim(OpBuilder &b, Location loc, Value source,
                                ArrayRef<int64_t> innerSizes) {
  auto type = cast<ShapedType>(source.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape().drop_back());
  llvm::append_range(shape, innerSizes);
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d < rank - 1; ++d)
    reassociation.push_back({d});
  ReassociationIndices last;
  for (int64_t i = 0, e = innerSizes.size(); i < e; ++i)
    last.push_back(rank - 1 + i);
  reassociation.push_back(last);

  if (auto tensorType = dyn_cast<RankedTensorType>(type))
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(shape, tensorType.getElementType()),
        source, reassociation);
  return memref::ExpandShapeOp::create(b, loc, shape, source, reassociation);
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
