// Monarch with a 3-D input: batch dims 2×3, n = 16 (4 blocks of 4×4).
// RUN: %python -m structured_harness --op monarch --seed 51 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<2x3x16xf32>, %w1: tensor<4x4x4xf32>, %w2: tensor<4x4x4xf32>,
                 %init: tensor<2x3x16xf32>) -> tensor<2x3x16xf32> {
  %y = structured.monarch ins(%x, %w1, %w2 : tensor<2x3x16xf32>, tensor<4x4x4xf32>, tensor<4x4x4xf32>)
                          outs(%init : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}
