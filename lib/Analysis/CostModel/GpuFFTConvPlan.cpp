//===- GpuFFTConvPlan.cpp - Shape of the fused GPU causal_conv ------------===//

#include "structured/Analysis/CostModel/GpuFFTConvPlan.h"

#include "structured/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mlir;
using namespace mlir::structured;

GpuFFTConvPlan structured::planGpuFFT(int64_t length, int64_t size) {
  assert(size >= 2 && size <= GpuFFTConvPlan::maxSize &&
         llvm::isPowerOf2_64(size) && "unsupported FFT size");
  GpuFFTConvPlan plan;
  plan.length = length;
  plan.size = size;
  // As few passes as radices of at most 32 allow, their bits spread evenly
  // (8192 = 32 · 16 · 16).
  int64_t bits = llvm::Log2_64(size);
  int64_t passes =
      llvm::divideCeil(bits, llvm::Log2_64(GpuFFTConvPlan::maxRadix));
  for (int64_t p = 0; p < passes; ++p)
    plan.radices.push_back(int64_t(1)
                           << (bits / passes + (p < bits % passes ? 1 : 0)));
  plan.threads = std::max<int64_t>(size / plan.radices.front(), 32);
  return plan;
}

int64_t GpuFFTConvPlan::twiddleOffset(unsigned pass) const {
  assert(pass <= radices.size() && "no such pass");
  int64_t offset = size / 2 + 1;
  int64_t strideProduct = radices.front();
  for (unsigned p = 1; p < pass; ++p) {
    offset += radices[p] * strideProduct;
    strideProduct *= radices[p];
  }
  return offset;
}

SmallVector<float> GpuFFTConvPlan::twiddleTable() const {
  SmallVector<float> table;
  table.reserve(2 * twiddleEntries());
  // exp(-2πi·numerator/denominator), the angle's product taken in f64.
  auto append = [&](int64_t numerator, int64_t denominator) {
    double angle = double(numerator) * (-2 * llvm::numbers::pi / denominator);
    table.push_back(float(std::cos(angle)));
    table.push_back(float(std::sin(angle)));
  };
  for (int64_t t = 0; t <= size / 2; ++t)
    append(t, paddedLength());
  int64_t strideProduct = radices.front();
  for (int64_t radix : llvm::drop_begin(radices)) {
    for (int64_t r = 0; r < radix; ++r)
      for (int64_t k = 0; k < strideProduct; ++k)
        append(r * k, strideProduct * radix);
    strideProduct *= radix;
  }
  return table;
}

std::optional<GpuFFTConvPlan> structured::planGpuFFTConv(Operation *op) {
  auto conv = dyn_cast<CausalConvOp>(op);
  if (!conv)
    return std::nullopt;
  auto kType = cast<ShapedType>(conv.getK().getType());
  if (!kType.hasStaticShape() || kType.getRank() != 2)
    return std::nullopt;
  for (Value operand : op->getOperands()) {
    Type element = cast<ShapedType>(operand.getType()).getElementType();
    if (!element.isF32() && !element.isF16() && !element.isBF16())
      return std::nullopt;
  }
  int64_t length = kType.getDimSize(1);
  if (length < 1 || length > GpuFFTConvPlan::maxSize)
    return std::nullopt;
  // P ≥ 2L (no wrap-around of the circular product), and N = P/2 ≥ 2.
  int64_t padded = std::max<int64_t>(llvm::PowerOf2Ceil(2 * length), 4);
  return planGpuFFT(length, padded / 2);
}
