// Rectangular Monarch that expands 12 features to 30:
// w1 has k=3 blocks of 6×4 (12 → 18), w2 has l=6 blocks of 5×3 (18 → 30).
// RUN: %python -m structured_harness --op monarch --seed 31 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x12xf32>, %w1: tensor<3x6x4xf32>, %w2: tensor<6x5x3xf32>,
                 %init: tensor<8x30xf32>) -> tensor<8x30xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<8x12xf32>, tensor<3x6x4xf32>, tensor<6x5x3xf32>)
                          outs(%init : tensor<8x30xf32>) -> tensor<8x30xf32>
  return %y : tensor<8x30xf32>
}
