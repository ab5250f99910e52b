// BTT of rank 3, rectangular shrinking 24 → 12, 3-D batch.
// RUN: %python -m structured_harness --op btt --seed 131 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<2x3x24xf32>, %w1: tensor<4x3x3x6xf32>, %w2: tensor<3x4x4x3xf32>,
                 %init: tensor<2x3x12xf32>) -> tensor<2x3x12xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<2x3x24xf32>, tensor<4x3x3x6xf32>, tensor<3x4x4x3xf32>)
                          outs(%init : tensor<2x3x12xf32>) -> tensor<2x3x12xf32>
  return %y : tensor<2x3x12xf32>
}
