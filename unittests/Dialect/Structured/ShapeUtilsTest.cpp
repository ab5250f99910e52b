//===- ShapeUtilsTest.cpp - Tests of the shape helpers --------------------===//

#include "structured/Dialect/Structured/Utils/ShapeUtils.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

using namespace mlir;
using namespace mlir::structured;

namespace {

/// Position-to-position map of `permute {rows, cols}` on rows·cols features:
/// y[c·rows + r] = x[r·cols + c], so input position r·cols + c goes to
/// c·rows + r.
std::vector<int64_t> stridePermutation(int64_t rows, int64_t cols) {
  std::vector<int64_t> destination(rows * cols);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      destination[r * cols + c] = c * rows + r;
  return destination;
}

std::vector<int64_t> compose(const std::vector<int64_t> &first,
                             const std::vector<int64_t> &second) {
  std::vector<int64_t> result(first.size());
  for (size_t i = 0; i < first.size(); ++i)
    result[i] = second[first[i]];
  return result;
}

TEST(StridePermutation, IdentityWhenOneSideIsOne) {
  EXPECT_TRUE(isIdentityStridePermutation(1, 16));
  EXPECT_TRUE(isIdentityStridePermutation(16, 1));
  EXPECT_FALSE(isIdentityStridePermutation(4, 4));
}

TEST(StridePermutation, InversePairComposesToIdentity) {
  EXPECT_EQ(composeStridePermutations(24, 4, 6), 1);
  EXPECT_EQ(composeStridePermutations(1024, 32, 32), 1);
}

// Compares the closed form against composing the explicit permutations for
// every pair of divisors of every n up to 64.
TEST(StridePermutation, MatchesBruteForceComposition) {
  for (int64_t n = 1; n <= 64; ++n) {
    std::vector<int64_t> divisors;
    for (int64_t d = 1; d <= n; ++d)
      if (n % d == 0)
        divisors.push_back(d);
    for (int64_t r1 : divisors) {
      for (int64_t r2 : divisors) {
        std::vector<int64_t> composed = compose(stridePermutation(r1, n / r1),
                                                stridePermutation(r2, n / r2));
        std::optional<int64_t> closedForm =
            composeStridePermutations(n, r1, r2);
        // The brute-force answer: the divisors whose permutation is equal.
        bool expressible = false;
        for (int64_t r3 : divisors)
          if (stridePermutation(r3, n / r3) == composed) {
            expressible = true;
            ASSERT_TRUE(closedForm.has_value())
                << "n=" << n << " r1=" << r1 << " r2=" << r2;
            EXPECT_EQ(stridePermutation(*closedForm, n / *closedForm), composed)
                << "n=" << n << " r1=" << r1 << " r2=" << r2;
          }
        if (!expressible) {
          EXPECT_FALSE(closedForm.has_value())
              << "n=" << n << " r1=" << r1 << " r2=" << r2;
        }
      }
    }
  }
}

TEST(StridePermutation, RejectsNonDivisors) {
  EXPECT_EQ(composeStridePermutations(12, 5, 2), std::nullopt);
  EXPECT_EQ(composeStridePermutations(0, 1, 1), std::nullopt);
}

// R1·R2 = 2^62 does not fit the modulus arithmetic of a naive int64 product
// for larger factors; the composition is still computed exactly.
TEST(StridePermutation, HugeSizesDoNotOverflow) {
  int64_t n = int64_t(1) << 62;
  EXPECT_EQ(composeStridePermutations(n, int64_t(1) << 31, int64_t(1) << 31),
            1);
  EXPECT_EQ(composeStridePermutations(n, int64_t(1) << 40, int64_t(1) << 40),
            int64_t(1) << 18);
}

class ReshapeTest : public ::testing::Test {
protected:
  ReshapeTest() : builder(&context) {
    context.loadDialect<tensor::TensorDialect, memref::MemRefDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToStart(module->getBody());
  }

  Value makeArgument(Type type) {
    // An unrealized cast is the cheapest way to get a value of any type.
    return UnrealizedConversionCastOp::create(builder, builder.getUnknownLoc(),
                                              type, ValueRange{})
        .getResult(0);
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

TEST_F(ReshapeTest, ExpandsTheFeatureDimensionOfTensors) {
  Type f32 = builder.getF32Type();
  Value x =
      makeArgument(RankedTensorType::get({ShapedType::kDynamic, 3, 24}, f32));
  Value expanded = expandLastDim(builder, builder.getUnknownLoc(), x, {4, 6});
  EXPECT_EQ(expanded.getType(),
            RankedTensorType::get({ShapedType::kDynamic, 3, 4, 6}, f32));
  Value collapsed =
      collapseTrailingDims(builder, builder.getUnknownLoc(), expanded, 2);
  EXPECT_EQ(collapsed.getType(), x.getType());
}

TEST_F(ReshapeTest, ExpandsTheFeatureDimensionOfMemrefs) {
  Type f32 = builder.getF32Type();
  Value x = makeArgument(MemRefType::get({8, 12}, f32));
  Value expanded =
      expandLastDim(builder, builder.getUnknownLoc(), x, {2, 3, 2});
  EXPECT_EQ(expanded.getType(), MemRefType::get({8, 2, 3, 2}, f32));
  Value collapsed =
      collapseTrailingDims(builder, builder.getUnknownLoc(), expanded, 3);
  EXPECT_EQ(collapsed.getType(), x.getType());
}

} // namespace
