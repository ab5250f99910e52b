// Rectangular Monarch that shrinks 24 features to 12:
// w1 has k=4 blocks of 3×6 (24 → 12), w2 has l=3 blocks of 4×4 (12 → 12).
// RUN: %python -m structured_harness --op monarch --seed 21 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x24xf32>, %w1: tensor<4x3x6xf32>, %w2: tensor<3x4x4xf32>,
                 %init: tensor<8x12xf32>) -> tensor<8x12xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x24xf32>, tensor<4x3x6xf32>, tensor<3x4x4xf32>)
                          outs(%init : tensor<8x12xf32>) -> tensor<8x12xf32>
  return %y : tensor<8x12xf32>
}
