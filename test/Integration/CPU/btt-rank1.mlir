// BTT of rank 1, square: n = 16, 4 blocks of 4×4 in both cores.
// RUN: %python -m structured_harness --op btt --seed 101 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x16xf32>, %w1: tensor<4x1x4x4xf32>, %w2: tensor<4x4x4x1xf32>,
                 %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x16xf32>, tensor<4x1x4x4xf32>, tensor<4x4x4x1xf32>)
                          outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}
