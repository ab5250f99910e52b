// BTT of rank 3, square: n = 64, 8 blocks of 8×8 in both cores.
// RUN: %python -m structured_harness --op btt --seed 111 --shared-libs %mlir_runner_utils %s | FileCheck %s
// RUN: %python -m structured_harness --op btt --seed 112 --shared-libs %mlir_runner_utils %s | FileCheck %s
// CHECK: PASS

func.func @layer(%x: tensor<8x64xf32>, %w1: tensor<8x3x8x8xf32>, %w2: tensor<8x8x8x3xf32>,
                 %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = structured.btt ins(%x, %w1, %w2 : tensor<8x64xf32>, tensor<8x3x8x8xf32>, tensor<8x8x8x3xf32>)
                          outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
